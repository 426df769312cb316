import { parseInput } from '../../errors.js';
import { conversationStateSchema, type ConversationState } from '../../model/conversation.js';
import type { JourneyEvent, JourneyEventType } from '../../model/journey.js';
import type { EngineContext } from '../context.js';
import { statsInputSchema, type StatsInput } from '../profile-inputs.js';

/**
 * A distribution of durations in milliseconds: how many, the median and the 90th percentile
 * (linear interpolation between ranks, as SQL's `percentile_cont`); `null` when there are none.
 * @public
 */
export interface DurationFigures {
  /** How many durations were measured. */
  count: number;
  /** The median, in ms. */
  medianMs: number | null;
  /** The 90th percentile, in ms. */
  p90Ms: number | null;
}

/**
 * Figures for dashboards over the range `[from, to)`, counted from the journey.
 * @public
 */
export interface LiveChatStats {
  /** Start of the range (inclusive). */
  from: string;
  /** End of the range (exclusive). */
  to: string;
  /** Conversations opened in the range, and the state each was in at the end of it. */
  conversations: { opened: number; byState: Record<ConversationState, number> };
  /** Intervention requests (by customer, bot or API). */
  interventionsRequested: number;
  /** Interventions by agents. */
  interventions: number;
  /** From a request (or a release back to the queue) to the next intervention. */
  requestToIntervention: DurationFigures;
  /** From an intervention to the agent's first reply in that chat. */
  firstAgentResponse: DurationFigures;
  /** Resolutions per agent id. */
  resolutionsByAgent: Record<string, number>;
  /** Conversations that went to History. */
  history: number;
}

const TYPES: JourneyEventType[] = [
  'conversation.opened',
  'intervention.requested',
  'conversation.intervened',
  'conversation.transferred',
  'conversation.released',
  'conversation.resolved',
  'conversation.reopened',
  'conversation.archived',
  'message.sent',
];

/** The `q` quantile of sorted values, interpolating linearly between ranks. */
function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (sorted.length - 1) * q;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

function distribution(values: number[]): DurationFigures {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, medianMs: quantile(sorted, 0.5), p90Ms: quantile(sorted, 0.9) };
}

const ms = (from: string, to: string) => Date.parse(to) - Date.parse(from);

/**
 * Dashboard figures for `[from, to)`. The store pages the journey events of the types involved
 * from its (type, time) index, so the cost follows the activity in the range, not the history.
 */
export async function stats(ctx: EngineContext, raw: StatsInput): Promise<LiveChatStats> {
  const { from, to } = parseInput(statsInputSchema, raw, 'stats range');
  const byState = Object.fromEntries(conversationStateSchema.options.map((s) => [s, 0])) as Record<ConversationState, number>;
  const opened = new Map<string, ConversationState>();
  const waitingSince = new Map<string, string>();
  const unanswered = new Map<string, string>();
  const waits: number[] = [];
  const firstResponses: number[] = [];
  const resolutionsByAgent: Record<string, number> = {};
  let interventionsRequested = 0;
  let interventions = 0;
  let history = 0;

  const apply = (e: JourneyEvent) => {
    const id = e.conversationId;
    if (id === null) return;
    const to = e.data['to'];
    if (opened.has(id) && typeof to === 'string') opened.set(id, to as ConversationState);
    switch (e.type) {
      case 'conversation.opened':
        opened.set(id, 'active');
        return;
      case 'intervention.requested':
        interventionsRequested += 1;
        if (!waitingSince.has(id)) waitingSince.set(id, e.at);
        return;
      case 'conversation.released':
        waitingSince.set(id, e.at);
        return;
      case 'conversation.intervened': {
        interventions += 1;
        const since = waitingSince.get(id);
        if (since !== undefined) waits.push(ms(since, e.at));
        waitingSince.delete(id);
        unanswered.set(id, e.at);
        return;
      }
      case 'message.sent': {
        const since = unanswered.get(id);
        if (since !== undefined && e.actor.type === 'agent') {
          firstResponses.push(ms(since, e.at));
          unanswered.delete(id);
        }
        return;
      }
      case 'conversation.resolved':
        if (e.actor.type === 'agent') resolutionsByAgent[e.actor.id] = (resolutionsByAgent[e.actor.id] ?? 0) + 1;
        waitingSince.delete(id);
        unanswered.delete(id);
        return;
      case 'conversation.archived':
        history += 1;
        return;
      default:
        return;
    }
  };

  let cursor: string | null = null;
  do {
    const page = await ctx.store.listEvents({ types: TYPES, from, to, cursor, limit: 500 });
    page.items.forEach(apply);
    cursor = page.nextCursor;
  } while (cursor !== null);

  for (const state of opened.values()) byState[state] += 1;
  return {
    from,
    to,
    conversations: { opened: opened.size, byState },
    interventionsRequested,
    interventions,
    requestToIntervention: distribution(waits),
    firstAgentResponse: distribution(firstResponses),
    resolutionsByAgent,
    history,
  };
}
