import { LiveChatError, parseInput } from '../../errors.js';
import { idSchema } from '../../model/actor.js';
import type { Actor } from '../../model/actor.js';
import type { Agent } from '../../model/agent.js';
import type { EngineContext } from '../context.js';
import { agentInputSchema } from '../inputs.js';

/** The registered agent, or `UNKNOWN_AGENT`. */
export async function requireAgent(ctx: EngineContext, agentId: string): Promise<Agent> {
  const agent = await ctx.store.getAgent(agentId);
  if (!agent) throw new LiveChatError('UNKNOWN_AGENT', { message: `Agent ${agentId} was never registered.`, details: { agentId } });
  return agent;
}

export async function upsertAgent(ctx: EngineContext, input: Agent): Promise<Agent> {
  const agent = parseInput(agentInputSchema, input, 'agent');
  await ctx.store.upsertAgent(agent);
  return agent;
}

export async function getAgent(ctx: EngineContext, id: string): Promise<Agent | null> {
  return ctx.store.getAgent(parseInput(idSchema, id, 'agentId'));
}

/**
 * The actor of a configuration change or broadcast: integrator code, or an agent who must be an
 * admin (`FORBIDDEN` otherwise).
 */
export async function requireAdmin(ctx: EngineContext, by: 'api' | { agentId: string }): Promise<Actor> {
  if (by === 'api') return { type: 'api' };
  const agent = await requireAgent(ctx, by.agentId);
  if (agent.role !== 'admin') {
    throw new LiveChatError('FORBIDDEN', { message: `Agent ${agent.id} is not an admin.`, details: { agentId: agent.id } });
  }
  return { type: 'agent', id: agent.id };
}
