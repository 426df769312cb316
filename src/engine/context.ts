import { add, milliseconds, type Duration } from 'date-fns';
import type EventEmitter from 'eventemitter3';
import type { Actor } from '../model/actor.js';
import type { JourneyEvent, JourneyEventType } from '../model/journey.js';
import type { Bot } from '../ports/bot.js';
import type { Clock, IdGenerator, Logger } from '../ports/clock.js';
import type { OutboxItem, Store } from '../ports/store.js';
import type { TagRule } from '../ports/tag-rule.js';
import type { Transport } from '../ports/transport.js';
import type { LiveChatEvents } from './events.js';
import type { InboundCache } from './inbound-cache.js';
import type { Policy } from './options.js';

/** Everything a command needs, built once by createLiveChat. */
export interface EngineContext {
  store: Store;
  transport: Transport;
  bot: Bot | null;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  policy: Policy;
  tagRules: readonly TagRule[];
  emitter: EventEmitter<LiveChatEvents>;
  /** What receive may start from without a read (remote stores only). */
  inboundCache: InboundCache | null;
  /** Runs a promise in the background, tracked by `idle()`; failures are logged. */
  background(label: string, work: Promise<unknown>): void;
  /**
   * Starts dispatching the outbox of these queues (after a commit queued sends), or of all;
   * `claimed` are items the commit already claimed for this instance, sent without a claim.
   */
  dispatch(conversationIds?: string[], claimed?: OutboxItem[]): void;
}

/**
 * Remembers, per key (at most 8 keys), the last input and the text computed from it. Many units
 * of work ask for the same timestamp within one millisecond, and formatting ISO text is most of
 * what a timestamp costs.
 */
function lastPerKey<I>(compute: (input: I, key: number) => string): (key: number, input: I) => string {
  const kept = new Map<number, { input: I; text: string }>();
  return (key, input) => {
    let last = kept.get(key);
    if (last?.input !== input) {
      if (!last && kept.size >= 8) kept.clear();
      kept.set(key, (last = { input, text: compute(input, key) }));
    }
    return last.text;
  };
}

// The clock's last millisecond as text, per offset.
const msText = lastPerKey<number>((ms) => new Date(ms).toISOString());

/** `offset` ms after the clock's time, as a stored timestamp. */
export function isoAfter(ctx: EngineContext, offset: number): string {
  return msText(offset, ctx.clock.now().getTime() + offset);
}

/** The clock's time as a stored timestamp. */
export const nowIso = (ctx: EngineContext): string => isoAfter(ctx, 0);

// Hours, minutes and seconds are fixed lengths of time, unlike days or months on a calendar:
// such a duration is added as milliseconds, which is what date-fns does for them too, without
// its per-call work (several Dates per call, on every message's History due time).
const fixedLength = new WeakMap<Duration, number | null>();
const fixedMs = (duration: Duration): number | null => {
  let ms = fixedLength.get(duration);
  if (ms === undefined) {
    const { hours = 0, minutes = 0, seconds = 0, ...calendar } = duration;
    ms = Object.values(calendar).some((v) => v) ? null : milliseconds({ hours, minutes, seconds });
    fixedLength.set(duration, ms);
  }
  return ms;
};

// The last sum per fixed length: a message asks for "now + History delay" on each conversation copy.
const sumText = lastPerKey<string>((at, ms) => new Date(Date.parse(at) + ms).toISOString());

/** `at` plus a date-fns duration, as a stored timestamp. */
export const later = (at: string, duration: Duration): string => {
  const ms = fixedMs(duration);
  return ms === null ? add(new Date(at), duration).toISOString() : sumText(ms, at);
};

/** The later of two stored timestamps (`null` counts as the earliest). */
export const latest = (a: string | null, b: string): string => (a !== null && a > b ? a : b);

/** A journey entry. */
export function journal(
  ctx: EngineContext,
  input: {
    type: JourneyEventType;
    contactId: string;
    conversationId: string | null;
    actor: Actor;
    at: string;
    data?: Record<string, unknown>;
  },
): JourneyEvent {
  return {
    id: ctx.ids('jev'),
    contactId: input.contactId,
    conversationId: input.conversationId,
    type: input.type,
    actor: input.actor,
    at: input.at,
    data: input.data ?? {},
  };
}
