import { LiveChatError, parseInput } from '../../errors.js';
import { idSchema, type Author } from '../../model/actor.js';
import type { AudienceFilter } from '../../model/audience.js';
import { emptyCampaignCounts, type Campaign } from '../../model/campaign.js';
import type { Contact } from '../../model/contact.js';
import type { JourneyEvent } from '../../model/journey.js';
import type { Message } from '../../model/message.js';
import type { OutboxItem, Page, VersionedWrite } from '../../ports/store.js';
import { campaignEvent, settleCampaign } from '../campaigns.js';
import { nowIso, type EngineContext } from '../context.js';
import { queueOutbound } from '../outbound.js';
import { adminByInputSchema, broadcastInputSchema, cursorPageInputSchema, type AdminByInput, type BroadcastInput, type CursorPageInput } from '../profile-inputs.js';
import { tagContact } from '../tagging.js';
import { emitAll, runUnit } from '../unit-of-work.js';
import { requireAdmin } from './agents.js';
import { contactFilterOf } from './audience.js';

// Recipients queued per unit of work: large enough to be quick, small enough that a busy contact
// conflicting with live traffic retries only a small batch.
const BATCH = 200;

async function requireCampaign(ctx: EngineContext, id: string): Promise<Campaign> {
  const campaign = await ctx.store.getCampaign(id);
  if (!campaign) throw new LiveChatError('NOT_FOUND', { message: `No campaign ${id}.`, details: { campaignId: id } });
  return campaign;
}

/**
 * Starts a broadcast: counts the audience (opted-out contacts are skipped and counted), records
 * the campaign, then queues one template message per recipient (see {@link queueRecipients}).
 * Resolves once every recipient is queued; the outbox sends them at the transport's pace.
 */
export async function broadcast(ctx: EngineContext, raw: BroadcastInput): Promise<Campaign> {
  const input = parseInput(broadcastInputSchema, raw, 'broadcast input');
  if (input.audience.optOut === 'only') {
    throw new LiveChatError('INVALID_INPUT', { message: 'Invalid broadcast input.audience.optOut: a broadcast cannot target only opted-out contacts', path: ['audience', 'optOut'] });
  }
  const actor = await requireAdmin(ctx, input.by);
  const audience = input.audience as AudienceFilter;
  const channel = ctx.transport.channel;
  const everyone = await ctx.store.countContacts(contactFilterOf(ctx, { ...audience, optOut: 'include' }, channel));
  const optedOut = audience.optOut === 'exclude' ? await ctx.store.countContacts(contactFilterOf(ctx, { ...audience, optOut: 'only' }, channel)) : 0;
  const campaign: Campaign = {
    id: ctx.ids('cmp'),
    name: input.name,
    tag: input.name,
    channel,
    template: input.template,
    audience,
    status: 'queueing',
    createdBy: actor,
    createdAt: nowIso(ctx),
    finishedAt: null,
    cursor: null,
    counts: { ...emptyCampaignCounts(), audience: everyone, optedOut },
    version: 1,
  };
  await runUnit(ctx, async () => ({ changes: { campaigns: [{ record: campaign, expectedVersion: null }] }, result: undefined }));
  emitAll(ctx, [campaignEvent(ctx, 'broadcast.started', campaign)]);
  return queueRecipients(ctx, campaign.id);
}

/**
 * Queues a campaign's recipients batch by batch, from where it stopped (`campaign.cursor`). Each
 * batch is one unit of work: the messages (outside any conversation), their outbox items, the
 * broadcast tag on each recipient, the campaign's new cursor and figures. A cancel makes the
 * next batch stop; two instances resuming at once conflict on the campaign's version, so no
 * recipient is queued twice. Emits `broadcast.progress` after each batch.
 */
