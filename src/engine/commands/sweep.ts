import type { Conversation } from '../../model/conversation.js';
import type { JourneyEvent } from '../../model/journey.js';
import type { VersionedWrite } from '../../ports/store.js';
import { nowIso, type EngineContext } from '../context.js';
import { applyLifecycle } from '../lifecycle-step.js';
import { runUnit } from '../unit-of-work.js';

const BATCH = 100;
// How long a claimed due conversation is ours before another sweeper may take it (a sweeper
// that crashed mid-batch); a commit on the conversation releases the claim at once.
const CLAIM_MS = 60_000;
const SYSTEM = { type: 'system' } as const;

/** The History step for those of `conversations` still due at `now`, as one unit's decision. */
function archiveDue(ctx: EngineContext, conversations: Array<Conversation | null>, now: string) {
  const writes: VersionedWrite<Conversation>[] = [];
  const journey: JourneyEvent[] = [];
  for (const conversation of conversations) {
    if (!conversation || conversation.state === 'history' || conversation.historyDueAt > now) continue;
    const step = applyLifecycle(ctx, conversation, { type: 'history.due' }, SYSTEM, now, { dueAt: conversation.historyDueAt });
    writes.push({ record: step.conversation, expectedVersion: conversation.version });
    journey.push(...step.journey);
  }
  return { changes: { conversations: writes, journey }, result: writes.length };
}

/**
 * Moves every conversation whose History time has come to History. The store answers which
 * are due from its due-time index, so the cost follows the number due, not the number stored;
 * a store shared by several processes claims them (`claimDue`), so concurrent sweepers split
 * the work.
 * Each batch is one unit of work, committed against the versions the store just listed. A
 * message that arrived since (it pushed the due time) or another writer fails that commit; the
 * batch then goes one conversation per unit of work, each read afresh and retried on its own,
 * so one busy chat costs its own retries and not a hundred re-reads per attempt.
 */
export async function sweep(ctx: EngineContext): Promise<{ archived: number }> {
  let archived = 0;
  for (;;) {
    const now = nowIso(ctx);
    const due = ctx.store.claimDue
      ? await ctx.store.claimDue({ now, leaseUntil: new Date(Date.parse(now) + CLAIM_MS).toISOString(), limit: BATCH })
      : await ctx.store.listDue({ now, limit: BATCH });
    const batch = await runUnit<number | null>(ctx, async () => archiveDue(ctx, due, now), { onConflict: async () => null });
    let moved = batch ?? 0;
    if (batch === null)
      for (const { id } of due) moved += await runUnit(ctx, async () => archiveDue(ctx, [await ctx.store.getConversation(id)], now));
    archived += moved;
    // A short batch is the last one; a batch where nothing moved would only repeat itself.
    if (due.length < BATCH || moved === 0) return { archived };
  }
}
