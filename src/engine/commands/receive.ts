import { parseInput } from '../../errors.js';
import type { Contact } from '../../model/contact.js';
import { contentPreview } from '../../model/content.js';
import type { Conversation } from '../../model/conversation.js';
import type { JourneyEvent } from '../../model/journey.js';
import type { Message } from '../../model/message.js';
import type { InboundLookup, VersionedWrite } from '../../ports/store.js';
import { journal, later, latest, nowIso, type EngineContext } from '../context.js';
import { touch } from '../outbound.js';
import { receiveInputSchema, receiveOptionsSchema, type ReceiveInput, type ReceiveOptions } from '../inputs.js';
import { applyLifecycle, hasEffect } from '../lifecycle-step.js';
import { broadcastRepliedTo } from '../broadcast-replies.js';
import { applyTagRules, tagContact, type RuleEvent } from '../tagging.js';
import { contentText } from '../../model/content-text.js';
import type { Content } from '../../model/content.js';
import { runUnit } from '../unit-of-work.js';
import { owedTurn, owing, runBotTurn } from './bot-turn.js';

/**
 * What `chat.receive` returns. With `duplicate: true` the message had been received before and
 * nothing changed; the records are the stored ones.
 * @public
 */
export interface ReceiveResult {
  /** The contact after the message (and, when waited for, the bot's turn). */
  contact: Contact;
  /** The conversation the message landed in, after the bot's turn when waited for. */
  conversation: Conversation;
  /** The stored inbound message. */
  message: Message;
  /** Whether the message had been received before (nothing changed). */
  duplicate: boolean;
}

const CUSTOMER = { type: 'customer' } as const;
const DEFAULT_OPTIONS = receiveOptionsSchema.parse(undefined);
const SYSTEM = { type: 'system' } as const;

/** A new open conversation for a contact, in the machine's initial state. */
export function openConversation(ctx: EngineContext, contact: Contact, at: string): Conversation {
  return {
    id: ctx.ids('conv'),
    contactId: contact.id,
    channel: contact.channel,
    state: 'active',
    assignee: null,
    openedAt: at,
    lastActivityAt: at,
    lastInboundAt: null,
    requestedAt: null,
    intervenedAt: null,
    resolvedAt: null,
    resolvedBy: null,
    archivedAt: null,
    historyDueAt: later(at, ctx.policy.historyAfter),
    version: 1,
  };
}

/** The first-message tag: the first keyword rule that matches the message, else the default. */
function firstMessageTag(ctx: EngineContext, content: Content): string | null {
  const text = contentText(content).toLowerCase();
  const rule = ctx.policy.firstMessageTagRules.find((r) => r.keywords.some((k) => text.includes(k.toLowerCase())));
  return rule?.tag ?? ctx.policy.firstMessageTag;
}

// What a customer's message moves on the contact, and the version that counts the moves.
const SEEN_FIELDS = new Set<string>(['lastSeenAt', 'lastInboundAt', 'version'] satisfies Array<keyof Contact>);

/**
 * Whether `next` differs from `stored` only in its last seen and last inbound times, each less
 * than `policy.lastSeenPrecisionMs` after the stored one. Fields are compared by identity: an
 * unchanged name, referral, tag or attribute map is the stored value itself.
 */
function onlySeenLately(ctx: EngineContext, stored: Contact, next: Contact): boolean {
  // A first inbound message always writes: there is no stored time to lag behind. The times
  // only move forward (latest), so a precision of 0 writes every message.
  if (stored.lastInboundAt === null || next.lastInboundAt === null) return false;
  const precision = ctx.policy.lastSeenPrecisionMs;
  if (Date.parse(next.lastSeenAt) - Date.parse(stored.lastSeenAt) >= precision) return false;
  if (Date.parse(next.lastInboundAt) - Date.parse(stored.lastInboundAt) >= precision) return false;
  // `next` is `stored` spread with changes, so it has every key `stored` has.
  for (const key in next) if (!SEEN_FIELDS.has(key) && next[key as keyof Contact] !== stored[key as keyof Contact]) return false;
  return true;
}

