import { z } from 'zod';
import { actorSchema, idSchema, timestampSchema } from './actor.js';
import { audienceFilterSchema } from './audience.js';
import { templateContentSchema } from './content.js';
import { tagNameSchema } from './tag.js';

/**
 * Where a broadcast is: recipients are being queued (`queueing`), all are queued and the outbox
 * is sending (`sending`), every queued message was sent or failed (`completed`), or it was
 * stopped (`cancelled`: what was not yet sent stays unsent).
 * @public
 */
export const campaignStatusSchema = z.enum(['queueing', 'sending', 'completed', 'cancelled']);

/**
 * Where a broadcast is (see {@link campaignStatusSchema}).
 * @public
 */
export type CampaignStatus = z.infer<typeof campaignStatusSchema>;

const count = z.number().int().min(0);

/**
 * A broadcast's figures. `audience` and `optedOut` are counted when it starts (opted-out contacts
 * are skipped); `queued` messages went into the outbox and `pending` of them are still waiting
 * for their send; `sent`, `delivered` and `read` count the
 * messages that reached at least that status (a read message was also delivered and sent);
 * `failed` were refused; `cancelled` were never sent because the broadcast was cancelled;
 * `replied` counts recipients whose next message came within `policy.broadcastReplyWindow`.
 * @public
 */
export const campaignCountsSchema = z.object({
  audience: count,
  optedOut: count,
  queued: count,
  pending: count,
  sent: count,
  delivered: count,
  read: count,
  failed: count,
  cancelled: count,
  replied: count,
});

/**
 * A broadcast's figures (see {@link campaignCountsSchema}).
 * @public
 */
export type CampaignCounts = z.infer<typeof campaignCountsSchema>;

/**
 * A broadcast: one approved template sent to an audience. Every recipient gets the broadcast tag
 * (`tag`, the broadcast's name). `cursor` is the last contact queued, so queueing resumes where
 * it stopped. `counts` change only through atomic increments (see `ChangeSet.campaignIncrements`).
 * @public
 */
export const campaignSchema = z.object({
  id: idSchema,
  name: z.string().min(1).max(128),
  tag: tagNameSchema,
  channel: z.string().min(1),
  template: templateContentSchema,
  audience: audienceFilterSchema,
  status: campaignStatusSchema,
  createdBy: actorSchema,
  createdAt: timestampSchema,
  /** When it completed or was cancelled. */
  finishedAt: timestampSchema.nullable(),
  cursor: z.string().nullable(),
  counts: campaignCountsSchema,
  version: z.number().int().min(1),
});

/**
 * A broadcast with its figures (see {@link campaignSchema}).
 * @public
 */
export type Campaign = z.infer<typeof campaignSchema>;

/** Figures of a new campaign: all zero. @public */
export const emptyCampaignCounts = (): CampaignCounts => ({
  audience: 0,
  optedOut: 0,
  queued: 0,
  pending: 0,
  sent: 0,
  delivered: 0,
  read: 0,
  failed: 0,
  cancelled: 0,
  replied: 0,
});
