import type { Duration } from 'date-fns';
import { z } from 'zod';
import { parseInput } from '../errors.js';
import type { Bot } from '../ports/bot.js';
import type { Clock, IdGenerator, Logger } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { TagRule } from '../ports/tag-rule.js';
import type { TagRuleDefinition } from '../tags/rule-language.js';
import type { Transport } from '../ports/transport.js';

/**
 * The rules of the house. Every field has a default.
 * @public
 */
export interface Policy {
  /** Time after the last message (in or out) when a chat moves to History. Default 24 h. */
  historyAfter: Duration;
  /** The channel's reply window after the last inbound message. Default 24 h (WhatsApp). */
  replyWindow: Duration;
  /** Whether the bot keeps answering while the customer waits in Requested. Default true. */
  botAnswersRequested: boolean;
  /** Whether admins see (and may answer) every intervened chat. Default true. */
  adminsSeeAll: boolean;
  /** What to do when the bot throws or times out. Default `request-human`. */
  onBotFailure: 'request-human' | 'ignore';
  /** How long the bot may take for one message. Default 10 s. */
  botTimeoutMs: number;
  /** Tag applied on a contact's first ever message; `null` for none. Default `first-message`. */
  firstMessageTag: string | null;
  /**
   * Keyword rules choosing the first-message tag instead of `firstMessageTag`: the first rule
   * whose keyword the first message contains (case-insensitive) names the tag. Default none.
   */
  firstMessageTagRules: Array<{ keywords: string[]; tag: string }>;
  /**
   * What `contacts.setAttributes` (and bots) do with a key that has no attribute definition:
   * `text` stores the value as text (`12` becomes `'12'`), `reject` refuses it with
   * `INVALID_INPUT`. Default `text`.
   */
  undefinedAttributes: 'text' | 'reject';
  /**
   * The boolean attribute that marks a contact who opted out of broadcasts; audiences leave such
   * contacts out unless told otherwise. Defined as a boolean unless you define it. Default `optedOut`.
   */
  optOutAttribute: string;
  /** How long after a broadcast a contact's next message counts as a reply to it. Default 72 h. */
  broadcastReplyWindow: Duration;
  /**
   * How far behind a contact's `lastSeenAt` and `lastInboundAt` may lag, in ms. A customer's
   * message that changes nothing else on the contact, within this time of both stored values,
   * leaves the contact as it is (its version is still checked at the commit): one row write
   * fewer per message of a chat in progress, and a profile edit no longer races every message
   * the customer types. Conversations always record each message (`lastInboundAt` drives the
   * reply window). Default 60,000 (a minute); 0 records every message on the contact too.
   */
  lastSeenPrecisionMs: number;
  /** Attempts before a retryable send failure becomes final. Default 5. */
  maxSendAttempts: number;
  /** First retry delay; doubles per attempt, with jitter. Default 1 s. */
  retryBaseMs: number;
  /** Longest retry delay. Default 5 min. */
  retryMaxMs: number;
  /** How long a dispatcher owns a claimed outbox item before another may take it. Default 30 s. */
  outboxLeaseMs: number;
  /** Interval of the scheduler loop started by `chat.start()`. Default 1 s. */
  tickMs: number;
  /**
   * On a store whose reads cost a round trip (`capabilities.remote`), how many customers'
   * records this engine keeps after committing them, so that a customer's next message is
   * committed without reading them first. Kept records are never trusted: the commit checks
   * the versions it was decided on, and a record another writer changed fails it and sends the
   * message round again on fresh reads. Default 10,000; 0 turns it off.
   */
  inboundCacheSize: number;
}

/**
 * Options of `createLiveChat`. Everything is optional: the defaults are the memory store, the
 * memory transport, no bot, the system clock and sortable random ids.
 * @public
 */
export interface LiveChatOptions {
  /** Where everything is kept; the memory store by default. */
  store?: Store;
  /** Where outbound messages go; the memory transport by default. */
  transport?: Transport;
  /** Answers customers first; `null` or absent for no bot. */
  bot?: Bot | null;
  /** Time and timers; the system clock by default, `manualClock()` in tests. */
  clock?: Clock;
  /** Id generation; {@link sortableIds} by default. */
  ids?: IdGenerator;
  /** Where background failures are reported; the console by default. */
  logger?: Logger;
  /** Overrides of {@link defaultPolicy}. */
  policy?: Partial<Policy>;
  /**
   * Tag rules, as code (`{ id, evaluate }`) or as data (JSON, see `tagRuleDefinitionSchema`),
   * evaluated in order inside the unit of work of each event they listen to. A declarative rule
   * that does not parse makes `createLiveChat` throw `INVALID_INPUT` naming it.
   */
  tagRules?: Array<TagRule | TagRuleDefinition>;
}

const durationSchema = z
  .object({
    years: z.number().min(0).optional(),
    months: z.number().min(0).optional(),
    weeks: z.number().min(0).optional(),
    days: z.number().min(0).optional(),
    hours: z.number().min(0).optional(),
    minutes: z.number().min(0).optional(),
    seconds: z.number().min(0).optional(),
  })
  .strict();

const policySchema = z
  .object({
    historyAfter: durationSchema,
    replyWindow: durationSchema,
    botAnswersRequested: z.boolean(),
    adminsSeeAll: z.boolean(),
    onBotFailure: z.enum(['request-human', 'ignore']),
    botTimeoutMs: z.number().int().positive(),
    firstMessageTag: z.string().min(1).nullable(),
    firstMessageTagRules: z.array(z.object({ keywords: z.array(z.string().min(1)).min(1), tag: z.string().min(1).max(128) }).strict()),
    undefinedAttributes: z.enum(['text', 'reject']),
    optOutAttribute: z.string().min(1).max(128),
    broadcastReplyWindow: durationSchema,
    lastSeenPrecisionMs: z.number().int().min(0),
    maxSendAttempts: z.number().int().min(1),
    retryBaseMs: z.number().int().positive(),
    retryMaxMs: z.number().int().positive(),
    outboxLeaseMs: z.number().int().positive(),
    tickMs: z.number().int().positive(),
    inboundCacheSize: z.number().int().min(0),
  })
  .strict();

/** The default policy. @public */
export const defaultPolicy: Readonly<Policy> = Object.freeze({
  historyAfter: { hours: 24 },
  replyWindow: { hours: 24 },
  botAnswersRequested: true,
  adminsSeeAll: true,
  onBotFailure: 'request-human',
  botTimeoutMs: 10_000,
  firstMessageTag: 'first-message',
  firstMessageTagRules: [],
  undefinedAttributes: 'text',
  optOutAttribute: 'optedOut',
  broadcastReplyWindow: { hours: 72 },
  lastSeenPrecisionMs: 60_000,
  maxSendAttempts: 5,
  retryBaseMs: 1_000,
  retryMaxMs: 300_000,
  outboxLeaseMs: 30_000,
  tickMs: 1_000,
  inboundCacheSize: 10_000,
});

/** Merges `policy` over the defaults and validates the result. */
export function resolvePolicy(policy: Partial<Policy> | undefined): Policy {
  return parseInput(policySchema, { ...defaultPolicy, ...policy }, 'policy') as Policy;
}
