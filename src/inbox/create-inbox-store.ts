import type { LiveChatEvent } from '../engine/events.js';
import { LiveChatError, parseInput } from '../errors.js';
import type { AttributeValue, Contact } from '../model/contact.js';
import type { OutboundContent } from '../model/content.js';
import type { Conversation } from '../model/conversation.js';
import type { JourneyEvent } from '../model/journey.js';
import type { Message } from '../model/message.js';
import { systemClock, type TimerHandle } from '../ports/clock.js';
import {
  attributeKeySchema,
  attributeSchema,
  inboxStoreOptionsSchema,
  replyContentSchema,
  tagSchema,
  targetIdSchema,
  viewSchema,
  type InboxStoreOptions,
} from './inputs.js';
import { countsRefresher } from './counts-refresher.js';
import { noticeOf } from './notices.js';
import { replyWindowAt } from './reply-window.js';
import { inboxRecords, type Overlay } from './records.js';
import { compareRows, replaceRow, type RowKey } from './sorted-rows.js';
import { stateCell } from './state-cell.js';
import type { ActionResult, InboxStore } from './inbox-store.js';
import type { InboxSession, ReplyContent, SourceSignal } from './source.js';
import {
  inboxViews,
  initialState,
  type ChatPermissions,
  type ConversationSummary,
  type InboxNotice,
  type InboxState,
  type InboxView,
  type JourneyItem,
  type MessageView,
  type OpenConversation,
  type PendingAction,
  type ReplyWindow,
  type TabState,
} from './state.js';
import { byTime, isNewerMessage, journeyItem, messageView, profileOf, summaryOf } from './views.js';

/** A message in a conversation (every message but a broadcast's). */
type ChatMessage = Message & { conversationId: string };

interface LocalReply {
  id: string;
  conversationId: string;
  content: OutboundContent;
  fingerprint: string;
  at: string;
}

interface TabModel {
  /** The first page arrived: rows in range are listed. */
  loaded: boolean;
  /** The last row of the last page read; rows older than it belong to pages not read yet. */
  boundary: RowKey | null;
  cursor: string | null;
  inFlight: Promise<void> | null;
}

interface OpenModel {
  id: string;
  token: number;
  status: 'loading' | 'ready' | 'missing' | 'failed';
  messages: Map<string, Message>;
  sorted: Message[];
  olderCursor: string | null;
  views: Map<string, { message: Message; view: MessageView }>;
  localViews: Map<string, MessageView>;
  loadingOlder: boolean;
}

interface JourneyModel {
  contactId: string;
  token: number;
  status: 'loading' | 'ready' | 'failed';
  events: Map<string, JourneyEvent>;
  items: Map<string, JourneyItem>;
  olderCursor: string | null;
  loadingOlder: boolean;
}

const fingerprint = (content: OutboundContent) => JSON.stringify(content);

/**
 * Creates an inbox store for one agent over a source, and starts loading: the session, the
 * Active tab, the counts, and the event subscription (made before the first read, so nothing
 * that happens while it loads is missed; records carry versions, so nothing is applied twice).
 *
 * @example
 * ```ts
 * const inbox = createInboxStore({ source: inProcessSource(chat), viewer: 'asha' });
 * await inbox.ready;
 * inbox.getSnapshot().tabs.active.items; // rows, newest activity first
 * await inbox.openConversation(id);
 * const result = await inbox.intervene(); // { ok: false, error: { code: 'ALREADY_INTERVENED', message: 'Bo has already…' } }
 * ```
 * @public
 */
