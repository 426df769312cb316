import EventEmitter from 'eventemitter3';
import { parseInput } from '../errors.js';
import { memoryStore } from '../adapters/memory/memory-store.js';
import { memoryTransport } from '../adapters/memory/memory-transport.js';
import type { Agent } from '../model/agent.js';
import type { AttributeValue, Contact } from '../model/contact.js';
import type { Conversation } from '../model/conversation.js';
import type { JourneyEvent } from '../model/journey.js';
import type { Message } from '../model/message.js';
import { consoleLogger, sortableIds, systemClock, type TimerHandle } from '../ports/clock.js';
import type { Page, Store } from '../ports/store.js';
import type { Transport } from '../ports/transport.js';
import * as actions from './commands/agent-actions.js';
import { getAgent, upsertAgent } from './commands/agents.js';
import { addTag, removeTag, setAttributes } from './commands/contacts.js';
import { receive, type ReceiveResult } from './commands/receive.js';
import { sweep } from './commands/sweep.js';
import { resumeBotTurns } from './commands/resume-bot-turns.js';
import { updateStatus, type StatusResult } from './commands/update-status.js';
import { nowIso, type EngineContext } from './context.js';
import type { LiveChatEvent, LiveChatEvents } from './events.js';
import {
  channelErrorInputSchema,
  type AgentActionInput,
  type ByInput,
  type ChannelErrorInput,
  type InboxQuery,
  type JourneyQuery,
  type MessagesQuery,
  type ReceiveInput,
  type ReceiveOptions,
  type ReplyInput,
  type RequestInterventionInput,
  type StatusInput,
  type TransferInput,
  type ViewerOptions,
} from './inputs.js';
import { emitAll } from './unit-of-work.js';
import { resolvePolicy, type LiveChatOptions, type Policy } from './options.js';
import { createDispatcher } from './outbox.js';
import { InboundCache } from './inbound-cache.js';
import * as queries from './queries.js';
import { attributeDefinitions } from './attributes.js';
import { defineAttribute, defineTag, deleteTag, renameTag, type TagRenameResult } from './commands/catalog.js';
import type { AdminByInput, AttributeDefinitionInput, AudienceInput, BroadcastInput, CursorPageInput, StatsInput, TagDefinitionInput } from './profile-inputs.js';
import { profile, type ContactProfile } from './commands/profile.js';
import { stats, type LiveChatStats } from './commands/stats.js';
import { broadcast, cancelBroadcast, getCampaign, listCampaigns, resumeBroadcast } from './commands/broadcast.js';
import type { Campaign } from '../model/campaign.js';
import { countAudience, listAudience } from './commands/audience.js';
import type { AttributeDefinition } from '../model/attribute.js';
import type { TagDefinition } from '../model/tag.js';
import { compileTagRules } from '../tags/compile-rule.js';

/**
 * A live chat engine instance. Every command is one unit of work over the store: validated,
 * decided by the pure lifecycle, committed atomically against the versions it read, and only
 * then announced as events and sent through the outbox. Every entry point validates its input
 * and throws {@link LiveChatError} (`INVALID_INPUT` with the path) before anything is written.
 * @public
 */
export interface LiveChat {
  /** The store this engine writes to. */
  readonly store: Store;
  /** The transport outbound messages go through. */
  readonly transport: Transport;
  /** The policy in force, defaults filled in. */
  readonly policy: Readonly<Policy>;

  /** Agents who may intervene, reply and read intervened chats. */
  readonly agents: {
    /** Registers or updates an agent. */
    upsert(agent: Agent): Promise<Agent>;
    get(id: string): Promise<Agent | null>;
    list(): Promise<Agent[]>;
  };

