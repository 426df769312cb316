import { memo } from 'react';
import { inboxViews, selectCounts, selectCurrentTab, type ConversationSummary, type InboxState, type OpenConversation } from 'livechat-engine/inbox';
import { useConversation, useInbox, useInboxStore } from 'livechat-engine/react';
import { listTime } from '../format.js';
import { emptyTab, stateLabel, viewLabels } from '../labels.js';
import { Avatar } from './avatar.js';
import { BotIcon, InboxIcon, Tick } from './icons.js';

const selectTabName = (s: InboxState) => s.tab;
const selectViewerId = (s: InboxState) => s.viewer?.id;
const selectOpenId = (open: OpenConversation | null) => open?.id ?? null;

/** The first column: the five tabs with their counts, and the shown tab's conversations. */
export function Sidebar() {
  const store = useInboxStore();
  const tab = useInbox(selectTabName);
  const counts = useInbox(selectCounts);
  return (
    <aside className="sidebar">
      <div className="sidebar-head">
        <h1>Chats</h1>
      </div>
      <nav className="tabs" aria-label="Inbox views">
        {inboxViews.map((view) => (
          <button
            key={view}
            type="button"
            className={`tab ${view === tab ? 'tab-on' : ''} ${view === 'requested' && (counts.requested ?? 0) > 0 ? 'tab-attention' : ''}`}
            aria-pressed={view === tab}
            data-tab={view}
            onClick={() => void store.showTab(view)}
          >
            <span className="tab-count" data-testid={`count-${view}`}>{counts[view] ?? '·'}</span>
            <span className="tab-label">{viewLabels[view]}</span>
          </button>
        ))}
      </nav>
      <ConversationList />
    </aside>
  );
}

function ConversationList() {
  const store = useInboxStore();
  const tab = useInbox(selectCurrentTab);
  const openId = useConversation(selectOpenId);
  const viewerId = useInbox(selectViewerId);
  if (tab.status === 'loading' && tab.items.length === 0) {
    return (
      <div className="list">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="row row-skeleton">
            <span className="skeleton skeleton-avatar" />
            <span className="skeleton-lines">
              <span className="skeleton" style={{ width: '55%' }} />
              <span className="skeleton" style={{ width: '80%' }} />
            </span>
          </div>
        ))}
      </div>
    );
  }
  if (tab.items.length === 0) {
    const empty = emptyTab[tab.view];
    return (
      <div className="list list-empty" data-testid="list-empty">
        <InboxIcon size={28} />
        <strong>{empty.title}</strong>
        <p>{empty.body}</p>
      </div>
    );
  }
  return (
    <div className="list" data-testid={`list-${tab.view}`}>
      {tab.items.map((row) => (
        <Row key={row.id} row={row} selected={row.id === openId} viewerId={viewerId} onOpen={() => void store.openConversation(row.id)} />
      ))}
      {tab.hasMore && (
        <button type="button" className="load-more" onClick={() => void store.loadMore()}>
          Show older chats
        </button>
      )}
    </div>
  );
}

const Row = memo(function Row({ row, selected, viewerId, onOpen }: { row: ConversationSummary; selected: boolean; viewerId: string | undefined; onOpen: () => void }) {
  const outbound = row.lastAuthor === 'agent' || row.lastAuthor === 'bot';
  return (
    <button type="button" className={`row ${selected ? 'row-on' : ''} ${row.pending ? 'row-pending' : ''}`} data-conversation-id={row.id} data-title={row.title} onClick={onOpen}>
      <Avatar name={row.title} id={row.contactId} size={42} />
      <span className="row-main">
        <span className="row-top">
          <span className="row-title">{row.title}</span>
          <span className="row-time">{listTime(row.lastActivityAt)}</span>
        </span>
        <span className="row-preview">
          {outbound && row.lastAuthor === 'bot' && <BotIcon size={13} className="row-bot" />}
          {outbound && <Tick tick={row.lastStatus === 'pending' ? 'clock' : row.lastStatus === 'received' ? null : (row.lastStatus as never)} />}
          <span className="row-text">{row.preview || 'No messages yet'}</span>
        </span>
        <span className={`row-state row-state-${row.state}`}>{stateLabel(row, viewerId)}</span>
      </span>
    </button>
  );
});
