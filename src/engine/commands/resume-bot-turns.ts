import type { Conversation, PendingBotTurn } from '../../model/conversation.js';
import { nowIso, type EngineContext } from '../context.js';
import { runUnit } from '../unit-of-work.js';
import { botMayAnswer, owedTurn, runBotTurn, settled } from './bot-turn.js';

// Conversations resumed side by side: a bot may take seconds per turn, and after a crash many
// turns may be owed at once, which should not all land on the bot together.
export const RESUME_BATCH = 25;
/** A turn resumed this many times without its commit landing is given up as a bot failure. */
const MAX_RESUMES = 3;

/**
 * Takes a conversation's first owed turn that is due, for this engine: its due time moves a
 * lease ahead in a versioned commit, so of engines resuming at once exactly one takes it, and
 * each turn gets a lease of its own when it starts. When the state no longer lets the bot answer
 * (an agent took the chat, it went to History), every due turn is settled there instead,
 * without asking the bot. Returns the conversation as claimed and the turn it took.
 */
function claimNext(ctx: EngineContext, id: string, now: string, listed?: Conversation): Promise<{ conversation: Conversation; turn: PendingBotTurn } | null> {
  // The first attempt starts from the record just listed: a stale one fails the commit on its
  // version, and every retry reads afresh.
  let read = async () => listed ?? ctx.store.getConversation(id);
  return runUnit(ctx, async () => {
    const conversation = await read();
    read = () => ctx.store.getConversation(id);
    const due = (turn: PendingBotTurn) => turn.dueAt <= now;
    const next = conversation?.pendingBotTurns?.find(due);
    // Gone, answered, or taken by another engine since it was listed.
    if (!conversation || !next) return { changes: {}, result: null };
    const expectedVersion = conversation.version;
    if (!botMayAnswer(ctx, conversation)) {
      const record = { ...settled(conversation, due), version: expectedVersion + 1 };
      return { changes: { conversations: [{ record, expectedVersion }] }, result: null };
    }
    const turn: PendingBotTurn = { ...owedTurn(ctx, next.messageId), resumes: (next.resumes ?? 0) + 1 };
    const pendingBotTurns = conversation.pendingBotTurns!.map((owed) => (owed === next ? turn : owed));
    const record = { ...conversation, pendingBotTurns, version: expectedVersion + 1 };
    return { changes: { conversations: [{ record, expectedVersion }] }, result: { conversation: record, turn } };
  });
}

/** Runs a conversation's due turns one by one, in the order their messages came. */
async function resumeConversation(ctx: EngineContext, listed: Conversation, now: string): Promise<number> {
  const { id } = listed;
  let resumed = 0;
  for (let claimed = await claimNext(ctx, id, now, listed); claimed; claimed = await claimNext(ctx, id, now)) {
    const { conversation, turn } = claimed;
    // The message was committed with its turn, and records are never deleted: both exist.
    const [message, contact] = await Promise.all([ctx.store.getMessage(turn.messageId), ctx.store.getContact(conversation.contactId)]);
    // A turn whose commit keeps failing (the store refuses what the bot answers) is not asked
    // again without end: it ends as a failed bot does, by policy with a human requested.
    const failure = turn.resumes! > MAX_RESUMES ? `the bot turn could not be completed after ${MAX_RESUMES} resumes` : undefined;
    ctx.logger.warn('resuming a bot turn that was never answered', { conversationId: id, messageId: turn.messageId, resumes: turn.resumes, failure });
    await runBotTurn(ctx, { message: message!, contact: contact!, conversation }, { turn, ...(failure ? { failure } : {}) });
    resumed += 1;
  }
  return resumed;
}

/**
 * Runs the bot turns that are owed and due: those whose engine died between the commit of the
 * customer's message and the commit of the bot's answer, or stalled past the bot's timeout and
 * an outbox lease. The customer's message was committed (and a webhook acknowledged), so
 * nobody will send it again: this is the only way its answer comes. A conversation that fails
 * is logged and left to a later run (its turn comes due again), never holding back the others.
 */
export async function resumeBotTurns(ctx: EngineContext): Promise<{ resumed: number }> {
  if (!ctx.bot) return { resumed: 0 };
  let resumed = 0;
  for (;;) {
    const now = nowIso(ctx);
    const due = await ctx.store.listBotTurnsDue({ now, limit: RESUME_BATCH });
    const outcomes = await Promise.allSettled(due.map((listed) => resumeConversation(ctx, listed, now)));
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') resumed += outcome.value;
      else ctx.logger.error('resuming a bot turn failed', { conversationId: due[i]!.id, error: outcome.reason });
    });
    // Claimed and settled turns are no longer due, so a full batch means more may be; a batch
    // where every conversation failed would only fail again now.
    if (due.length < RESUME_BATCH || outcomes.every((o) => o.status === 'rejected')) return { resumed };
  }
}
