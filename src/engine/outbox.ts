import type { Campaign } from '../model/campaign.js';
import type { DeliveryError, Message } from '../model/message.js';
import type { ChangeSet, OutboxItem } from '../ports/store.js';
import type { SendResult } from '../ports/transport.js';
import { settleCampaign } from './campaigns.js';
import { journal, nowIso, type EngineContext } from './context.js';
import { tokenBucket, type Pacer } from './pacer.js';
import { untagContact } from './tagging.js';
import { leaseFrom, runUnit, type Decision } from './unit-of-work.js';

const CLAIM_BATCH = 100;

type Sent = { retryAt: string | null };

const SYSTEM = { type: 'system' } as const;
const CANCELLED: DeliveryError = { code: 'broadcast.cancelled', message: 'The broadcast was cancelled before this message was sent.' };

/**
 * Sends outbox items through the transport and records the outcome. Items are claimed with a
 * lease, so two dispatchers (or two engine instances) never send the same item at once, and a
 * crashed dispatcher's items are picked up again when the lease expires. One conversation's
 * messages go out in order: they are chained per conversation, and a retryable failure holds
 * back the ones queued behind it.
 *
 * When the transport declares `maxPerSecond`, sends are paced by a token bucket and a single
 * claim loop runs at a time, claiming about one second of sends at once, so a
 * broadcast never floods the transport and no claimed item outlives its lease in memory.
 *
 * Broadcast items check their campaign right before sending: a cancelled campaign's items are
 * never sent (the message fails as `broadcast.cancelled` and the contact loses the broadcast
 * tag), and every settled send moves the campaign's figures.
 */
