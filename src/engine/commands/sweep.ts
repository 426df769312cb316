import { nowIso, type EngineContext } from '../context.js';
import { applyLifecycle } from '../lifecycle-step.js';
import { runUnit } from '../unit-of-work.js';

const BATCH = 100;
// How long a claimed due conversation is ours before another sweeper may take it (a sweeper
// that crashed mid-batch); a commit on the conversation releases the claim at once.
const CLAIM_MS = 60_000;

/**
 * Moves every conversation whose History time has come to History. The store answers which
 * are due from its due-time index, so the cost follows the number due, not the number stored;
 * a store shared by several processes claims them (`claimDue`), so concurrent sweepers split
 * the work.
 * Each one is re-checked on a fresh read before it moves: a message that arrived since pushed
 * its due time, and another instance may have swept it already.
 */
export async function sweep(ctx: EngineContext): Promise<{ archived: number }> {
  let archived = 0;
  for (;;) {
    const now = nowIso(ctx);
    const due = ctx.store.claimDue
      ? await ctx.store.claimDue({ now, leaseUntil: new Date(Date.parse(now) + CLAIM_MS).toISOString(), limit: BATCH })
      : await ctx.store.listDue({ now, limit: BATCH });
    let moved = 0;
    for (const candidate of due) {
      const done = await runUnit(ctx, async () => {
        const conversation = await ctx.store.getConversation(candidate.id);
        if (!conversation || conversation.state === 'history' || conversation.historyDueAt > now) return { changes: {}, result: false };
        const step = applyLifecycle(ctx, conversation, { type: 'history.due' }, { type: 'system' }, now, { dueAt: conversation.historyDueAt });
        return {
          changes: { conversations: [{ record: step.conversation, expectedVersion: conversation.version }], journey: step.journey },
          result: true,
        };
      });
      if (done) moved += 1;
    }
    archived += moved;
    // A short batch is the last one; a batch where nothing moved would only repeat itself.
    if (due.length < BATCH || moved === 0) return { archived };
  }
}