export function createInboxStore(options: InboxStoreOptions): InboxStore {
  const o = parseInput(inboxStoreOptionsSchema, options, 'options');
  const { source, viewer: viewerId } = o;
  const clock = o.clock ?? systemClock;

  const cell = stateCell(initialState());
  const { batch, write, setTab, patchTab } = cell;

  // ---- confirmed records and the viewer's unconfirmed changes -----------------------------
  let session: InboxSession | null = null;
  let closed = false;
  let epoch = 0;
  const records = inboxRecords();
  const { conversations, contacts, lastMessages, byContact, tombstones, conversationOverlays, contactOverlays } = records;
  const { effectiveConversation, effectiveContact, upsertConversation, upsertContact, upsertLastMessage, layer } = records;
  const locals = new Map<string, LocalReply[]>();
  const summaries = new Map<string, ConversationSummary>();
  const tabModels = Object.fromEntries(inboxViews.map((v) => [v, { loaded: false, boundary: null, cursor: null, inFlight: null }])) as Record<InboxView, TabModel>;
  let open: OpenModel | null = null;
  let journey: JourneyModel | null = null;
  let token = 0;
  let noticeId = 0;
  let localId = 0;

  const me = () => session!.viewer;
  const canSee = (c: Conversation) => c.state !== 'intervened' || c.assignee === viewerId || (me().role === 'admin' && session!.adminsSeeAll);
  const pendingOf = (id: string): PendingAction | null => conversationOverlays.get(id)?.at(-1)?.action ?? (locals.get(id)?.length ? 'reply' : null);
  const now = () => clock.now().toISOString();


  // ---- derived rows, tabs, open chat, profile, journey ------------------------------------
  const inRange = (view: InboxView, row: RowKey) => {
    const tab = tabModels[view];
    return tab.loaded && (tab.boundary === null || compareRows(row, tab.boundary) <= 0);
  };

  /** Rebuilds one conversation's row and moves it between tabs as its state says. */
  function refreshConversation(id: string): void {
    const previous = summaries.get(id) ?? null;
    const conversation = effectiveConversation(id);
    const built =
      conversation && canSee(conversation)
        ? summaryOf(conversation, effectiveContact(conversation.contactId) ?? null, lastMessages.get(id) ?? null, cell.next.agents, pendingOf(id))
        : null;
    const summary = built && previous && sameSummary(previous, built) ? previous : built;
    if (summary) summaries.set(id, summary);
    else summaries.delete(id);
    const views = new Set<InboxView>();
    if (previous) views.add(previous.state);
    if (summary) views.add(summary.state);
    for (const view of views) {
      const out = previous?.state === view ? previous : null;
      const into = summary?.state === view && inRange(view, summary) ? summary : null;
      const rows = replaceRow(cell.next.tabs[view].items, out, into);
      if (rows !== cell.next.tabs[view].items) setTab(view, { ...cell.next.tabs[view], items: rows });
    }
    if (open?.id === id) refreshOpen();
  }

  const sameSummary = (a: ConversationSummary, b: ConversationSummary) =>
    (Object.keys(a) as (keyof ConversationSummary)[]).every((k) => k === 'conversation' ? sameRecord(a.conversation, b.conversation) : a[k] === b[k]);
  // An overlay folds into a new object each time: compare what a row shows of it instead.
  const sameRecord = (a: Conversation, b: Conversation) =>
    a === b || (Object.keys(a) as (keyof Conversation)[]).every((k) => a[k] === b[k]);

  /** Lists every known row of `view` that falls in its loaded range (after a page arrives). */
  function rebuildTab(view: InboxView): void {
    const rows = [...summaries.values()].filter((s) => s.state === view && inRange(view, s)).sort(compareRows);
    const current = cell.next.tabs[view].items;
    const same = rows.length === current.length && rows.every((r, i) => r === current[i]);
    if (!same) setTab(view, { ...cell.next.tabs[view], items: rows });
  }

  let windowTimer: TimerHandle | null = null;
  let windowTimerKey = '';
  const sameWindow = (a: ReplyWindow | undefined, b: ReplyWindow) => a !== undefined && a.state === b.state && a.closesAt === b.closesAt;

  /** Rebuilds `state.open` from the open chat's model, reusing every part that did not change. */
  function refreshOpen(): void {
    if (!open) {
      if (cell.next.open !== null) write().open = null;
      return;
    }
    const previous = cell.next.open?.id === open.id ? cell.next.open : null;
    const conversation = effectiveConversation(open.id);
    const hidden = (conversation !== undefined && !canSee(conversation)) || tombstones.has(open.id);
    const status: OpenConversation['status'] = hidden ? 'hidden' : open.status;
    const hiddenBy = hidden ? (conversation?.assignee ?? tombstones.get(open.id) ?? null) : null;
    const computed = conversation
      ? replyWindowAt(conversation, session!.replyWindow, o.closingSoonMs, clock.now())
      : { window: { state: 'closed', closesAt: null } as ReplyWindow, changesInMs: null };
    const replyWindow = sameWindow(previous?.replyWindow, computed.window) ? previous!.replyWindow : computed.window;
    scheduleWindowTimer(`${open.id}|${replyWindow.state}|${replyWindow.closesAt}`, computed.changesInMs);
    const visible = conversation !== undefined && !hidden;
    const manage = visible && conversation.state === 'intervened' && (conversation.assignee === viewerId || me().role === 'admin');
    const intervene = visible && (conversation.state === 'active' || conversation.state === 'requested' || conversation.state === 'resolved');
    const can: ChatPermissions = previous && previous.can.manage === manage && previous.can.intervene === intervene ? previous.can : { intervene, manage };
    const messages = hidden ? [] : messageList();
    const candidate: OpenConversation = {
      id: open.id,
      status,
      hiddenBy: hiddenBy === null ? null : (cell.next.agents[hiddenBy]?.name ?? hiddenBy),
      summary: hidden ? null : (summaries.get(open.id) ?? null),
      messages: previous && sameArray(previous.messages, messages) ? previous.messages : messages,
      hasOlder: open.olderCursor !== null,
      replyWindow,
      can,
    };
    if (previous && (Object.keys(candidate) as (keyof OpenConversation)[]).every((k) => previous[k] === candidate[k])) return;
    write().open = candidate;
  }

  function scheduleWindowTimer(key: string, inMs: number | null): void {
    if (key === windowTimerKey) return;
    windowTimerKey = key;
    if (windowTimer !== null) clock.clearTimeout(windowTimer);
    windowTimer = null;
    if (inMs === null || closed) return;
    windowTimer = clock.setTimeout(() => {
      windowTimer = null;
      windowTimerKey = '';
      batch(refreshOpen);
    }, inMs);
  }

  const sameArray = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

  /** The open chat's messages as views, oldest first, then the viewer's unconfirmed replies. */
  function messageList(): MessageView[] {
    if (!open) return [];
    const contact = conversations.get(open.id) ? (effectiveContact(conversations.get(open.id)!.contactId) ?? null) : null;
    const views = open.sorted.map((message) => {
      const cached = open!.views.get(message.id);
      if (cached && cached.message === message) return cached.view;
      const view = messageView(message, cell.next.agents, contact);
      open!.views.set(message.id, { message, view });
      return view;
    });
    for (const local of locals.get(open.id) ?? []) {
      let view = open.localViews.get(local.id);
      if (!view) {
        const draft: Message = {
          id: local.id,
          conversationId: local.conversationId,
          contactId: '',
          channel: '',
          direction: 'outbound',
          author: { type: 'agent', id: viewerId },
          content: local.content,
          externalId: null,
          replyTo: null,
          status: 'pending',
          error: null,
          at: local.at,
          statusAt: local.at,
        };
        open.localViews.set(local.id, (view = messageView(draft, cell.next.agents, contact, true)));
      }
      views.push(view);
    }
    return views;
  }

  function addOpenMessage(message: Message): void {
    if (!open || open.id !== message.conversationId) return;
    const current = open.messages.get(message.id);
    if (current && !isNewerMessage(current, message)) return;
    open.messages.set(message.id, message);
    if (current) open.sorted[open.sorted.indexOf(current)] = message;
    else {
      // Usually the newest: append; otherwise (a page of older ones) put it in time order.
      const last = open.sorted.at(-1);
      open.sorted.push(message);
      if (last && byTime(last, message) > 0) open.sorted.sort(byTime);
    }
  }

  // What the shown profile was built from, so an unrelated event does not rebuild it.
  let profileInputs: unknown[] = [];

  /** Rebuilds the profile of the open chat's contact. */
  function refreshProfile(): void {
    const contactId = open ? conversations.get(open.id)?.contactId : undefined;
    const contact = contactId === undefined || cell.next.open?.status === 'hidden' ? undefined : effectiveContact(contactId);
    if (!contact || !session) {
      profileInputs = [];
      if (cell.next.profile !== null) write().profile = null;
      return;
    }
    const inputs = [contacts.get(contact.id), contactOverlays.get(contact.id), cell.next.agents, session];
    if (cell.next.profile !== null && sameArray(inputs, profileInputs)) return;
    profileInputs = inputs;
    const overlays = contactOverlays.get(contact.id) ?? [];
    const pending = {
      attributes: new Set(overlays.filter((x) => x.action === 'set-attribute').map((x) => x.key!)),
      tags: new Map(overlays.filter((x) => x.action === 'add-tag').map((x) => [x.key!, 'adding' as const])),
    };
    write().profile = profileOf(contact, session.attributeFields, session.tagCatalog, cell.next.agents, pending);
  }

  function refreshJourney(): void {
    if (!journey || cell.next.open?.status === 'hidden') {
      if (cell.next.journey !== null) write().journey = null;
      return;
    }
    const contact = contacts.get(journey.contactId) ?? null;
    const items = [...journey.events.values()]
      .sort((a, b) => byTime(b, a))
      .map((event) => {
        let item = journey!.items.get(event.id);
        if (!item) journey!.items.set(event.id, (item = journeyItem(event, cell.next.agents, contact)));
        return item;
      });
    const previous = cell.next.journey?.contactId === journey.contactId ? cell.next.journey : null;
    const hasOlder = journey.olderCursor !== null;
    if (previous && previous.status === journey.status && previous.hasOlder === hasOlder && sameArray(previous.items, items)) return;
    write().journey = { contactId: journey.contactId, status: journey.status, items: previous && sameArray(previous.items, items) ? previous.items : items, hasOlder };
  }

  /** Everything that shows a contact: its rows and, when it is the open one, the profile. */
  function refreshContact(contactId: string): void {
    for (const id of byContact.get(contactId) ?? []) refreshConversation(id);
    if (open && conversations.get(open.id)?.contactId === contactId) {
      refreshProfile();
      if (open.views.size > 0) {
        // Customer names on messages follow the contact's name.
        open.views.clear();
        refreshOpen();
      }
    }
  }

  // ---- counts --------------------------------------------------------------------------
  const counts = countsRefresher(
    () => source.counts(viewerId),
    (c) => batch(() => (write().counts = c)),
  );
  const refreshCounts = counts.refresh;

  // ---- events ----------------------------------------------------------------------------
  function applyEvent(event: LiveChatEvent): void {
    if (event.contact && upsertContact(event.contact)) refreshContact(event.contact.id);
    if (event.conversation) {
      const before = conversations.get(event.conversation.id);
      tombstones.delete(event.conversation.id);
      if (upsertConversation(event.conversation, false)) {
        if (!before || before.state !== event.conversation.state || before.assignee !== event.conversation.assignee) refreshCounts();
        refreshConversation(event.conversation.id);
      }
    }
    // A broadcast message belongs to no chat (no conversation): no row or open chat shows it.
    if (event.message && event.message.conversationId !== null) {
      const message = event.message as ChatMessage;
      // Only rows the store knows get a new last message; the open chat takes every message.
      const moved = conversations.has(message.conversationId) && upsertLastMessage(message);
      const matched = settleLocalReply(message);
      const shown = open?.id === message.conversationId;
      if (shown) addOpenMessage(message);
      if (moved || matched) refreshConversation(message.conversationId);
      else if (shown) refreshOpen();
    }
    if (event.journey && journey?.contactId === event.journey.contactId && !journey.events.has(event.journey.id)) {
      journey.events.set(event.journey.id, event.journey);
      refreshJourney();
    }
  }

  /** A confirmed reply replaces the viewer's local copy of it (same chat, same content). */
  function settleLocalReply(message: ChatMessage): boolean {
    if (message.direction !== 'outbound' || message.author.type !== 'agent' || message.author.id !== viewerId) return false;
    const pending = locals.get(message.conversationId);
    const at = pending?.findIndex((l) => l.fingerprint === fingerprint(message.content as OutboundContent)) ?? -1;
    if (at < 0) return false;
    dropLocal(message.conversationId, pending![at]!.id);
    return true;
  }

  function dropLocal(conversationId: string, id: string): void {
    const remaining = (locals.get(conversationId) ?? []).filter((l) => l.id !== id);
    if (remaining.length > 0) locals.set(conversationId, remaining);
    else locals.delete(conversationId);
    open?.localViews.delete(id);
  }

  function onSignal(signal: SourceSignal): void {
    if (closed) return;
    switch (signal.kind) {
      case 'status':
        if (cell.next.connection !== signal.status) batch(() => (write().connection = signal.status));
        return;
      case 'reset':
        void reload();
        return;
      case 'hidden': {
        const c = signal.conversation;
        if (!c) return;
        batch(() => {
          tombstones.set(c.id, c.assignee);
          conversations.delete(c.id);
          lastMessages.delete(c.id);
          refreshConversation(c.id);
          if (open?.id === c.id) {
            refreshOpen();
            refreshProfile();
            refreshJourney();
          }
          refreshCounts();
        });
        return;
      }
      case 'event':
        if (!session) {
          early.push(signal.event);
          return;
        }
        batch(() => {
          const wasHidden = cell.next.open?.status === 'hidden';
          applyEvent(signal.event);
          if (open && signal.event.conversation?.id === open.id) {
            refreshProfile();
            refreshJourney();
            // Visible again (resolved, released, handed to me): read what was kept from us.
            if (wasHidden && cell.next.open?.status !== 'hidden') void loadOpen(open.id);
          }
        });
        return;
    }
  }
  // Events that arrive before the session is known (visibility needs the viewer) wait here.
  const early: LiveChatEvent[] = [];

  // ---- loading ---------------------------------------------------------------------------
  function loadPage(view: InboxView, more: boolean): Promise<void> {
    const tab = tabModels[view];
    if (tab.inFlight) return tab.inFlight;
    if (more && (!tab.loaded || tab.cursor === null)) return Promise.resolve();
    const mine = epoch;
    if (!more) batch(() => patchTab(view, { status: 'loading' }));
    let work: Promise<void> | null = null;
    work = (async () => {
      try {
        const page = await source.inbox({ view, viewer: viewerId, cursor: more ? tab.cursor : null, limit: o.pageSize });
        if (mine !== epoch || closed) return;
        batch(() => {
          for (const item of page.items) {
            upsertConversation(item.conversation, true);
            if (item.contact) upsertContact(item.contact);
            if (item.lastMessage) upsertLastMessage(item.lastMessage);
          }
          tab.cursor = page.nextCursor;
          const last = page.items.at(-1);
          tab.boundary = page.nextCursor !== null && last ? { id: last.conversation.id, lastActivityAt: last.conversation.lastActivityAt } : null;
          for (const item of page.items) refreshConversation(item.conversation.id);
          tab.loaded = true;
          rebuildTab(view);
          patchTab(view, { status: 'ready', hasMore: page.nextCursor !== null });
        });
      } catch (error) {
        if (mine !== epoch || closed) return;
        batch(() => {
          patchTab(view, { status: 'failed' });
          pushNotice(noticeOf(++noticeId, error, 'load', null, cell.next.agents));
        });
      } finally {
        if (tab.inFlight === work) tab.inFlight = null;
      }
    })();
    tab.inFlight = work;
    return work;
  }

  async function loadJourney(contactId: string, older: boolean): Promise<void> {
    if (older && (!journey || journey.contactId !== contactId || journey.olderCursor === null || journey.loadingOlder)) return;
    if (!older) {
      journey = { contactId, token: ++token, status: 'loading', events: new Map(), items: new Map(), olderCursor: null, loadingOlder: false };
      batch(refreshJourney);
    }
    const model = journey!;
    model.loadingOlder = older;
    try {
      const page = await source.journey(contactId, { viewer: viewerId, order: 'desc', limit: o.journeyPageSize, cursor: older ? model.olderCursor : null });
      if (journey !== model || closed) return;
      for (const event of page.items) model.events.set(event.id, event);
      model.olderCursor = page.nextCursor;
      model.status = 'ready';
    } catch (error) {
      if (journey !== model || closed) return;
      if (!older) model.status = 'failed';
      batch(() => pushNotice(noticeOf(++noticeId, error, 'load', null, cell.next.agents)));
    } finally {
      model.loadingOlder = false;
    }
    batch(refreshJourney);
  }

  async function loadOpen(id: string): Promise<void> {
    const model: OpenModel = {
      id,
      token: ++token,
      status: 'loading',
      messages: new Map(),
      sorted: [],
      olderCursor: null,
      views: new Map(),
      localViews: new Map(),
      loadingOlder: false,
    };
    open = model;
    journey = null;
    batch(() => {
      refreshOpen();
      refreshProfile();
      refreshJourney();
    });
    let detail;
    try {
      detail = await source.conversation(id, { viewer: viewerId, limit: o.messagePageSize });
    } catch (error) {
      if (open !== model || closed) return;
      model.status = 'failed';
      batch(() => {
        refreshOpen();
        pushNotice(noticeOf(++noticeId, error, 'load', id, cell.next.agents));
      });
      return;
    }
    if (open !== model || closed) return;
    if (!detail) {
      model.status = 'missing';
      batch(refreshOpen);
      return;
    }
    const contactId = detail.conversation.contactId;
    batch(() => {
      upsertConversation(detail.conversation, true);
      if (detail.contact) upsertContact(detail.contact);
      for (const message of detail.messages) addOpenMessage(message);
      const newest = detail.messages.at(-1);
      if (newest) upsertLastMessage(newest);
      model.olderCursor = detail.olderCursor;
      model.status = 'ready';
      refreshConversation(id);
      refreshOpen();
      refreshProfile();
    });
    await loadJourney(contactId, false);
  }

  async function reload(): Promise<void> {
    epoch += 1;
    const shown = inboxViews.filter((v) => tabModels[v].loaded || tabModels[v].inFlight || v === cell.next.tab);
    // Forget every record (the rows stay on screen until their tab's first page is read again).
    records.clear();
    summaries.clear();
    for (const view of inboxViews) Object.assign(tabModels[view], { loaded: false, boundary: null, cursor: null, inFlight: null });
    refreshCounts();
    await Promise.all([...shown.map((v) => loadPage(v, false)), open ? loadOpen(open.id) : Promise.resolve()]);
  }

  // ---- actions ---------------------------------------------------------------------------
  function pushNotice(notice: InboxNotice): void {
    write().notices = [...cell.next.notices.slice(-4), notice];
  }

  function conversationTarget(id: string | undefined): string {
    const target = id ?? open?.id;
    if (target === undefined) throw new LiveChatError('INVALID_INPUT', { message: 'No conversation is open: pass conversationId.', path: ['conversationId'] });
    return parseInput(targetIdSchema, target, 'conversationId');
  }
  function contactTarget(id: string | undefined): string {
    const target = id ?? (open ? conversations.get(open.id)?.contactId : undefined);
    if (target === undefined) throw new LiveChatError('INVALID_INPUT', { message: 'No contact is open: pass contactId.', path: ['contactId'] });
    return parseInput(targetIdSchema, target, 'contactId');
  }

  /**
   * Runs an action optimistically: `overlay` is laid over the record at once; the engine's
   * answer replaces it (success) or it is lifted and the error shown (failure).
   */
  async function act<R>(input: {
    action: PendingAction;
    conversationId: string | null;
    /** Lays the optimistic change over the record; returns the function that lifts it. */
    lay: () => () => void;
    refresh: () => void;
    call: () => Promise<R>;
    confirm: (result: R) => void;
  }): Promise<ActionResult> {
    const lift = input.lay();
    batch(input.refresh);
    try {
      const result = await input.call();
      batch(() => {
        lift();
        input.confirm(result);
        input.refresh();
      });
      return { ok: true };
    } catch (error) {
      const notice = noticeOf(++noticeId, error, input.action, input.conversationId, cell.next.agents);
      batch(() => {
        lift();
        input.refresh();
        pushNotice(notice);
      });
      return { ok: false, error: notice };
    }
  }

  function conversationAction(
    action: 'intervene' | 'transfer' | 'release' | 'resolve',
    id: string,
    patch: (c: Conversation) => Partial<Conversation>,
    call: () => Promise<Conversation>,
  ): Promise<ActionResult> {
    return act({
      action,
      conversationId: id,
      lay: () => layer(conversationOverlays, id, { action, apply: (c) => ({ ...c, ...patch(c) }) }),
      refresh: () => {
        refreshConversation(id);
        if (open?.id === id) {
          refreshProfile();
          refreshJourney();
        }
      },
      call,
      confirm: (conversation) => {
        if (upsertConversation(conversation, false)) refreshCounts();
      },
    });
  }

  function contactAction(action: 'set-attribute' | 'add-tag' | 'remove-tag', contactId: string, key: string, apply: (c: Contact) => Contact, call: () => Promise<Contact>) {
    return act({
      action,
      conversationId: open?.id ?? null,
      lay: () => layer(contactOverlays, contactId, { action, key, apply }),
      refresh: () => refreshContact(contactId),
      call,
      confirm: (contact) => void upsertContact(contact),
    });
  }

  // ---- start -----------------------------------------------------------------------------
  let unsubscribe: (() => void) | null = null;
  const ready = (async () => {
    // Subscribe before the first read: whatever happens while it loads arrives as events.
    unsubscribe = source.subscribe(viewerId, onSignal);
    try {
      const s = await source.session(viewerId);
      if (closed) return;
      session = s;
      batch(() => {
        const n = write();
        n.viewer = s.viewer;
        n.agents = Object.fromEntries(s.agents.map((a) => [a.id, a]));
        n.tagCatalog = s.tagCatalog;
        n.templates = s.templates;
        for (const event of early.splice(0)) applyEvent(event);
      });
      refreshCounts();
      await loadPage(cell.next.tab, false);
      if (!closed) batch(() => (write().status = 'ready'));
    } catch (error) {
      if (closed) return;
      batch(() => {
        write().status = 'failed';
        pushNotice(noticeOf(++noticeId, error, 'load', null, cell.next.agents));
      });
    }
  })();

  const requireSession = async () => {
    await ready;
    if (!session) throw new LiveChatError('INVALID_INPUT', { message: 'The inbox failed to load its session; see state.notices.' });
  };

  return {
    subscribe: cell.subscribe,
    getSnapshot: () => cell.state,
    ready,
    close() {
      closed = true;
      counts.stop();
      unsubscribe?.();
      if (windowTimer !== null) clock.clearTimeout(windowTimer);
      windowTimer = null;
    },

    async showTab(view) {
      const tab = parseInput(viewSchema, view, 'view');
      await requireSession();
      if (cell.next.tab !== tab) batch(() => (write().tab = tab));
      if (!tabModels[tab].loaded) await loadPage(tab, false);
    },
    async loadMore(view) {
      const tab = view === undefined ? cell.next.tab : parseInput(viewSchema, view, 'view');
      await requireSession();
      await loadPage(tab, true);
    },
    async openConversation(id) {
      const target = id === null ? null : parseInput(targetIdSchema, id, 'conversationId');
      await requireSession();
      if (target === null) {
        open = null;
        journey = null;
        scheduleWindowTimer('', null);
        batch(() => {
          refreshOpen();
          refreshProfile();
          refreshJourney();
        });
        return;
      }
      await loadOpen(target);
    },
    async loadOlderMessages() {
      await requireSession();
      const model = open;
      if (!model || model.olderCursor === null || model.loadingOlder) return;
      model.loadingOlder = true;
      try {
        const page = await source.messages(model.id, { viewer: viewerId, cursor: model.olderCursor, limit: o.messagePageSize, order: 'desc' });
        if (open !== model) return;
        model.olderCursor = page.nextCursor;
        batch(() => {
          for (const message of page.items) addOpenMessage(message);
          refreshOpen();
        });
      } catch (error) {
        batch(() => pushNotice(noticeOf(++noticeId, error, 'load', model.id, cell.next.agents)));
      } finally {
        model.loadingOlder = false;
      }
    },
    async loadOlderJourney() {
      await requireSession();
      if (journey) await loadJourney(journey.contactId, true);
    },
    dismissNotice(id) {
      if (cell.next.notices.some((n) => n.id === id)) batch(() => (write().notices = cell.next.notices.filter((n) => n.id !== id)));
    },

    async intervene(conversationId) {
      const id = conversationTarget(conversationId);
      await requireSession();
      return conversationAction('intervene', id, () => ({ state: 'intervened', assignee: viewerId, intervenedAt: now() }), () => source.intervene(id, { agentId: viewerId }));
    },
    async transfer(to, options = {}) {
      const target = parseInput(targetIdSchema, to, 'to');
      const id = conversationTarget(options.conversationId);
      await requireSession();
      return conversationAction('transfer', id, () => ({ assignee: target }), () => source.transfer(id, { agentId: viewerId, to: target }));
    },
    async release(options = {}) {
      const id = conversationTarget(options.conversationId);
      await requireSession();
      return conversationAction('release', id, () => ({ state: 'requested', assignee: null, requestedAt: now() }), () => source.release(id, { agentId: viewerId }));
    },
    async resolve(options = {}) {
      const id = conversationTarget(options.conversationId);
      await requireSession();
      return conversationAction(
        'resolve',
        id,
        () => ({ state: 'resolved', assignee: null, resolvedAt: now(), resolvedBy: viewerId }),
        () => source.resolve(id, { agentId: viewerId }),
      );
    },
    async reply(raw, options = {}) {
      parseInput(replyContentSchema, raw, 'content');
      const content: OutboundContent = typeof raw === 'string' ? { type: 'text', text: raw.trim() } : raw;
      const id = conversationTarget(options.conversationId);
      await requireSession();
      const local: LocalReply = { id: `local_${++localId}`, conversationId: id, content, fingerprint: fingerprint(content), at: now() };
      locals.set(id, [...(locals.get(id) ?? []), local]);
      return act({
        action: 'reply',
        conversationId: id,
        // The row jumps to the top at once, as it will when the engine confirms.
        lay: () => layer(conversationOverlays, id, { action: 'reply', apply: (c) => ({ ...c, lastActivityAt: local.at > c.lastActivityAt ? local.at : c.lastActivityAt }) }),
        refresh: () => refreshConversation(id),
        call: async () => {
          try {
            return await source.reply(id, { agentId: viewerId, content });
          } catch (error) {
            dropLocal(id, local.id);
            throw error;
          }
        },
        confirm: ({ conversation, message }) => {
          dropLocal(id, local.id);
          upsertConversation(conversation, false);
          upsertLastMessage(message);
          addOpenMessage(message);
        },
      });
    },
    async setAttribute(key, value, options = {}) {
      const k = parseInput(attributeKeySchema, key, 'key');
      const v = parseInput(attributeSchema, value, 'value');
      const contactId = contactTarget(options.contactId);
      await requireSession();
      return contactAction('set-attribute', contactId, k, (c) => ({ ...c, attributes: { ...c.attributes, [k]: v } }), () =>
        source.setAttributes(contactId, { [k]: v }, { agentId: viewerId }),
      );
    },
    async addTag(tag, options = {}) {
      const name = parseInput(tagSchema, tag, 'tag');
      const contactId = contactTarget(options.contactId);
      await requireSession();
      const assignment = { source: 'manual' as const, actor: { type: 'agent' as const, id: viewerId }, at: now(), conversationId: open?.id ?? null, campaignId: null };
      return contactAction('add-tag', contactId, name, (c) => (Object.hasOwn(c.tags, name) ? c : { ...c, tags: { ...c.tags, [name]: assignment } }), () =>
        source.addTag(contactId, name, { agentId: viewerId }),
      );
    },
    async removeTag(tag, options = {}) {
      const name = parseInput(tagSchema, tag, 'tag');
      const contactId = contactTarget(options.contactId);
      await requireSession();
      return contactAction(
        'remove-tag',
        contactId,
        name,
        (c) => {
          if (!Object.hasOwn(c.tags, name)) return c;
          const { [name]: _gone, ...tags } = c.tags;
          return { ...c, tags };
        },
        () => source.removeTag(contactId, name, { agentId: viewerId }),
      );
    },
  };
}
