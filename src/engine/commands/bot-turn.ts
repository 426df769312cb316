import { LiveChatError } from '../../errors.js';
import { attributeValueSchema, type Contact } from '../../model/contact.js';
import { outboundContentSchema } from '../../model/content.js';
import type { JourneyEvent } from '../../model/journey.js';
import type { Conversation, PendingBotTurn } from '../../model/conversation.js';
import type { Message } from '../../model/message.js';
import type { BotDecision } from '../../ports/bot.js';
import type { OutboxItem } from '../../ports/store.js';
import { z } from 'zod';
import { isoAfter, journal, nowIso, type EngineContext } from '../context.js';
import { applyLifecycle, hasEffect, type AppliedStep } from '../lifecycle-step.js';
import { queueOutbound, touch } from '../outbound.js';
import { setAttributeValues } from './contacts.js';
import { applyTagRules, tagContact } from '../tagging.js';
import { attributeDefinitions, validateAttributeValues } from '../attributes.js';
import { runUnit } from '../unit-of-work.js';
import { lifecycleStep } from '../../lifecycle/transition.js';

const BOT = { type: 'bot' } as const;

// A bot is integrator code: its decision is validated like any other input, and an invalid
// one counts as a bot failure rather than a crash.
const decisionSchema = z.object({
  replies: z.array(outboundContentSchema).optional(),
  handoff: z.union([z.boolean(), z.object({ reason: z.string().optional() })]).optional(),
  attributes: z.record(z.string().min(1), attributeValueSchema).optional(),
  tags: z.array(z.string().min(1)).optional(),
});

type Outcome = { ok: true; decision: BotDecision } | { ok: false; error: string };

/** The bot's decision, validated: an invalid one is a bot failure. */
function checked(raw: BotDecision | null | undefined): Outcome {
  const parsed = decisionSchema.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, error: `bot returned an invalid decision: ${parsed.error.issues[0]?.message}` };
  return { ok: true, decision: parsed.data as BotDecision };
}

const failed = (error: unknown): Outcome => ({ ok: false, error: `bot failed: ${error instanceof Error ? error.message : String(error)}` });

async function askBot(ctx: EngineContext, input: Parameters<NonNullable<EngineContext['bot']>['respond']>[0]): Promise<Outcome> {
  // Most bots never look at the signal (a keyword bot answers at once), so the controller is
  // made when a bot asks for it or when the timeout must abort it.
  let controller: AbortController | undefined;
  const options = {
    get signal() {
      return (controller ??= new AbortController()).signal;
    },
  };
  let pending: Promise<BotDecision>;
  try {
    const raw = ctx.bot!.respond(input, options);
    // A decision returned as it is (not a promise) cannot time out: no timer is armed.
    if (typeof (raw as Partial<PromiseLike<BotDecision>> | null)?.then !== 'function') return checked(raw as BotDecision);
    pending = Promise.resolve(raw);
  } catch (error) {
    return failed(error);
  }
  let timer: unknown;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = ctx.clock.setTimeout(() => {
      (controller ??= new AbortController()).abort();
      resolve({ ok: false, error: `bot timed out after ${ctx.policy.botTimeoutMs} ms` });
    }, ctx.policy.botTimeoutMs);
  });
  try {
    return await Promise.race([pending.then(checked, failed), timeout]);
  } finally {
    ctx.clock.clearTimeout(timer);
  }
}

/**
 * The mark of a bot turn owed for `messageId`. Its engine has the bot's timeout to get an
 * answer and an outbox lease's time to commit it; after that, the turn counts as lost.
 */
export function owedTurn(ctx: EngineContext, messageId: string): PendingBotTurn {
  return { messageId, dueAt: isoAfter(ctx, ctx.policy.botTimeoutMs + ctx.policy.outboxLeaseMs) };
}

/** The conversation owing `turn` too, after the turns it owed already. */
export function owing(conversation: Conversation, turn: PendingBotTurn): Conversation {
  return { ...conversation, pendingBotTurns: [...(conversation.pendingBotTurns ?? []), turn] };
}

