import { parseInput } from '../../errors.js';
import type { AudienceFilter, ContactFilter } from '../../model/audience.js';
import type { Contact } from '../../model/contact.js';
import type { Page } from '../../ports/store.js';
import type { EngineContext } from '../context.js';
import { audienceInputSchema, cursorPageInputSchema, type AudienceInput, type CursorPageInput } from '../profile-inputs.js';

/**
 * The store filter of an audience: opt-out becomes a test on `policy.optOutAttribute`, so a
 * store needs no notion of it.
 */
export function contactFilterOf(ctx: EngineContext, audience: AudienceFilter, channel?: string): ContactFilter {
  const attributes = [...(audience.attributes ?? [])];
  const key = ctx.policy.optOutAttribute;
  if (audience.optOut === 'exclude') attributes.push({ key, op: 'notEquals', value: true });
  if (audience.optOut === 'only') attributes.push({ key, op: 'equals', value: true });
  return {
    ...(channel === undefined ? {} : { channel }),
    ...(audience.tags ? { tags: audience.tags } : {}),
    ...(attributes.length > 0 ? { attributes } : {}),
    ...(audience.lastSeen ? { lastSeen: audience.lastSeen } : {}),
  };
}

/** How many contacts an audience selects, answered by the store's indexes. */
export async function countAudience(ctx: EngineContext, raw?: AudienceInput): Promise<number> {
  const audience = parseInput(audienceInputSchema, raw, 'audience') as AudienceFilter;
  return ctx.store.countContacts(contactFilterOf(ctx, audience));
}

/** One page of an audience's contacts, by id. */
export async function listAudience(ctx: EngineContext, raw?: AudienceInput, rawPage?: CursorPageInput): Promise<Page<Contact>> {
  const audience = parseInput(audienceInputSchema, raw, 'audience') as AudienceFilter;
  const page = parseInput(cursorPageInputSchema, rawPage, 'page');
  return ctx.store.listContacts(contactFilterOf(ctx, audience), { cursor: page.cursor ?? null, limit: page.limit });
}
