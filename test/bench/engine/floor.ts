import { SortedKeys } from '../../../src/adapters/memory/sorted-keys.js';
import {
  contentPreview,
  type Actor,
  type Bot,
  type Clock,
  type Contact,
  type Conversation,
  type ConversationState,
  type IdGenerator,
  type JourneyEvent,
  type JourneyEventType,
  type LifecycleEffect,
  type LifecycleEvent,
  type LifecycleStep,
  type Message,
  type OutboundContent,
  type OutboxItem,
  type ReceiveInput,
  type Transport,
} from '../../../src/index.js';

// The floor: the least work that still does the engine's bookkeeping for an inbound message,
// written by hand. No zod, no xstate, no change sets, no optimistic concurrency, no events:
// records live in plain Maps and are updated in place. The engine is measured against it.

// Effects are shared constants: steps never mutate them, and allocating none keeps the floor
// honest about what a reducer needs to cost.
const ASK_BOT: LifecycleEffect = { type: 'askBot' };
const HOLD: LifecycleEffect = { type: 'holdForAgent' };
const DELIVER: LifecycleEffect = { type: 'deliverToAssignee' };
const SEND_AGENT: LifecycleEffect = { type: 'sendAgentReply' };
const SEND_BOT: LifecycleEffect = { type: 'sendBotReply' };
const SUPPRESS: LifecycleEffect = { type: 'suppressBot' };
const NOOP: LifecycleEffect = { type: 'noop' };
const journal = (event: JourneyEventType): LifecycleEffect => ({ type: 'journal', params: { event } });
const REOPENED = journal('conversation.reopened');
const REQUESTED = journal('intervention.requested');
const INTERVENED = journal('conversation.intervened');
const TRANSFERRED = journal('conversation.transferred');
const RELEASED = journal('conversation.released');
const RESOLVED = journal('conversation.resolved');
const ARCHIVED = journal('conversation.archived');

function step(state: ConversationState, assignee: string | null, effects: LifecycleEffect[]): LifecycleStep {
  return { state, assignee, effects, handled: true };
}
function unhandled(state: ConversationState, assignee: string | null): LifecycleStep {
  return { state, assignee, effects: [], handled: false };
}
function reject(state: ConversationState, assignee: string | null, code: 'FORBIDDEN' | 'ALREADY_INTERVENED'): LifecycleStep {
  return step(state, assignee, [{ type: 'reject', params: { code, owner: assignee } }]);
}

/**
 * The lifecycle table of DESIGN section 3 as a hand-written switch: the same answers as the
 * XState machine (the lifecycle micro-benchmark checks that on every event it times).
 */
export function floorStep(state: ConversationState, assignee: string | null, event: LifecycleEvent): LifecycleStep {
  switch (event.type) {
    case 'customer.message':
      if (state === 'active') return step(state, assignee, [ASK_BOT]);
      if (state === 'requested') return step(state, assignee, [event.botInRequested ? ASK_BOT : HOLD]);
      if (state === 'intervened') return step(state, assignee, [DELIVER]);
      if (state === 'resolved') return step('active', null, [REOPENED, ASK_BOT]);
      return unhandled(state, assignee);
    case 'bot.reply':
      if (state === 'active') return step(state, assignee, [SEND_BOT]);
      if (state === 'requested') return step(state, assignee, [event.botInRequested ? SEND_BOT : SUPPRESS]);
      if (state === 'intervened' || state === 'resolved') return step(state, assignee, [SUPPRESS]);
      return unhandled(state, assignee);
    case 'intervention.request':
      if (state === 'active' || state === 'resolved') return step('requested', null, [REQUESTED]);
      if (state === 'requested') return step(state, assignee, [NOOP]);
      return unhandled(state, assignee);
    case 'agent.intervene':
      if (state === 'active' || state === 'requested' || state === 'resolved') return step('intervened', event.agentId, [INTERVENED]);
      if (state !== 'intervened') return unhandled(state, assignee);
      return event.agentId === assignee ? step(state, assignee, [NOOP]) : reject(state, assignee, 'ALREADY_INTERVENED');
    case 'agent.reply':
      if (state !== 'intervened') return unhandled(state, assignee);
      return event.admin || event.agentId === assignee ? step(state, assignee, [SEND_AGENT]) : reject(state, assignee, 'FORBIDDEN');
    case 'agent.transfer':
      if (state !== 'intervened') return unhandled(state, assignee);
      if (event.to === assignee) return step(state, assignee, [NOOP]);
      return event.admin || event.agentId === assignee ? step(state, event.to, [TRANSFERRED]) : reject(state, assignee, 'FORBIDDEN');
    case 'agent.release':
      if (state !== 'intervened') return unhandled(state, assignee);
      return event.admin || event.agentId === assignee ? step('requested', null, [RELEASED]) : reject(state, assignee, 'FORBIDDEN');
    case 'agent.resolve':
      if (state !== 'intervened') return unhandled(state, assignee);
      return event.admin || event.agentId === assignee ? step('resolved', null, [RESOLVED]) : reject(state, assignee, 'FORBIDDEN');
    case 'history.due':
      if (state === 'history') return unhandled(state, assignee);
      return step('history', null, [ARCHIVED]);
  }
}