/** The records receive starts from, in one read when the store can answer that way. */
async function lookupInbound(ctx: EngineContext, channel: string, externalId: string, address: string): Promise<InboundLookup> {
  if (ctx.store.findInbound) return ctx.store.findInbound(channel, externalId, address);
  const message = await ctx.store.findMessageByExternalId(channel, externalId);
  if (message) return { message, contact: null, conversation: null };
  const contact = await ctx.store.findContact(channel, address);
  return { message: null, contact, conversation: contact ? await ctx.store.findOpenConversation(contact.id) : null };
}

export async function receive(ctx: EngineContext, rawInput: ReceiveInput, rawOptions?: ReceiveOptions): Promise<ReceiveResult> {
  const input = parseInput(receiveInputSchema, rawInput, 'receive input');
  // Most calls pass no options: their defaults need no parse.
  const options = rawOptions === undefined ? DEFAULT_OPTIONS : parseInput(receiveOptionsSchema, rawOptions, 'receive options');

  const duplicateOf = async (message: Message): Promise<ReceiveResult> => ({
    message,
    // An inbound message always belongs to a conversation.
    conversation: (await ctx.store.getConversation(message.conversationId!))!,
    contact: (await ctx.store.getContact(message.contactId))!,
    duplicate: true,
  });

  let askBot = false;
  let attempts = 0;
  const result = await runUnit<ReceiveResult>(
    ctx,
    async () => {
      attempts += 1;
      // What this engine last committed for the customer answers the first attempt without a
      // read; the commit's version checks decide whether it still held, and a refused commit
      // comes back here to read afresh. A redelivery then fails on the message's unique key.
      const kept = attempts === 1 ? ctx.inboundCache?.get(input.channel, input.from) : undefined;
      const found = kept ? { message: null, ...kept } : await lookupInbound(ctx, input.channel, input.externalId, input.from);
      if (found.message) return { changes: {}, result: await duplicateOf(found.message) };

      const now = nowIso(ctx);
      // The customer's own timestamp orders the message and drives the reply window; one from
      // the future (clock skew) is taken as now.
      const sentAt = input.at && input.at.toISOString() < now ? input.at.toISOString() : now;
      const journey: JourneyEvent[] = [];
      const conversations: VersionedWrite<Conversation>[] = [];

      let contact: Contact =
        found.contact ??
        ({
          id: ctx.ids('ct'),
          channel: input.channel,
          address: input.from,
          name: input.profile?.name ?? null,
          attributes: {},
          tags: {},
          referral: null,
          firstSeenAt: now,
          lastSeenAt: now,
          lastInboundAt: null,
          version: 0,
        } satisfies Contact);
      const firstMessage = found.contact === null;
      if (firstMessage) journey.push(journal(ctx, { type: 'contact.created', contactId: contact.id, conversationId: null, actor: CUSTOMER, at: now, data: { channel: input.channel, address: input.from } }));

      let conversation = found.conversation;
      // A chat whose History time passed but was not swept yet is archived here, so the new
      // message opens a new conversation exactly as it would after the sweep.
      if (conversation && conversation.historyDueAt <= now) {
        const archived = applyLifecycle(ctx, conversation, { type: 'history.due' }, SYSTEM, now);
        conversations.push({ record: archived.conversation, expectedVersion: conversation.version });
        journey.push(...archived.journey);
        conversation = null;
      }
      const expectedVersion = conversation?.version ?? null;
      if (!conversation) {
        conversation = openConversation(ctx, contact, now);
        journey.push(journal(ctx, { type: 'conversation.opened', contactId: contact.id, conversationId: conversation.id, actor: CUSTOMER, at: now }));
      }

      const step = applyLifecycle(ctx, conversation, { type: 'customer.message', botInRequested: ctx.policy.botAnswersRequested }, CUSTOMER, now);
      journey.push(...step.journey);
      askBot = hasEffect(step, 'askBot') && ctx.bot !== null;
      const messageId = ctx.ids('msg');
      const touched = touch(ctx, step.conversation, sentAt, {
        lastInboundAt: latest(step.conversation.lastInboundAt, sentAt),
        version: expectedVersion === null ? 1 : expectedVersion + 1,
      });
      // Committed with the message: if this process dies before the bot's turn commits, the
      // conversation still says the bot owes this answer, and a scheduler resumes the turn.
      const nextConversation = askBot ? owing(touched, owedTurn(ctx, messageId)) : touched;
      conversations.push({ record: nextConversation, expectedVersion });

      const message: Message = {
        id: messageId,
        conversationId: nextConversation.id,
        contactId: contact.id,
        channel: input.channel,
        direction: 'inbound',
        author: CUSTOMER,
        content: input.content,
        externalId: input.externalId,
        replyTo: input.replyTo ?? null,
        status: 'received',
        error: null,
        at: sentAt,
        statusAt: now,
      };
      journey.push(
        journal(ctx, {
          type: 'message.received',
          contactId: contact.id,
          conversationId: nextConversation.id,
          actor: CUSTOMER,
          at: now,
          data: { messageId: message.id, contentType: input.content.type, preview: contentPreview(input.content).slice(0, 200) },
        }),
      );

      const contactVersion = contact.version;
      // Read before this message moves lastInboundAt: is it the first reply to a broadcast?
      const repliedTo = firstMessage ? null : broadcastRepliedTo(ctx, contact, now);
      contact = {
        ...contact,
        name: input.profile?.name ?? contact.name,
        lastSeenAt: latest(contact.lastSeenAt, now),
        lastInboundAt: latest(contact.lastInboundAt, sentAt),
        referral: input.referral ?? contact.referral,
        version: contactVersion + 1,
      };
      if (input.referral) {
        journey.push(journal(ctx, { type: 'referral.received', contactId: contact.id, conversationId: nextConversation.id, actor: CUSTOMER, at: now, data: { ...input.referral, messageId: message.id } }));
      }
      const firstTag = firstMessage ? firstMessageTag(ctx, input.content) : null;
      if (firstTag) {
        const tagged = tagContact(ctx, contact, firstTag, { source: 'first-message', actor: SYSTEM, at: now, conversationId: nextConversation.id, campaignId: null });
        contact = tagged.contact;
        journey.push(...tagged.journey);
      }
      if (repliedTo) {
        journey.push(journal(ctx, { type: 'broadcast.replied', contactId: contact.id, conversationId: nextConversation.id, actor: CUSTOMER, at: now, data: { ...repliedTo, messageId: message.id } }));
      }
      const events: RuleEvent[] = [
        ...(firstMessage ? [{ trigger: 'first.message' as const }] : []),
        { trigger: 'message.received' },
        ...(input.referral ? [{ trigger: 'referral.received' as const }] : []),
        ...(repliedTo ? [{ trigger: 'broadcast.replied' as const, campaignId: repliedTo.campaignId }] : []),
      ];
      const ruled = applyTagRules(ctx, { contact, conversation: nextConversation, message, events, at: now });
      contact = ruled.contact;
      journey.push(...ruled.journey);

      // A message that only moves the contact's times by less than the policy's precision
      // leaves it as stored: the commit checks the version the message was decided on instead.
      const unchanged = found.contact !== null && onlySeenLately(ctx, found.contact, contact) ? found.contact : null;
      return {
        changes: {
          ...(unchanged
            ? { contactChecks: [{ id: unchanged.id, version: unchanged.version }] }
            : { contacts: [{ record: contact, expectedVersion: firstMessage ? null : contactVersion }] }),
          conversations,
          messages: [message],
          journey,
          ...(repliedTo ? { campaignIncrements: [{ id: repliedTo.campaignId, counts: { replied: 1 } }] } : {}),
        },
        result: { contact: unchanged ?? contact, conversation: nextConversation, message, duplicate: false },
        contact: unchanged,
      };
    },
    {
      async onConflict(conflict) {
        if (conflict.entity !== 'message') {
          ctx.inboundCache?.forget(input.channel, input.from);
          return undefined;
        }
        const existing = await ctx.store.findMessageByExternalId(input.channel, input.externalId);
        return existing ? duplicateOf(existing) : undefined;
      },
    },
  );

  if (!result.duplicate) ctx.inboundCache?.remember(result.contact, result.conversation);
  if (result.duplicate || !askBot) return result;
  const turn = runBotTurn(ctx, result);
  if (!options.waitForBot) {
    ctx.background('bot turn', turn);
    return result;
  }
  const after = await turn;
  return { ...result, conversation: after.conversation ?? result.conversation, contact: after.contact ?? result.contact };
}
