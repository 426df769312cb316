import * as z from 'zod/mini';
import type { Clock } from '../ports/clock.js';
import type { InboxSource } from './source.js';

// The inbox store validates what callers pass it before any optimistic change, so bad input
// never shows up on screen and then vanishes. It runs in browsers, so its schemas are built
// with zod/mini (tree-shaken to what is used) rather than the engine's full schemas; the engine
// validates everything again when the action reaches it.

/** A non-empty string of at most `max` characters, with readable errors. */
export const text = (what: string, max: number) =>
  z.string({ error: `expected ${what} (a string)` }).check(z.minLength(1, `${what} must not be empty`), z.maxLength(max, `${what} is longer than ${max} characters`));

const hasFunctions = (value: unknown, keys: string[]) => typeof value === 'object' && value !== null && keys.every((k) => typeof (value as Record<string, unknown>)[k] === 'function');

const sourceSchema = z.custom<InboxSource>((v) => hasFunctions(v, ['session', 'inbox', 'counts', 'conversation', 'subscribe']), {
  error: 'expected an InboxSource (inProcessSource() or remoteSource())',
});
const clockSchema = z.custom<Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>>((v) => hasFunctions(v, ['now', 'setTimeout', 'clearTimeout']), {
  error: 'expected a Clock with now, setTimeout and clearTimeout',
});
const count = (min: number, max: number, fallback: number) =>
  z._default(z.int({ error: 'expected an integer' }).check(z.minimum(min, `must be at least ${min}`), z.maximum(max, `must be at most ${max}`)), fallback);

/** Options of `createInboxStore`. @public */
export const inboxStoreOptionsSchema = z.object({
  /** Where data comes from and actions go. */
  source: sourceSchema,
  /** The agent id of the person using the inbox. */
  viewer: text('an agent id', 256),
  /** Time for the reply window; the system clock by default. */
  clock: z.optional(clockSchema),
  /** Rows per page of a tab. Default 30. */
  pageSize: count(1, 500, 30),
  /** Messages read when a chat opens (and per older page). Default 50. */
  messagePageSize: count(1, 500, 50),
  /** Journey entries per page. Default 50. */
  journeyPageSize: count(1, 500, 50),
  /** How long before it closes the reply window counts as closing soon, in ms. Default 1 h. */
  closingSoonMs: count(0, 24 * 60 * 60 * 1000, 60 * 60 * 1000),
});

/**
 * Options of `createInboxStore` (see {@link inboxStoreOptionsSchema}).
 * @public
 */
export type InboxStoreOptions = z.input<typeof inboxStoreOptionsSchema>;

export const viewSchema = z.enum(['active', 'requested', 'intervened', 'resolved', 'history'], { error: 'expected one of active, requested, intervened, resolved, history' });
export const targetIdSchema = text('an id', 256);
export const attributeKeySchema = text('an attribute key', 128);
export const attributeSchema = z.union([z.string(), z.number(), z.boolean(), z.null()], { error: 'expected a string, number, boolean or null' });
export const tagSchema = text('a tag', 128);

/**
 * What the composer sends: text, or outbound content whose key fields are there (a template's
 * name and language). The engine checks the full shape (and the channel's limits) again.
 */
export const replyContentSchema = z.union(
  [
    z.string().check(z.trim(), z.minLength(1, 'a reply must not be empty'), z.maxLength(4096, 'a reply is longer than 4096 characters')),
    z.looseObject({ type: z.literal('text'), text: text('the text', 4096) }),
    z.looseObject({ type: z.literal('template'), name: text('the template name', 512), language: text('the template language', 16) }),
    z.looseObject({ type: z.enum(['image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'buttons', 'list', 'reaction']) }),
  ],
  { error: 'expected text, or content with a type the channel can send' },
);