const CUSTOMER = { type: 'customer' } as const;
const BOT = { type: 'bot' } as const;
const SYSTEM = { type: 'system' } as const;
const never = new AbortController().signal;

/** What the floor needs: the same bot, transport, clock and ids as the engine it is compared to. */
export interface FloorOptions {
  bot: Bot;
  transport: Transport;
  clock: Clock;
  ids: IdGenerator;
  historyAfterMs: number;
  firstMessageTag: string;
}

/** The hand-written minimal engine: `receive` does the engine's bookkeeping for one message. */
export function floorEngine(options: FloorOptions) {
  const { bot, transport, clock, ids } = options;
  const contacts = new Map<string, Contact>();
  const contactByAddress = new Map<string, Contact>();
  const conversations = new Map<string, Conversation>();
  const openByContact = new Map<string, Conversation>();
  // Per-view recency: re-inserting a key moves it to the end of the Map's order.
  const inbox = new Map<ConversationState, Map<string, Conversation>>(
    (['active', 'requested', 'intervened', 'resolved', 'history'] as const).map((s) => [s, new Map()]),
  );
  // The due-time index, the same structure as the memory store's.
  const due = new SortedKeys();
  const messages = new Map<string, Message>();
  const messageByExternal = new Map<string, Message>();
  const messagesByConversation = new Map<string, Message[]>();
  const journeyByContact = new Map<string, JourneyEvent[]>();
  const outbox = new Map<string, OutboxItem>();

  const dueAt = (at: string) => new Date(Date.parse(at) + options.historyAfterMs).toISOString();
  const record = (contactId: string, conversationId: string | null, type: JourneyEventType, actor: Actor, at: string, data: Record<string, unknown> = {}) => {
    const entry: JourneyEvent = { id: ids('jev'), contactId, conversationId, type, actor, at, data };
    let list = journeyByContact.get(contactId);
    if (!list) journeyByContact.set(contactId, (list = []));
    list.push(entry);
  };
  const addMessage = (m: Message) => {
    messages.set(m.id, m);
    if (m.externalId !== null) messageByExternal.set(`${m.channel}\u0000${m.externalId}`, m);
    // Broadcast messages belong to no conversation, so no timeline lists them (as in the stores).
    if (m.conversationId === null) return;
    let list = messagesByConversation.get(m.conversationId);
    if (!list) messagesByConversation.set(m.conversationId, (list = []));
    list.push(m);
  };
  const place = (c: Conversation, from: ConversationState | null) => {
    if (from !== null) inbox.get(from)!.delete(c.id);
    inbox.get(c.state)!.set(c.id, c);
    if (c.state === 'history') openByContact.delete(c.contactId);
  };
  const apply = (c: Conversation, event: LifecycleEvent, actor: Actor, at: string): LifecycleStep => {
    const next = floorStep(c.state, c.assignee, event);
    if (next.state !== c.state || next.assignee !== c.assignee) {
      const from = c.state;
      c.state = next.state;
      c.assignee = next.assignee;
      c.version += 1;
      if (next.state === 'requested') c.requestedAt = at;
      if (next.state === 'history') {
        c.archivedAt = at;
        due.remove(`${c.historyDueAt}\u0000${c.id}`);
      }
      for (const e of next.effects) if (e.type === 'journal') record(c.contactId, c.id, e.params.event, actor, at, { from, to: c.state });
      place(c, from);
    }
    return next;
  };
  const touch = (c: Conversation, at: string) => {
    due.remove(`${c.historyDueAt}\u0000${c.id}`);
    c.lastActivityAt = at;
    c.historyDueAt = dueAt(at);
    due.insert(`${c.historyDueAt}\u0000${c.id}`);
    place(c, c.state);
  };

  async function send(item: OutboxItem): Promise<void> {
    const result = await transport.send({ messageId: item.messageId, to: item.to, content: item.content, replyTo: item.replyTo });
    const message = messages.get(item.messageId)!;
    outbox.delete(item.id);
    if (result.ok) {
      message.status = 'sent';
      message.statusAt = clock.now().toISOString();
      message.externalId = result.externalId;
      messageByExternal.set(`${message.channel}\u0000${result.externalId}`, message);
    } else {
      message.status = 'failed';
      message.error = result.error;
    }
  }

  async function receive(input: ReceiveInput): Promise<{ duplicate: boolean }> {
    if (messageByExternal.has(`${input.channel}\u0000${input.externalId}`)) return { duplicate: true };
    const now = clock.now().toISOString();

    let contact = contactByAddress.get(`${input.channel}\u0000${input.from}`);
    const firstMessage = !contact;
    if (!contact) {
      contact = {
        id: ids('ct'),
        channel: input.channel,
        address: input.from,
        name: input.profile?.name ?? null,
        attributes: {},
        tags: {},
        referral: null,
        firstSeenAt: now,
        lastSeenAt: now,
        lastInboundAt: null,
        version: 1,
      };
      contacts.set(contact.id, contact);
      contactByAddress.set(`${input.channel}\u0000${input.from}`, contact);
      record(contact.id, null, 'contact.created', CUSTOMER, now);
    }

    let conversation = openByContact.get(contact.id);
    if (conversation && conversation.historyDueAt <= now) {
      apply(conversation, { type: 'history.due' }, SYSTEM, now);
      conversation = undefined;
    }
    if (!conversation) {
      conversation = {
        id: ids('conv'),
        contactId: contact.id,
        channel: contact.channel,
        state: 'active',
        assignee: null,
        openedAt: now,
        lastActivityAt: now,
        lastInboundAt: null,
        requestedAt: null,
        intervenedAt: null,
        resolvedAt: null,
        resolvedBy: null,
        archivedAt: null,
        historyDueAt: dueAt(now),
        version: 1,
      };
      conversations.set(conversation.id, conversation);
      openByContact.set(contact.id, conversation);
      place(conversation, null);
      record(contact.id, conversation.id, 'conversation.opened', CUSTOMER, now);
    }
    if (firstMessage) {
      contact.tags[options.firstMessageTag] = { source: 'first-message', actor: SYSTEM, at: now, conversationId: conversation.id, campaignId: null };
      record(contact.id, conversation.id, 'tag.added', SYSTEM, now, { tag: options.firstMessageTag, source: 'first-message' });
    }

    const step = apply(conversation, { type: 'customer.message', botInRequested: true }, CUSTOMER, now);
    const message: Message = {
      id: ids('msg'),
      conversationId: conversation.id,
      contactId: contact.id,
      channel: input.channel,
      direction: 'inbound',
      author: CUSTOMER,
      content: input.content as Message['content'],
      externalId: input.externalId,
      replyTo: null,
      status: 'received',
      error: null,
      at: now,
      statusAt: now,
    };
    addMessage(message);
    record(contact.id, conversation.id, 'message.received', CUSTOMER, now, {
      messageId: message.id,
      contentType: message.content.type,
      preview: contentPreview(message.content).slice(0, 200),
    });
    conversation.lastInboundAt = now;
    touch(conversation, now);
    contact.lastSeenAt = now;
    contact.lastInboundAt = now;
    contact.version += 1;

    if (!step.effects.some((e) => e.type === 'askBot')) return { duplicate: false };
    const decision = await bot.respond({ contact, conversation, message }, { signal: never });
    const queued: OutboxItem[] = [];
    const replies: OutboundContent[] = decision.replies ?? [];
    if (replies.length > 0) {
      const botStep = apply(conversation, { type: 'bot.reply', botInRequested: true }, BOT, now);
      if (botStep.effects.some((e) => e.type === 'sendBotReply')) {
        for (const content of replies) {
          const reply: Message = { ...message, id: ids('msg'), direction: 'outbound', author: BOT, content, externalId: null, status: 'pending' };
          addMessage(reply);
          const item: OutboxItem = {
            id: ids('obx'),
            messageId: reply.id,
            conversationId: conversation.id,
            contactId: contact.id,
            channel: contact.channel,
            to: contact.address,
            content,
            replyTo: null,
            attempts: 0,
            dueAt: now,
            leaseUntil: null,
            createdAt: now,
            lastError: null,
          };
          outbox.set(item.id, item);
          queued.push(item);
          record(contact.id, conversation.id, 'bot.replied', BOT, now, { messageId: reply.id, inReplyTo: message.id, contentType: content.type });
        }
        touch(conversation, now);
      } else {
        record(contact.id, conversation.id, 'bot.suppressed', BOT, now, { inReplyTo: message.id });
      }
    }
    if (decision.handoff) apply(conversation, { type: 'intervention.request', by: 'bot' }, BOT, now);
    for (const item of queued) await send(item);
    return { duplicate: false };
  }

  return {
    receive,
    /** How many journey entries the contact at this address has. */
    journeyOf: (channel: string, address: string) => {
      const contact = contactByAddress.get(`${channel}\u0000${address}`);
      return contact ? (journeyByContact.get(contact.id)?.length ?? 0) : 0;
    },
    /** Sizes, to check that the floor did the same bookkeeping as the engine. */
    counts: () => ({
      contacts: contacts.size,
      conversations: conversations.size,
      messages: messages.size,
      journey: [...journeyByContact.values()].reduce((n, l) => n + l.length, 0),
      pendingOutbox: outbox.size,
      requested: inbox.get('requested')!.size,
    }),
  };
}