  /**
   * Takes in one customer message. Idempotent on `(channel, externalId)`: a redelivered message
   * returns `duplicate: true` and changes nothing. Finds or creates the contact and its open
   * conversation (a new one after History), records the journey, applies the first-message tag
   * and tag rules, then lets the bot answer. Resolves after the bot's turn, or right after the
   * commit with `{ waitForBot: false }`.
   */
  receive(input: ReceiveInput, options?: ReceiveOptions): Promise<ReceiveResult>;
  /** Asks for a human: Active or Resolved move to Requested; a repeat is a no-op. */
  requestIntervention(conversationId: string, input: RequestInterventionInput): Promise<Conversation>;
  /**
   * An agent takes the chat. Compare-and-set: of racing agents exactly one wins and the others
   * get `ALREADY_INTERVENED` naming the owner; the owner intervening again is a no-op.
   */
  intervene(conversationId: string, input: AgentActionInput): Promise<Conversation>;
  /**
   * The assignee (or an admin) answers. Free-form content outside the reply window fails with
   * `REPLY_WINDOW_CLOSED` before reaching the transport; templates are always allowed.
   */
  reply(conversationId: string, input: ReplyInput): Promise<actions.ReplyResult>;
  /** Hands the chat to another agent (assignee or admin only). */
  transfer(conversationId: string, input: TransferInput): Promise<Conversation>;
  /** Puts the chat back in the Requested queue (assignee or admin only). */
  release(conversationId: string, input: AgentActionInput): Promise<Conversation>;
  /** Resolves the chat: visible to everyone again, the bot takes the next message. */
  resolve(conversationId: string, input: AgentActionInput): Promise<Conversation>;
  /** Applies a delivery receipt; statuses only move forward, duplicates change nothing. */
  updateStatus(input: StatusInput): Promise<StatusResult>;
  /** Moves every due conversation to History; costs what is due, not what is stored. */
  sweep(): Promise<{ archived: number }>;
  /** Sends every due outbox item (retries included); resolves when they are settled. */
  flush(): Promise<number>;
  /**
   * Runs the bot turns a conversation is owed and that are overdue: the customer's message
   * was committed, but the bot's answer never was (its process died, or the turn outlived the
   * bot's timeout and an outbox lease). Engines resuming at once take each turn once; a turn
   * whose answer fails to commit three resumes running ends as a bot failure. Engines sharing a
   * store should keep their clocks within that lease of each other, as for outbox leases. The
   * scheduler runs it on every tick; call it yourself when you schedule work without `start()`.
   */
  resumeBotTurns(): Promise<{ resumed: number }>;

  /** Starts the scheduler loop (sweep, owed bot turns and outbox every `policy.tickMs` of the clock). */
  start(): void;
  /** Stops the scheduler loop. Work in flight finishes; `idle()` waits for it. */
  stop(): void;
  /** Resolves when background work (bot turns, outbox dispatch) has settled. */
  idle(): Promise<void>;

  /** A conversation, or `null` when it does not exist or `viewer` may not see it. */
  conversation(conversationId: string, options?: ViewerOptions): Promise<Conversation | null>;
  /** A page of a conversation's messages; `FORBIDDEN` for a viewer who may not see it. */
  messages(conversationId: string, options?: MessagesQuery): Promise<Page<Message>>;
  /** A page of an inbox view, newest activity first. */
  inbox(query: InboxQuery): Promise<Page<Conversation>>;
  /** How many conversations each inbox view holds for `viewer` (the tab counts). */
  counts(options?: ViewerOptions): Promise<queries.InboxCounts>;
  /** A contact, or `null`. */
  contact(contactId: string): Promise<Contact | null>;
  /** A page of a contact's customer journey (oldest first unless `order: 'desc'`). */
  journey(contactId: string, options?: JourneyQuery): Promise<Page<JourneyEvent>>;

  /**
   * Typed profile attributes, registered up front: values set through `contacts.setAttributes`
   * (and by bots) are validated against them. Changing definitions takes an admin.
   */
  readonly attributes: {
    /** Registers an attribute, or updates its definition (label, options, type for new writes). */
    define(definition: AttributeDefinitionInput, options?: AdminByInput): Promise<AttributeDefinition>;
    /** Every definition in force, by key, including the opt-out attribute. */
    list(): Promise<AttributeDefinition[]>;
  };

  /**
   * The tag catalog: the tags agents may apply by hand (`UNKNOWN_TAG` otherwise), in categories.
   * Changing it takes an admin.
   */
  readonly tags: {
    /** Adds a tag to the catalog, or updates its category, description or colour. */
    define(definition: TagDefinitionInput, options?: AdminByInput): Promise<TagDefinition>;
    /** The catalog, by name. */
    list(): Promise<TagDefinition[]>;
    /**
     * Renames a tag in the catalog and on every contact holding it (provenance kept, journey
     * `tag.renamed`); resumable. `ALREADY_EXISTS` when the catalog has the new name.
     */
    rename(from: string, to: string, options?: AdminByInput): Promise<TagRenameResult>;
    /** Deletes a tag from the catalog and from every contact holding it (journey `tag.removed`); resumable. */
    delete(name: string, options?: AdminByInput): Promise<{ contacts: number }>;
  };

