import type { Conversation, PendingBotTurn } from '../../model/conversation.js';
import { nowIso, type EngineContext } from '../context.js';
import { runUnit } from '../unit-of-work.js';
import { botMayAnswer, owedTurn, runBotTurn, settled } from './bot-turn.js';

const BATCH = 100;

/**
 * Takes a conversation's owed turns that are due for this engine: their due times move a lease
 * ahead in a versioned commit, so of engines resuming at once exactly one takes them. Turns the
 * state no longer lets the bot answer (an agent took the chat, it went to History) are settled
 * there without asking the bot. Returns the conversation as claimed and the turns it took.
 */
function claim(ctx: EngineContext, id: string, now: string): Promise<{ conversation: Conversation; turns: PendingBotTurn[] } | null> {
  return runUnit(ctx, async () => {
    const conversation = await ctx.store.getConversation(id);
    const due = (turn: PendingBotTurn) => turn.dueAt <= now;
    // Gone, answered, or taken by another engine since it was listed.
    if (!conversation?.pendingBotTurns?.some(due)) return { changes: {}, result: null };
    const version = conversation.version + 1;
    if (!botMayAnswer(ctx, conversation)) {
      const record = { ...settled(conversation, due), version };
      return { changes: { conversations: [{ record, expectedVersion: conversation.version }] }, result: null };
    }
    const taken = new Map(conversation.pendingBotTurns.filter(due).map((turn) => [turn.messageId, owedTurn(ctx, turn.messageId)]));
    const record = { ...conversation, pendingBotTurns: conversation.pendingBotTurns.map((turn) => taken.get(turn.messageId) ?? turn), version };
    return { changes: { conversations: [{ record, expectedVersion: conversation.version }] }, result: { conversation: record, turns: [...taken.values()] } };
  });
}

/** Runs a conversation's claimed turns in the order their messages came, as any turn runs. */
async function resume(ctx: EngineContext, claimed: { conversation: Conversation; turns: PendingBotTurn[] }): Promise<number> {
  let resumed = 0;
  for (const [i, turn] of claimed.turns.entries()) {
    // After the first turn, the next starts from what that one committed.
    const conversation = i === 0 ? claimed.conversation : await ctx.store.getConversation(claimed.conversation.id);
    // The message was committed with its turn, and records are never deleted: both exist.
    const [message, contact] = await Promise.all([ctx.store.getMessage(turn.messageId), ctx.store.getContact(claimed.conversation.contactId)]);
    ctx.logger.warn('resuming a bot turn that was never answered', { conversationId: claimed.conversation.id, messageId: turn.messageId });
    await runBotTurn(ctx, { message: message!, contact: contact!, conversation: conversation! }, turn);
    resumed += 1;
  }
  return resumed;
}

/**
 * Runs the bot turns that are owed and due: those whose engine died between the commit of the
 * customer's message and the commit of the bot's answer, or stalled past the bot's timeout and
 * an outbox lease. The customer's message was acknowledged (the webhook answered 200), so
 * nobody will send it again: this is the only way its answer comes. Conversations go side by
 * side (a bot may take seconds), each one's turns in order.
 */
export async function resumeBotTurns(ctx: EngineContext): Promise<{ resumed: number }> {
  if (!ctx.bot) return { resumed: 0 };
  let resumed = 0;
  for (;;) {
    const now = nowIso(ctx);
    const due = await ctx.store.listBotTurnsDue({ now, limit: BATCH });
    const counts = await Promise.all(
      due.map(async ({ id }) => {
        const claimed = await claim(ctx, id, now);
        return claimed ? resume(ctx, claimed) : 0;
      }),
    );
    resumed += counts.reduce((a, b) => a + b, 0);
    // Claimed and settled turns are no longer due: a full batch means more may be.
    if (due.length < BATCH) return { resumed };
  }
}
