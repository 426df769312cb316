import type { ConversationSummary, InboxView } from 'livechat-engine/inbox';

/** Tab names as the product calls them. */
export const viewLabels: Record<InboxView, string> = {
  active: 'Active',
  requested: 'Requested',
  intervened: 'Intervened',
  resolved: 'Resolved',
  history: 'History',
};

/** What an empty tab says. */
export const emptyTab: Record<InboxView, { title: string; body: string }> = {
  active: { title: 'No active chats', body: 'New customer messages land here while the bot answers them.' },
  requested: { title: 'Nobody is waiting', body: 'Customers who ask for a person appear here until an agent intervenes.' },
  intervened: { title: 'No chats of yours', body: 'Intervene in a chat to take it over; only you will see it here.' },
  resolved: { title: 'Nothing resolved yet', body: 'Resolved chats are visible to everyone until they move to History.' },
  history: { title: 'History is empty', body: 'Chats move here 24 hours after their last message.' },
};

/** The state of a chat in a few words, from the viewer's side. */
export function stateLabel(row: Pick<ConversationSummary, 'state' | 'assignee' | 'assigneeName'>, viewerId: string | undefined): string {
  switch (row.state) {
    case 'active':
      return 'Bot is answering';
    case 'requested':
      return 'Waiting for an agent';
    case 'intervened':
      return row.assignee === viewerId ? 'With you' : `With ${row.assigneeName ?? 'an agent'}`;
    case 'resolved':
      return 'Resolved';
    case 'history':
      return 'In History';
  }
}