export async function queueRecipients(ctx: EngineContext, campaignId: string): Promise<Campaign> {
  for (;;) {
    const done = await runUnit<boolean>(ctx, async () => {
      const campaign = await requireCampaign(ctx, campaignId);
      if (campaign.status !== 'queueing') return { changes: {}, result: true };
      const page = await ctx.store.listContacts(contactFilterOf(ctx, campaign.audience, campaign.channel), { cursor: campaign.cursor, limit: BATCH });
      const at = nowIso(ctx);
      const author: Author = campaign.createdBy.type === 'agent' ? campaign.createdBy : { type: 'system' };
      const contacts: VersionedWrite<Contact>[] = [];
      const messages: Message[] = [];
      const outbox: OutboxItem[] = [];
      const journey: JourneyEvent[] = [];
      for (const contact of page.items) {
        const queued = queueOutbound(ctx, { conversation: null, contact, content: campaign.template, author, replyTo: null, at, campaignId });
        messages.push(queued.message);
        outbox.push(queued.outbox);
        const tagged = tagContact(ctx, contact, campaign.tag, { source: 'broadcast', actor: campaign.createdBy, at, conversationId: null, campaignId });
        if (tagged.contact !== contact) contacts.push({ record: { ...tagged.contact, version: contact.version + 1 }, expectedVersion: contact.version });
        journey.push(...tagged.journey);
      }
      const finished = page.nextCursor === null;
      const next: Campaign = {
        ...campaign,
        cursor: page.items[page.items.length - 1]?.id ?? campaign.cursor,
        status: finished ? 'sending' : 'queueing',
        version: campaign.version + 1,
      };
      const n = page.items.length;
      return {
        changes: {
          campaigns: [{ record: next, expectedVersion: campaign.version }],
          contacts,
          messages,
          outboxInserts: outbox,
          journey,
          ...(n > 0 ? { campaignIncrements: [{ id: campaignId, counts: { queued: n, pending: n } }] } : {}),
        },
        result: finished,
      };
    });
    const campaign = await settleCampaign(ctx, campaignId);
    if (done) return campaign ?? (await requireCampaign(ctx, campaignId));
  }
}

/**
 * Cancels a broadcast: queueing stops, and every message not yet sent stays unsent (the outbox
 * retires them as `broadcast.cancelled` instead of sending). Cancelling twice is a no-op; a
 * completed broadcast cannot be cancelled (`INVALID_TRANSITION`).
 */
export async function cancelBroadcast(ctx: EngineContext, id: string, options?: AdminByInput): Promise<Campaign> {
  const campaignId = parseInput(idSchema, id, 'campaignId');
  await requireAdmin(ctx, parseInput(adminByInputSchema, options, 'options').by);
  let changed = false;
  const campaign = await runUnit<Campaign>(ctx, async () => {
    const current = await requireCampaign(ctx, campaignId);
    changed = false;
    if (current.status === 'cancelled') return { changes: {}, result: current };
    if (current.status === 'completed') {
      throw new LiveChatError('INVALID_TRANSITION', { message: `Campaign ${campaignId} already completed.`, details: { campaignId, status: current.status } });
    }
    changed = true;
    const record: Campaign = { ...current, status: 'cancelled', finishedAt: nowIso(ctx), version: current.version + 1 };
    return { changes: { campaigns: [{ record, expectedVersion: current.version }] }, result: record };
  });
  if (changed) {
    emitAll(ctx, [campaignEvent(ctx, 'broadcast.cancelled', campaign)]);
    // Retire what is queued now rather than whenever the scheduler next runs.
    ctx.dispatch();
  }
  return campaign;
}

/** Finishes queueing a broadcast interrupted by a crash or a restart, then lets the outbox send. */
export async function resumeBroadcast(ctx: EngineContext, id: string): Promise<Campaign> {
  const campaignId = parseInput(idSchema, id, 'campaignId');
  await requireCampaign(ctx, campaignId);
  const campaign = await queueRecipients(ctx, campaignId);
  ctx.dispatch();
  return campaign;
}

/** A campaign with its figures, or `null`. */
export async function getCampaign(ctx: EngineContext, id: string): Promise<Campaign | null> {
  return ctx.store.getCampaign(parseInput(idSchema, id, 'campaignId'));
}

/** One page of campaigns, newest first. */
export async function listCampaigns(ctx: EngineContext, raw?: CursorPageInput): Promise<Page<Campaign>> {
  const page = parseInput(cursorPageInputSchema, raw, 'page');
  return ctx.store.listCampaigns({ cursor: page.cursor ?? null, limit: page.limit });
}