  /**
   * Audiences: contacts selected by tags (all / any / none), attributes, last-seen time and
   * opt-out, answered by the store's indexes (never by loading every contact).
   */
  readonly audience: {
    /** How many contacts match; opted-out contacts are left out unless `optOut` says otherwise. */
    count(filter?: AudienceInput): Promise<number>;
    /** One page of the matching contacts, by id. */
    list(filter?: AudienceInput, page?: CursorPageInput): Promise<Page<Contact>>;
  };

  /**
   * Sends an approved template to an audience. Creates a campaign, counts the audience (contacts
   * who opted out are skipped and counted), and queues one message per recipient in the outbox,
   * batch by batch, with the broadcast tag (the campaign's name) on each. Resolves when every
   * recipient is queued; the outbox sends at the transport's pace (`Transport.maxPerSecond`).
   * Figures (sent, delivered, read, failed, replied) follow receipts and replies; progress comes
   * as `broadcast.progress` events. Broadcast messages belong to no conversation; a reply arrives
   * as a normal message, answered by the bot.
   */
  broadcast(input: BroadcastInput): Promise<Campaign>;
  /** Broadcasts already started. */
  readonly broadcasts: {
    /** A campaign with its current figures, or `null`. */
    get(campaignId: string): Promise<Campaign | null>;
    /** One page of campaigns, newest first. */
    list(page?: CursorPageInput): Promise<Page<Campaign>>;
    /** Stops a broadcast: what was not yet sent stays unsent. Takes an admin when an agent asks. */
    cancel(campaignId: string, options?: AdminByInput): Promise<Campaign>;
    /** Finishes queueing a broadcast that a crash or restart interrupted. */
    resume(campaignId: string): Promise<Campaign>;
  };

  /**
   * What an agent sees beside the chat: the contact, attributes with their definitions, tags with
   * provenance, the open conversation (when the viewer may see it) and its state, and figures
   * (first and last seen, conversations, messages in and out, campaigns received, last campaign).
   */
  profile(contactId: string, options?: ViewerOptions): Promise<ContactProfile>;

  /**
   * Dashboard figures over `[from, to)`: conversations by state, interventions requested, the
   * median and p90 time from request to intervention, the median first agent response,
   * resolutions per agent, and how many went to History.
   */
  stats(range: StatsInput): Promise<LiveChatStats>;

  /** Profile changes, recorded in the journey with who made them. */
  readonly contacts: {
    setAttributes(contactId: string, values: Record<string, AttributeValue>, options?: ByInput): Promise<Contact>;
    addTag(contactId: string, tag: string, options?: ByInput): Promise<Contact>;
    removeTag(contactId: string, tag: string, options?: ByInput): Promise<Contact>;
  };

  /**
   * Announces an error the channel reported about the account or app (not about one message)
   * as a `channel.error` event. Nothing is stored: it is for listeners (alerts, an ops view).
   */
  reportChannelError(input: ChannelErrorInput): LiveChatEvent<'channel.error'>;

  /** Subscribes to an engine event (`*` for all); returns the unsubscribe function. */
  on<K extends keyof LiveChatEvents>(type: K, listener: NoInfer<LiveChatEvents[K]>): () => void;
}

/**
 * Creates a live chat engine. Every option has a default: the memory store and transport, no
 * bot, the system clock.
 *
 * @example
 * ```ts
 * const chat = createLiveChat({ bot: keywordBot({ rules: [{ keywords: ['price'], reply: 'From $9' }], handoffKeywords: ['agent'] }) });
 * await chat.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
 * const { conversation } = await chat.receive({ channel: 'whatsapp', from: '+15550001', externalId: 'wamid.1', content: { type: 'text', text: 'agent please' } });
 * await chat.intervene(conversation.id, { agentId: 'asha' });
 * ```
 * @public
 */
