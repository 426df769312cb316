import { LiveChatError } from '../errors.js';
import type { Contact } from '../model/contact.js';
import type { Conversation } from '../model/conversation.js';
import type { Message } from '../model/message.js';
import type { ChangeSet, CommitConflict } from '../ports/store.js';
import { isoAfter, type EngineContext } from './context.js';
import type { LiveChatEvent } from './events.js';

/**
 * What one attempt of a command decided: the changes to commit and the command's result.
 * `contact` and `conversation` are the records the events should carry when the change set
 * does not rewrite them.
 */
export interface Decision<R> {
  /** Built fresh by each attempt: runUnit may add {@link ChangeSet.claimOutboxUntil} to it. */
  changes: ChangeSet;
  result: R;
  contact?: Contact | null;
  conversation?: Conversation | null;
  /** Extra events that are not journey entries (`message.status`). */
  events?: LiveChatEvent[];
}

export interface UnitOptions<R> {
  /**
   * Turns a conflict into a result instead of a retry (a duplicate inbound message is an
   * answer, not a failure). Return `undefined` to retry.
   */
  onConflict?: (conflict: CommitConflict) => Promise<R | undefined>;
}

const MAX_ATTEMPTS = 30;

// Every part of a change set is a list: empty when none has an entry (new kinds included).
const isEmpty = (c: ChangeSet) => {
  for (const key in c) if ((c[key as keyof ChangeSet] as unknown[] | undefined)?.length) return false;
  return true;
};

// Contention backoff is about other writers, not business time, so it uses the real timer.
const pause = (attempt: number) =>
  new Promise<void>((resolve) => globalThis.setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));

/**
 * Runs one command as a unit of work: read, decide, commit with the versions read, and after
 * the commit emit events and start dispatching the outbox. A version conflict means another
 * writer got there first: the whole attempt runs again on fresh reads, so guards (who owns the
 * chat) are re-checked against the winner's state and surface as the command's own error.
 */
export async function runUnit<R>(
  ctx: EngineContext,
  attempt: () => Promise<Decision<R>>,
  options: UnitOptions<R> = {},
): Promise<R> {
  for (let n = 1; ; n += 1) {
    const decision = await attempt();
    if (isEmpty(decision.changes)) {
      emitAll(ctx, decision.events ?? []);
      return decision.result;
    }
    const inserts = decision.changes.outboxInserts ?? [];
    // Sends queued here are claimed in the same commit where the store can (not under a pacer,
    // which must see every send), sparing the dispatcher a claim per message.
    const claimUntil = inserts.length > 0 && !ctx.transport.maxPerSecond ? leaseFrom(ctx) : undefined;
    // The change set is this attempt's own (see Decision.changes): set on it, not copied.
    const changes = decision.changes;
    if (claimUntil !== undefined) changes.claimOutboxUntil = claimUntil;
    let outcome;
    try {
      outcome = await ctx.store.commit(changes);
    } catch (cause) {
      throw new LiveChatError('STORE_ERROR', { message: `The store failed to commit: ${String(cause)}`, cause });
    }
    if (outcome.ok) {
      ctx.inboundCache?.written(decision.changes);
      // Nobody listening (a batch job, a benchmark): the events are not even built.
      if (ctx.emitter.eventNames().length > 0) emitAll(ctx, [...eventsOf(decision), ...(decision.events ?? [])]);
      if (inserts.length > 0) {
        const claimed = new Set(outcome.claimed);
        const ours = claimed.size === 0 ? [] : inserts.filter((o) => claimed.has(o.id)).map((o) => ({ ...o, leaseUntil: claimUntil! }));
        ctx.dispatch([...new Set(inserts.map((o) => o.conversationId))], ours);
      }
      return decision.result;
    }
    const answer = await options.onConflict?.(outcome.conflict);
    if (answer !== undefined) return answer;
    if (n >= MAX_ATTEMPTS)
      throw new LiveChatError('CONFLICT', { details: { ...outcome.conflict, attempts: n } });
    if (n >= 3) await pause(n);
  }
}

/** The end of a dispatcher's lease on what it claims now. */
export const leaseFrom = (ctx: EngineContext): string => isoAfter(ctx, ctx.policy.outboxLeaseMs);

/** One engine event per journey entry, carrying the records as committed. */
function eventsOf<R>(decision: Decision<R>): LiveChatEvent[] {
  const { changes } = decision;
  const journey = changes.journey ?? [];
  if (journey.length === 0) return [];
  const conversations = new Map<string, Conversation>();
  if (decision.conversation) conversations.set(decision.conversation.id, decision.conversation);
  for (const w of changes.conversations ?? []) conversations.set(w.record.id, w.record);
  const contacts = new Map<string, Contact>();
  if (decision.contact) contacts.set(decision.contact.id, decision.contact);
  for (const w of changes.contacts ?? []) contacts.set(w.record.id, w.record);
  const messages = new Map<string, Message>();
  for (const m of changes.messages ?? []) messages.set(m.id, m);
  return journey.map((entry) => {
    const messageId = entry.data['messageId'];
    return {
      type: entry.type,
      at: entry.at,
      journey: entry,
      conversation: entry.conversationId === null ? null : (conversations.get(entry.conversationId) ?? null),
      contact: contacts.get(entry.contactId) ?? null,
      message: typeof messageId === 'string' ? (messages.get(messageId) ?? null) : null,
    };
  });
}

/** Emits events; a throwing listener is logged and never undoes a committed change. */
export function emitAll(ctx: EngineContext, events: LiveChatEvent[]): void {
  for (const event of events) {
    try {
      ctx.emitter.emit(event.type, event as never);
      ctx.emitter.emit('*', event);
    } catch (error) {
      ctx.logger.error('an event listener threw', { type: event.type, error });
    }
  }
}
