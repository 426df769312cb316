import type { DeliveryError, Message } from '../model/message.js';
import type { OutboxItem } from '../ports/store.js';
import type { SendResult } from '../ports/transport.js';
import { journal, nowIso, type EngineContext } from './context.js';
import { runUnit } from './unit-of-work.js';

const CLAIM_BATCH = 100;

type Sent = { retryAt: string | null };

/**
 * Sends outbox items through the transport and records the outcome. Items are claimed with a
 * lease, so two dispatchers (or two engine instances) never send the same item at once, and a
 * crashed dispatcher's items are picked up again when the lease expires. One conversation's
 * messages go out in order: they are chained per conversation, and a retryable failure holds
 * back the ones queued behind it.
 */
export function createDispatcher(ctx: EngineContext) {
  const chains = new Map<string, Promise<void>>();

  function backoff(attempts: number, retryAfterMs: number | undefined): number {
    const exponential = Math.min(ctx.policy.retryMaxMs, ctx.policy.retryBaseMs * 2 ** (attempts - 1));
    const jittered = exponential * (0.8 + Math.random() * 0.4);
    return Math.max(jittered, retryAfterMs ?? 0);
  }

  async function send(item: OutboxItem): Promise<SendResult> {
    if (item.channel !== ctx.transport.channel) {
      return { ok: false, kind: 'final', error: { code: 'channel.mismatch', message: `no transport for channel ${item.channel}` } };
    }
    try {
      return await ctx.transport.send({ messageId: item.messageId, to: item.to, content: item.content, replyTo: item.replyTo });
    } catch (error) {
      return { ok: false, kind: 'retryable', error: { code: 'transport.threw', message: error instanceof Error ? error.message : String(error) } };
    }
  }

  async function deliver(item: OutboxItem): Promise<Sent> {
    const result = await send(item);
    return runUnit<Sent>(
      ctx,
      async () => {
        const now = nowIso(ctx);
        const message = await ctx.store.getMessage(item.messageId);
        // Someone else finished this item (a dispatcher whose lease we outlived): only tidy up.
        if (!message || message.status !== 'pending') return { changes: { outboxDeletes: [item.id] }, result: { retryAt: null } };
        if (result.ok) {
          const sent: Message = { ...message, status: 'sent', statusAt: now, externalId: result.externalId };
          return {
            changes: {
              messageUpdates: [{ id: message.id, expectedStatus: 'pending', status: 'sent', statusAt: now, externalId: result.externalId }],
              outboxDeletes: [item.id],
            },
            result: { retryAt: null },
            events: [{ type: 'message.status', at: now, journey: null, conversation: null, contact: null, message: sent }],
          };
        }
        const attempts = item.attempts + 1;
        if (result.kind === 'retryable' && attempts < ctx.policy.maxSendAttempts) {
          const retryAt = new Date(Date.parse(now) + backoff(attempts, result.retryAfterMs)).toISOString();
          return {
            changes: { outboxUpdates: [{ id: item.id, attempts, dueAt: retryAt, lastError: result.error }] },
            result: { retryAt },
          };
        }
        const error: DeliveryError = result.error;
        return {
          changes: {
            messageUpdates: [{ id: message.id, expectedStatus: 'pending', status: 'failed', statusAt: now, error }],
            outboxDeletes: [item.id],
            journey: [
              journal(ctx, {
                type: 'message.failed',
                contactId: message.contactId,
                conversationId: message.conversationId,
                actor: { type: 'system' },
                at: now,
                data: { messageId: message.id, code: error.code, reason: error.message, kind: result.kind, attempts, stage: 'send' },
              }),
            ],
          },
          result: { retryAt: null },
        };
      },
      // The item vanished: another dispatcher completed it between our claim and our commit.
      { onConflict: async (c) => (c.entity === 'outbox' ? { retryAt: null } : undefined) },
    );
  }

  /** Sends one conversation's claimed items in order; a retry holds back the rest. */
  async function sendGroup(items: OutboxItem[]): Promise<void> {
    for (let i = 0; i < items.length; i += 1) {
      const { retryAt } = await deliver(items[i]!);
      if (retryAt === null) continue;
      // The rest stay queued behind the retry (claims take a conversation's queue head first);
      // freeing their leases lets them go right after it instead of when the leases expire.
      const held = items.slice(i + 1).map((o) => ({ id: o.id, attempts: o.attempts, dueAt: o.dueAt, lastError: o.lastError }));
      if (held.length > 0) await ctx.store.commit({ outboxUpdates: held });
      return;
    }
  }

  function enqueue(conversationId: string, items: OutboxItem[]): Promise<void> {
    const previous = chains.get(conversationId) ?? Promise.resolve();
    const next = previous.then(() => sendGroup(items));
    const tail = next.catch((error) => ctx.logger.error('outbox dispatch failed', { conversationId, error }));
    chains.set(conversationId, tail);
    void tail.then(() => {
      if (chains.get(conversationId) === tail) chains.delete(conversationId);
    });
    return tail;
  }

  /** Claims due items (of `conversations` only, when given) and sends them; resolves when all are done. */
  async function dispatch(conversations?: string[]): Promise<number> {
    let total = 0;
    for (;;) {
      const now = ctx.clock.now();
      const claimed = await ctx.store.claimOutbox({
        now: now.toISOString(),
        leaseUntil: new Date(now.getTime() + ctx.policy.outboxLeaseMs).toISOString(),
        limit: CLAIM_BATCH,
        ...(conversations ? { conversations } : {}),
      });
      if (claimed.length === 0) return total;
      total += claimed.length;
      const groups = new Map<string, OutboxItem[]>();
      for (const item of claimed) {
        const group = groups.get(item.conversationId);
        if (group) group.push(item);
        else groups.set(item.conversationId, [item]);
      }
      await Promise.all([...groups].map(([conversationId, items]) => enqueue(conversationId, items)));
      // Claim again even after a short batch: an item queued behind one we were sending was not
      // claimable by the dispatch its commit started, and only this loop can pick it up now.
    }
  }

  return { dispatch };
}