export function createDispatcher(ctx: EngineContext) {
  const chains = new Map<string, Promise<void>>();
  const perSecond = ctx.transport.maxPerSecond;
  const pacer: Pacer | null = perSecond !== undefined && perSecond > 0 ? tokenBucket(ctx.clock, perSecond) : null;
  // About one second of sends per claim: far inside a lease, and a progress report per second.
  const pacedBatch = perSecond ? Math.max(1, Math.min(CLAIM_BATCH, Math.floor(perSecond), Math.floor((perSecond * ctx.policy.outboxLeaseMs) / 2000))) : CLAIM_BATCH;

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

  const cancelled = async (item: OutboxItem): Promise<Campaign | null> => {
    if (item.campaignId === undefined) return null;
    const campaign = await ctx.store.getCampaign(item.campaignId);
    return campaign?.status === 'cancelled' ? campaign : null;
  };

  async function deliver(item: OutboxItem): Promise<Sent> {
    // Checked before waiting for a slot (a cancelled campaign drains without using the pace) and
    // again right before the send, so a cancel that lands while we wait still stops the message.
    let stopped = item.campaignId === undefined ? null : await cancelled(item);
    if (!stopped && pacer) {
      await pacer.take();
      stopped = await cancelled(item);
    }
    if (stopped) return drainCancelled(item, stopped);
    const campaign = item.campaignId === undefined ? null : await ctx.store.getCampaign(item.campaignId);
    const result = await send(item);
    if (result.ok && !campaign && ctx.emitter.eventNames().length === 0) {
      // Recording a plain send needs nothing of the stored message unless someone listens for
      // its status: the commit rests on its 'pending' status alone, one read fewer per send. If
      // another dispatcher settled it meanwhile, the commit is refused and settle() tidies up.
      const now = nowIso(ctx);
      const recorded = await runUnit<boolean>(
        ctx,
        async () => ({
          changes: {
            messageUpdates: [{ id: item.messageId, expectedStatus: 'pending', status: 'sent', statusAt: now, externalId: result.externalId }],
            outboxDeletes: [item.id],
          },
          result: true,
        }),
        { onConflict: async () => false },
      );
      if (recorded) return { retryAt: null };
    }
    return settle(item, async (message, now) => {
      const figures = (counts: Record<string, number>): ChangeSet =>
        campaign ? { campaignIncrements: [{ id: campaign.id, counts: { ...counts, pending: -1 } }] } : {};
      if (result.ok) {
        const sent: Message = { ...message, status: 'sent', statusAt: now, externalId: result.externalId };
        return {
          changes: {
            messageUpdates: [{ id: message.id, expectedStatus: 'pending', status: 'sent', statusAt: now, externalId: result.externalId }],
            outboxDeletes: [item.id],
            ...figures({ sent: 1 }),
            journey: campaign
              ? [
                  journal(ctx, {
                    type: 'broadcast.sent',
                    contactId: message.contactId,
                    conversationId: null,
                    actor: SYSTEM,
                    at: now,
                    data: { campaignId: campaign.id, name: campaign.name, template: campaign.template.name, messageId: message.id },
                  }),
                ]
              : [],
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
          ...figures({ failed: 1 }),
          journey: [
            journal(ctx, {
              type: 'message.failed',
              contactId: message.contactId,
              conversationId: message.conversationId,
              actor: SYSTEM,
              at: now,
              data: { messageId: message.id, code: error.code, reason: error.message, kind: result.kind, attempts, stage: 'send' },
            }),
          ],
        },
        result: { retryAt: null },
      };
    });
  }

  /**
   * Records the outcome for one claimed item as a unit of work, while its message is still
   * pending. Otherwise another dispatcher finished it (one whose lease we outlived), and the
   * item is only tidied away; a vanished item means it completed between our claim and commit.
   */
  function settle(item: OutboxItem, decide: (message: Message, now: string) => Promise<Decision<Sent>>): Promise<Sent> {
    return runUnit<Sent>(
      ctx,
      async () => {
        const now = nowIso(ctx);
        const message = await ctx.store.getMessage(item.messageId);
        if (!message || message.status !== 'pending') return { changes: { outboxDeletes: [item.id] }, result: { retryAt: null } };
        return decide(message, now);
      },
      { onConflict: async (c) => (c.entity === 'outbox' ? { retryAt: null } : undefined) },
    );
  }

  /** Retires an item of a cancelled broadcast without sending it. */
  function drainCancelled(item: OutboxItem, campaign: Campaign): Promise<Sent> {
    return settle(item, async (message, now) => {
      const contact = await ctx.store.getContact(item.contactId);
      const failed = journal(ctx, {
        type: 'message.failed',
        contactId: message.contactId,
        conversationId: null,
        actor: SYSTEM,
        at: now,
        data: { messageId: message.id, code: CANCELLED.code, reason: CANCELLED.message, stage: 'cancelled', campaignId: campaign.id },
      });
      // The broadcast tag marks recipients; one who never got the message is not one.
      const untag =
        contact && contact.tags[campaign.tag]?.campaignId === campaign.id
          ? untagContact(ctx, contact, campaign.tag, { actor: SYSTEM, at: now, source: 'broadcast', conversationId: null, reason: 'broadcast cancelled', campaignId: campaign.id })
          : null;
      return {
        changes: {
          messageUpdates: [{ id: message.id, expectedStatus: 'pending', status: 'failed', statusAt: now, error: CANCELLED }],
          outboxDeletes: [item.id],
          campaignIncrements: [{ id: campaign.id, counts: { cancelled: 1, pending: -1 } }],
          contacts: untag && contact ? [{ record: { ...untag.contact, version: contact.version + 1 }, expectedVersion: contact.version }] : [],
          journey: [failed, ...(untag?.journey ?? [])],
        },
        result: { retryAt: null },
      };
    });
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

  /**
   * Sends claimed items, conversations side by side and each one's items in order, then
   * settles the broadcasts they belong to (a campaign completes when its last send settles).
   */
  async function sendInOrder(claimed: OutboxItem[]): Promise<void> {
    const groups = new Map<string, OutboxItem[]>();
    const campaigns = new Set<string>();
    for (const item of claimed) {
      const group = groups.get(item.conversationId);
      if (group) group.push(item);
      else groups.set(item.conversationId, [item]);
      if (item.campaignId !== undefined) campaigns.add(item.campaignId);
    }
    await Promise.all([...groups].map(([conversationId, items]) => enqueue(conversationId, items)));
    for (const id of campaigns) await settleCampaign(ctx, id);
  }

  /** Claims due items (of `conversations` only, when given) batch by batch and sends them, until none is left. */
  async function claimAndSend(conversations: string[] | undefined, batch: number): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await ctx.store.claimOutbox({
        now: nowIso(ctx),
        leaseUntil: leaseFrom(ctx),
        limit: batch,
        ...(conversations ? { conversations } : {}),
      });
      if (claimed.length === 0) return total;
      total += claimed.length;
      await sendInOrder(claimed);
      // Claim again even after a short batch: an item queued behind one we were sending was not
      // claimable by the dispatch its commit started, and only this loop can pick it up now.
    }
  }

  let pump: Promise<number> | null = null;
  let again = false;

  /**
   * Sends `claimed` (items a commit claimed for us), then every due item of `conversations`
   * (of all, when not given), including what queued behind them meanwhile; resolves when they
   * are settled.
   */
  async function sendClaimed(claimed: OutboxItem[], conversations: string[]): Promise<number> {
    await sendInOrder(claimed);
    return claimed.length + (await claimAndSend(conversations, CLAIM_BATCH));
  }

  /** Sends every due item (of `conversations` only, when given); resolves when they are settled. */
  function dispatch(conversations?: string[], claimed: OutboxItem[] = []): Promise<number> {
    if (claimed.length > 0 && conversations) return sendClaimed(claimed, conversations);
    if (!pacer) return claimAndSend(conversations, CLAIM_BATCH);
    // Paced: one loop claims everything due, oldest first; a call while it runs asks it to go on.
    again = true;
    if (pump) return pump;
    pump = (async () => {
      let total = 0;
      while (again) {
        again = false;
        total += await claimAndSend(undefined, pacedBatch);
      }
      return total;
    })().finally(() => {
      pump = null;
    });
    return pump;
  }

  return { dispatch };
}