export function createLiveChat(options: LiveChatOptions = {}): LiveChat {
  const policy = resolvePolicy(options.policy);
  const pending = new Set<Promise<unknown>>();
  const emitter = new EventEmitter<LiveChatEvents>();
  const store = options.store ?? memoryStore();
  const base = {
    store,
    transport: options.transport ?? memoryTransport(),
    bot: options.bot ?? null,
    clock: options.clock ?? systemClock,
    ids: options.ids ?? sortableIds(),
    logger: options.logger ?? consoleLogger,
    policy,
    tagRules: compileTagRules(options.tagRules ?? []),
    emitter,
    inboundCache: store.capabilities.remote && policy.inboundCacheSize > 0 ? new InboundCache(policy.inboundCacheSize) : null,
    background(label: string, work: Promise<unknown>) {
      const tracked = work.catch((error) => base.logger.error(`${label} failed`, { error }));
      pending.add(tracked);
      void tracked.finally(() => pending.delete(tracked));
    },
  };
  const ctx: EngineContext = {
    ...base,
    dispatch: (ids, claimed) => base.background('outbox dispatch', dispatcher.dispatch(ids, claimed)),
  };
  const dispatcher = createDispatcher(ctx);

  let timer: TimerHandle | null = null;
  let running = false;
  // Each job's failure is logged on its own: one failing never holds back the others. Owed bot
  // turns come last, since their bots may take seconds; their sends go out as they commit.
  const jobs: Array<[string, () => Promise<unknown>]> = [
    ['sweep', () => sweep(ctx)],
    ['outbox dispatch', () => dispatcher.dispatch()],
    ['resuming bot turns', () => resumeBotTurns(ctx)],
  ];
  const tick = async () => {
    for (const [label, job] of jobs) await job().catch((error: unknown) => ctx.logger.error(`${label} failed`, { error }));
  };
  const schedule = () => {
    timer = ctx.clock.setTimeout(() => {
      const work = tick().catch((error) => ctx.logger.error('scheduler tick failed', { error }));
      ctx.background('scheduler tick', work);
      void work.finally(() => {
        if (running) schedule();
      });
    }, policy.tickMs);
  };

  return {
    store: ctx.store,
    transport: ctx.transport,
    policy,
    agents: {
      upsert: (agent) => upsertAgent(ctx, agent),
      get: (id) => getAgent(ctx, id),
      list: () => ctx.store.listAgents(),
    },
    receive: (input, opts) => receive(ctx, input, opts),
    requestIntervention: (id, input) => actions.requestIntervention(ctx, id, input),
    intervene: (id, input) => actions.intervene(ctx, id, input),
    reply: (id, input) => actions.reply(ctx, id, input),
    transfer: (id, input) => actions.transfer(ctx, id, input),
    release: (id, input) => actions.release(ctx, id, input),
    resolve: (id, input) => actions.resolve(ctx, id, input),
    updateStatus: (input) => updateStatus(ctx, input),
    sweep: () => sweep(ctx),
    flush: () => dispatcher.dispatch(),
    resumeBotTurns: () => resumeBotTurns(ctx),
    start() {
      if (running) return;
      running = true;
      schedule();
    },
    stop() {
      running = false;
      if (timer !== null) ctx.clock.clearTimeout(timer);
      timer = null;
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    conversation: (id, opts) => queries.getConversation(ctx, id, opts),
    messages: (id, opts) => queries.listMessages(ctx, id, opts),
    inbox: (query) => queries.inbox(ctx, query),
    counts: (opts) => queries.counts(ctx, opts),
    contact: (id) => queries.getContact(ctx, id),
    journey: (id, opts) => queries.listJourney(ctx, id, opts),
    attributes: {
      define: (definition, opts) => defineAttribute(ctx, definition, opts),
      list: async () => [...(await attributeDefinitions(ctx)).values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
    },
    tags: {
      define: (definition, opts) => defineTag(ctx, definition, opts),
      list: () => ctx.store.listTagDefinitions(),
      rename: (from, to, opts) => renameTag(ctx, from, to, opts),
      delete: (name, opts) => deleteTag(ctx, name, opts),
    },
    profile: (id, opts) => profile(ctx, id, opts),
    stats: (range) => stats(ctx, range),
    broadcast: (input) => broadcast(ctx, input),
    broadcasts: {
      get: (id) => getCampaign(ctx, id),
      list: (page) => listCampaigns(ctx, page),
      cancel: (id, opts) => cancelBroadcast(ctx, id, opts),
      resume: (id) => resumeBroadcast(ctx, id),
    },
    audience: {
      count: (filter) => countAudience(ctx, filter),
      list: (filter, page) => listAudience(ctx, filter, page),
    },
    contacts: {
      setAttributes: (id, values, opts) => setAttributes(ctx, id, values, opts),
      addTag: (id, tag, opts) => addTag(ctx, id, tag, opts),
      removeTag: (id, tag, opts) => removeTag(ctx, id, tag, opts),
    },
    reportChannelError(raw) {
      const channelError = parseInput(channelErrorInputSchema, raw, 'channel error');
      const event: LiveChatEvent<'channel.error'> = {
        type: 'channel.error',
        at: nowIso(ctx),
        journey: null,
        conversation: null,
        contact: null,
        message: null,
        channelError,
      };
      emitAll(ctx, [event]);
      return event;
    },
    on(type, listener) {
      emitter.on(type, listener as never);
      return () => {
        emitter.off(type, listener as never);
      };
    },
  };
}