/** The conversation without the turns `settle` picks (the field goes when none is left). */
export function settled(conversation: Conversation, settle: (turn: PendingBotTurn) => boolean): Conversation {
  const { pendingBotTurns, ...rest } = conversation;
  const left = pendingBotTurns?.filter((turn) => !settle(turn)) ?? [];
  return left.length > 0 ? { ...rest, pendingBotTurns: left } : rest;
}

/** Whether the conversation's state still lets the bot answer (an agent may have taken it). */
export function botMayAnswer(ctx: EngineContext, conversation: Conversation): boolean {
  const step = lifecycleStep(conversation.state, conversation.assignee, { type: 'bot.reply', botInRequested: ctx.policy.botAnswersRequested });
  return step.handled && hasEffect(step, 'sendBotReply');
}

/** How a turn runs when it is not a live one. */
export interface BotTurnOptions {
  /** The turn as this engine claimed it; by default, the one the conversation owes for the message. */
  turn?: PendingBotTurn;
  /** Given up on: the bot is not asked, and the turn ends as a bot failure with this error. */
  failure?: string;
}

/** The contact and conversation after the bot's turn, as committed (`null` if gone). */
export interface BotTurnResult {
  contact: Contact | null;
  conversation: Conversation | null;
}

/**
 * The bot's turn for one inbound message: ask the bot outside any transaction, then apply its
 * decision as a unit of work of its own on fresh reads. If an agent intervened meanwhile, the
 * replies are dropped and the journey says so; a failed bot requests a human (by policy).
 * The commit removes the message's turn from those the conversation owes.
 *
 * A turn applies only while the conversation still owes it under the due time its engine set.
 * Of two engines on one turn (a stalled engine and the one that resumed it), the one whose
 * claim is current answers, and the other drops its answer: the turn was taken over (another
 * due time) or answered (gone).
 */
