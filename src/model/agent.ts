import { z } from 'zod';
import { idSchema } from './actor.js';

/**
 * A human agent. Admins may act on any conversation; whether they also see every
 * intervened chat is the policy's `adminsSeeAll`.
 * @public
 */
export const agentSchema = z.object({
  id: idSchema,
  name: z.string().min(1).max(200),
  role: z.enum(['agent', 'admin']),
});

/**
 * A human agent (see {@link agentSchema}).
 * @public
 */
export type Agent = z.infer<typeof agentSchema>;
