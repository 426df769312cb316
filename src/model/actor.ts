import { z } from 'zod';

/**
 * Who did something: the customer, the bot, an agent, integrator code, a tag rule, or the engine.
 * Every journey event carries one.
 * @public
 */
export const actorSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('customer') }),
  z.object({ type: z.literal('bot') }),
  z.object({ type: z.literal('agent'), id: z.string().min(1) }),
  z.object({ type: z.literal('api') }),
  z.object({ type: z.literal('rule'), id: z.string().min(1) }),
  z.object({ type: z.literal('system') }),
]);

/**
 * Who did something (see {@link actorSchema}).
 * @public
 */
export type Actor = z.infer<typeof actorSchema>;

/**
 * Who wrote a message: a subset of {@link Actor}.
 * @public
 */
export const authorSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('customer') }),
  z.object({ type: z.literal('bot') }),
  z.object({ type: z.literal('agent'), id: z.string().min(1) }),
  z.object({ type: z.literal('system') }),
]);

/**
 * Who wrote a message (see {@link authorSchema}).
 * @public
 */
export type Author = z.infer<typeof authorSchema>;

/** ISO 8601 timestamp as every record stores it (`Date.prototype.toISOString`). @public */
export const timestampSchema = z.iso.datetime({ offset: true });

/** A non-empty identifier. @public */
export const idSchema = z.string().min(1).max(256);