export async function runBotTurn(
  ctx: EngineContext,
  committed: { message: Message; contact: Contact; conversation: Conversation },
  options: BotTurnOptions = {},
): Promise<BotTurnResult> {
  const { message, contact, conversation } = committed;
  const messageId = message.id;
  const ownDueAt = (options.turn ?? conversation.pendingBotTurns?.find((owed) => owed.messageId === messageId))?.dueAt;
  let outcome: Outcome = options.failure === undefined ? await askBot(ctx, { contact, conversation, message }) : { ok: false, error: options.failure };
  // Attributes a bot learnt are checked like an agent's; a bad one makes the decision invalid.
  if (outcome.ok && outcome.decision.attributes) {
    try {
      outcome = { ok: true, decision: { ...outcome.decision, attributes: validateAttributeValues(ctx, await attributeDefinitions(ctx), outcome.decision.attributes) } };
    } catch (error) {
      if (!(error instanceof LiveChatError)) throw error;
      outcome = { ok: false, error: `bot returned an invalid decision: ${error.message}` };
    }
  }
  if (!outcome.ok) ctx.logger.warn(outcome.error, { conversationId: conversation.id, messageId });

  // The first attempt starts from the records receive committed: a write since then (an agent
  // who intervened while the bot thought) fails the commit on its version, and every retry
  // decides again on fresh reads. That spares a store round trip per record on the common path.
  let reads: () => Promise<[Contact | null, Conversation | null]> = async () => [contact, conversation];
  return runUnit<BotTurnResult>(ctx, async () => {
    const now = nowIso(ctx);
    const [freshContact, fresh] = await reads();
    reads = () => Promise.all([ctx.store.getContact(contact.id), ctx.store.getConversation(conversation.id)]);
    if (!freshContact || !fresh) return { changes: {}, result: { contact: freshContact, conversation: fresh } };
    const mine = (turn: PendingBotTurn) => turn.messageId === messageId && turn.dueAt === ownDueAt;
    if (!fresh.pendingBotTurns?.some(mine)) return { changes: {}, result: { contact: freshContact, conversation: fresh } };
    const journey: JourneyEvent[] = [];
    const messages: Message[] = [];
    const outbox: OutboxItem[] = [];
    let current = fresh;
    let person = freshContact;
    const botJournal = (type: JourneyEvent['type'], data: Record<string, unknown>) =>
      journal(ctx, { type, contactId: person.id, conversationId: current.id, actor: BOT, at: now, data });

    const request = (reason: string) => {
      const step = tryLifecycle(ctx, current, { type: 'intervention.request', by: 'bot' }, now, { by: 'bot', reason });
      if (step) {
        current = step.conversation;
        journey.push(...step.journey);
      }
    };

    if (!outcome.ok) {
      journey.push(botJournal('bot.failed', { messageId, error: outcome.error }));
      if (ctx.policy.onBotFailure === 'request-human') request(outcome.error);
    } else {
      const { decision } = outcome;
      const replies = decision.replies ?? [];
      if (replies.length > 0) {
        const step = tryLifecycle(ctx, current, { type: 'bot.reply', botInRequested: ctx.policy.botAnswersRequested }, now);
        if (step && hasEffect(step, 'sendBotReply')) {
          current = step.conversation;
          for (const content of replies) {
            const queued = queueOutbound(ctx, { conversation: current, contact: person, content, author: BOT, replyTo: null, at: now });
            messages.push(queued.message);
            outbox.push(queued.outbox);
            journey.push(botJournal('bot.replied', { messageId: queued.message.id, inReplyTo: messageId, contentType: content.type }));
          }
          current = touch(ctx, current, now, { version: fresh.version + 1 });
        } else {
          journey.push(botJournal('bot.suppressed', { inReplyTo: messageId, replies: replies.length, state: current.state, assignee: current.assignee }));
        }
      }
      if (decision.attributes) {
        const change = setAttributeValues(ctx, person, decision.attributes, BOT, now, current.id);
        person = change.contact;
        journey.push(...change.journey);
        if (change.changes.length > 0) {
          const ruled = applyTagRules(ctx, { contact: person, conversation: current, message, events: [{ trigger: 'attribute.changed', changes: change.changes }], at: now });
          person = ruled.contact;
          journey.push(...ruled.journey);
        }
      }
      for (const tag of decision.tags ?? []) {
        const change = tagContact(ctx, person, tag, { source: 'api', actor: BOT, at: now, conversationId: current.id, campaignId: null });
        person = change.contact;
        journey.push(...change.journey);
      }
      if (decision.handoff) request(typeof decision.handoff === 'object' ? (decision.handoff.reason ?? 'bot handoff') : 'bot handoff');
    }

    current = settled(current, mine);
    const written = current === fresh || current.version === fresh.version + 1 ? current : { ...current, version: fresh.version + 1 };
    const contactAfter = person === freshContact ? freshContact : { ...person, version: freshContact.version + 1 };
    return {
      changes: {
        conversations: written === fresh ? [] : [{ record: written, expectedVersion: fresh.version }],
        contacts: contactAfter === freshContact ? [] : [{ record: contactAfter, expectedVersion: freshContact.version }],
        messages,
        outboxInserts: outbox,
        journey,
      },
      result: { contact: contactAfter, conversation: written },
      contact: contactAfter,
      conversation: written,
    };
  });
}

/** A lifecycle step that the state may not allow, in which case nothing happens. */
function tryLifecycle(
  ctx: EngineContext,
  conversation: Parameters<typeof applyLifecycle>[1],
  event: Parameters<typeof applyLifecycle>[2],
  at: string,
  data?: Record<string, unknown>,
): AppliedStep | null {
  try {
    return applyLifecycle(ctx, conversation, event, BOT, at, data);
  } catch (error) {
    // The state moved on (an agent took the chat, History came): the bot's wish lapses.
    if (error instanceof LiveChatError) return null;
    throw error;
  }
}
