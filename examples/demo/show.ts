import {
  contentPreview,
  LiveChatError,
  type Actor,
  type Contact,
  type ConversationState,
  type JourneyEvent,
  type LiveChat,
  type Message,
  type SentMessage,
} from '../../src/index.js';
import { formatTable } from './table.js';

// How the demo prints: narration, chat lines, and the inbox, journey and profile as tables.

/** `2026-03-02T09:00:00.000Z` as `2026-03-02 09:00` (UTC, so every run prints the same). */
export const when = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

/** A scene title. */
export function scene(at: Date, title: string): void {
  console.log(`\n── ${when(at.toISOString())}  ${title} ${'─'.repeat(Math.max(0, 74 - title.length))}`);
}

/** A line of narration. */
export const say = (text: string): void => console.log(`   ${text}`);

/** A quoted preview, cut to one line. */
const quote = (text: string, max = 60) => `"${text.length > max ? `${text.slice(0, max - 1)}…` : text}"`;

/** Display names for agents and the customer, filled in by the demo. */
export const names = new Map<string, string>();

export function actorName(actor: Actor): string {
  switch (actor.type) {
    case 'agent':
      return `agent ${names.get(actor.id) ?? actor.id}`;
    case 'customer':
      return names.get('customer') ?? 'customer';
    case 'rule':
      return `rule ${actor.id}`;
    default:
      return actor.type;
  }
}

/** What a customer writes, as a chat line. */
export const customerSays = (text: string): void => say(`${names.get('customer') ?? 'customer'} ▸ ${quote(text, 90)}`);

/** Prints what the transport sent since `from` (its index in `sent`), with who wrote it. */
export async function printSent(chat: LiveChat, sent: readonly SentMessage[], from: number): Promise<void> {
  const fresh = sent.slice(from);
  if (fresh.length === 0) {
    say('(nothing sent)');
    return;
  }
  for (const s of fresh) {
    const message = await chat.store.getMessage(s.messageId);
    const author = message ? actorName(message.author) : '?';
    say(`${author} ◂ ${quote(contentPreview(s.content), 90)}   (sent to ${s.to})`);
  }
}

/** A caught engine error as one line: code, message, and the owner when there is one. */
export function errorLine(error: unknown): string {
  if (!(error instanceof LiveChatError)) return String(error);
  const owner = typeof error.details['owner'] === 'string' ? ` (details.owner: ${error.details['owner']})` : '';
  return `LiveChatError ${error.code}: ${error.message}${owner}`;
}

const views: ConversationState[] = ['active', 'requested', 'intervened', 'resolved', 'history'];
const title = (view: string) => view[0]!.toUpperCase() + view.slice(1);

/**
 * The five inbox views (tabs) as one table: a row per conversation under its view, newest
 * activity first, as `viewer` sees them (no viewer: integrator code, which sees everything).
 */
export async function printInbox(chat: LiveChat, label: string, viewer?: string): Promise<void> {
  const rows: unknown[][] = [];
  for (const view of views) {
    const page = await chat.inbox({ view, limit: 20, ...(viewer ? { viewer } : {}) });
    if (page.items.length === 0) rows.push([title(view), 0, '—']);
    for (const [i, c] of page.items.entries()) {
      const [contact, last] = await Promise.all([
        chat.contact(c.contactId),
        chat.messages(c.id, { order: 'desc', limit: 1, ...(viewer ? { viewer } : {}) }),
      ]);
      const message = last.items[0];
      rows.push([
        i === 0 ? title(view) : '',
        i === 0 ? page.items.length : '',
        c.id,
        contact?.name ?? contact?.address ?? '',
        c.assignee ? (names.get(c.assignee) ?? c.assignee) : '',
        when(c.lastActivityAt),
        message ? quote(contentPreview(message.content), 34) : '',
      ]);
    }
  }
  say(`Inbox, ${label}:`);
  console.log(
    formatTable(
      [
        { header: 'view' },
        { header: '#', align: 'right' },
        { header: 'conversation' },
        { header: 'customer' },
        { header: 'assignee' },
        { header: 'last activity' },
        { header: 'last message' },
      ],
      rows,
      '     ',
    ),
  );
}

/** One line of detail for a journey entry, in words. */
function detail(event: JourneyEvent, messages: Map<string, Message>): string {
  const d = event.data;
  const text = (id: unknown) => {
    const m = typeof id === 'string' ? messages.get(id) : undefined;
    return m ? quote(contentPreview(m.content), 48) : '';
  };
  const move = d['from'] !== undefined ? `${String(d['from'])} → ${String(d['to'])}` : '';
  switch (event.type) {
    case 'contact.created':
      return `${String(d['channel'])} ${String(d['address'])}`;
    case 'conversation.opened':
      return `${event.conversationId}`;
    case 'message.received':
    case 'message.sent':
    case 'bot.replied':
      return text(d['messageId']);
    case 'tag.added':
    case 'tag.removed':
      return `${String(d['tag'])} (${String(d['source'])})`;
    case 'attribute.changed':
      return `${String(d['key'])}: ${d['old'] === null ? '(none)' : String(d['old'])} → ${String(d['new'])}`;
    case 'intervention.requested':
      return `${move}, by ${String(d['by'])}${d['reason'] ? `: ${String(d['reason'])}` : ''}`;
    case 'conversation.archived':
      return `${move} (due ${when(String(d['dueAt'] ?? event.at))})`;
    case 'bot.suppressed':
      return `${String(d['replies'])} repl(ies) dropped, chat is ${String(d['state'])}`;
    default:
      return move || JSON.stringify(d);
  }
}

/** The customer journey as a table: time, actor, event, details. */
export async function printJourney(chat: LiveChat, contact: Contact): Promise<void> {
  // The latest entries, oldest first: after several runs the whole journey is long.
  const latest = await chat.journey(contact.id, { limit: 80, order: 'desc' });
  const journey = { items: [...latest.items].reverse() };
  const messages = new Map<string, Message>();
  for (const id of new Set(journey.items.map((e) => e.conversationId).filter((id) => id !== null))) {
    for (const m of (await chat.messages(id, { limit: 200 })).items) messages.set(m.id, m);
  }
  console.log(
    formatTable(
      [{ header: 'time' }, { header: 'actor' }, { header: 'event' }, { header: 'details', max: 70 }],
      journey.items.map((e) => [when(e.at), actorName(e.actor), e.type, detail(e, messages)]),
      '     ',
    ),
  );
}

/** A conversation's messages: time, who, text, delivery status. */
export async function printTranscript(chat: LiveChat, conversationId: string): Promise<void> {
  const page = await chat.messages(conversationId, { limit: 200 });
  console.log(
    formatTable(
      [{ header: 'time' }, { header: 'from' }, { header: 'message', max: 72 }, { header: 'status' }],
      page.items.map((m) => [when(m.at), actorName(m.author), contentPreview(m.content), m.status]),
      '     ',
    ),
  );
}

/** The user profile: who, attributes, tags with their provenance. */
export function printProfile(contact: Contact): void {
  say(`Profile of ${contact.name ?? contact.address} (${contact.channel} ${contact.address}), first seen ${when(contact.firstSeenAt)}:`);
  const rows: unknown[][] = [
    ...Object.entries(contact.attributes).map(([key, value]) => ['attribute', key, String(value), '']),
    ...Object.entries(contact.tags).map(([tag, a]) => ['tag', tag, `${a.source}, by ${actorName(a.actor)}`, when(a.at)]),
  ];
  console.log(formatTable([{ header: 'kind' }, { header: 'name' }, { header: 'value / source' }, { header: 'since' }], rows, '     '));
}
