import type { Contact } from '../model/contact.js';
import { later, type EngineContext } from './context.js';

/**
 * The broadcast a customer's message replies to, if any: the newest broadcast tag on the contact
 * (each carries its campaign), when this is the customer's first message since it was applied and
 * it came within `policy.broadcastReplyWindow`. `contact` is as it was before this message, so a
 * second message after the same broadcast counts no second reply.
 */
export function broadcastRepliedTo(ctx: EngineContext, contact: Contact, now: string): { campaignId: string; tag: string } | null {
  let newest: { campaignId: string; tag: string; at: string } | null = null;
  for (const [tag, assignment] of Object.entries(contact.tags)) {
    if (assignment.source !== 'broadcast' || assignment.campaignId === null) continue;
    if (!newest || assignment.at > newest.at) newest = { campaignId: assignment.campaignId, tag, at: assignment.at };
  }
  if (!newest) return null;
  if (contact.lastInboundAt !== null && contact.lastInboundAt >= newest.at) return null;
  if (later(newest.at, ctx.policy.broadcastReplyWindow) < now) return null;
  return { campaignId: newest.campaignId, tag: newest.tag };
}
