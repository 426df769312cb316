import type { Campaign, CampaignCounts } from '../model/campaign.js';
import type { MessageStatus } from '../model/message.js';
import { nowIso, type EngineContext } from './context.js';
import type { BroadcastEventType, LiveChatEvent } from './events.js';
import { emitAll, runUnit } from './unit-of-work.js';

/** A broadcast event carrying the campaign. */
export function campaignEvent(ctx: EngineContext, type: BroadcastEventType, campaign: Campaign): LiveChatEvent {
  return { type, at: nowIso(ctx), journey: null, conversation: null, contact: null, message: null, campaign };
}

// The figures a message counts in once it reached a status: a read message was also delivered
// and sent, so a receipt that skips ahead still counts every figure on the way.
const reached: Record<MessageStatus, ReadonlyArray<keyof CampaignCounts>> = {
  received: [],
  pending: [],
  sent: ['sent'],
  delivered: ['sent', 'delivered'],
  read: ['sent', 'delivered', 'read'],
  failed: ['failed'],
};

/** What a campaign message moving from `from` to `to` adds to the figures (nothing counts twice). */
export function figuresFor(from: MessageStatus, to: MessageStatus): Partial<CampaignCounts> {
  const counts: Partial<CampaignCounts> = {};
  for (const figure of reached[to]) if (!reached[from].includes(figure)) counts[figure] = 1;
  return counts;
}

/**
 * After sends or queueing of a campaign: announces its progress, and completes it once every
 * queued message is settled (sent, failed or cancelled) and queueing is over. Racing instances
 * complete it once: the completion is a versioned write.
 */
export async function settleCampaign(ctx: EngineContext, id: string): Promise<Campaign | null> {
  const campaign = await ctx.store.getCampaign(id);
  if (!campaign) return null;
  emitAll(ctx, [campaignEvent(ctx, 'broadcast.progress', campaign)]);
  if (campaign.status !== 'sending' || campaign.counts.pending > 0) return campaign;
  const completed = await runUnit<Campaign | null>(ctx, async () => {
    const fresh = await ctx.store.getCampaign(id);
    if (!fresh || fresh.status !== 'sending' || fresh.counts.pending > 0) return { changes: {}, result: null };
    const record: Campaign = { ...fresh, status: 'completed', finishedAt: nowIso(ctx), version: fresh.version + 1 };
    return { changes: { campaigns: [{ record, expectedVersion: fresh.version }] }, result: record };
  });
  if (!completed) return (await ctx.store.getCampaign(id)) ?? campaign;
  emitAll(ctx, [campaignEvent(ctx, 'broadcast.completed', completed)]);
  return completed;
}
