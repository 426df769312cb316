import { z } from 'zod';
import { parseInput } from '../errors.js';
import { outboundContentSchema, type Content, type OutboundContent } from '../model/content.js';
import type { Bot, BotDecision } from '../ports/bot.js';
import { contentText } from '../model/content-text.js';

const replySchema = z.union([z.string().min(1), outboundContentSchema]);

/** Options of {@link keywordBot}. @public */
export const keywordBotOptionsSchema = z.object({
  /** Replies chosen by keywords, first match wins. Matching is case-insensitive "contains". */
  rules: z.array(z.object({ keywords: z.array(z.string().min(1)).min(1), reply: replySchema })).default([]),
  /** Words that ask for a human (also matched on button ids and titles). */
  handoffKeywords: z.array(z.string().min(1)).default([]),
  /** What the bot says when it hands off. */
  handoffReply: replySchema.optional(),
  /** Said on the first message of a conversation, before any rule reply. */
  greeting: replySchema.optional(),
  /** Said when no rule matches (and it is not a handoff). */
  fallback: replySchema.optional(),
});

/**
 * Options of {@link keywordBot} (see {@link keywordBotOptionsSchema}).
 * @public
 */
export type KeywordBotOptions = z.input<typeof keywordBotOptionsSchema>;

const toContent = (reply: string | OutboundContent): OutboundContent =>
  typeof reply === 'string' ? { type: 'text', text: reply } : reply;

/**
 * A bot that answers by keywords and hands off to a human on a handoff keyword.
 *
 * @example
 * ```ts
 * const bot = keywordBot({
 *   greeting: 'Hi! Ask me about prices or opening hours.',
 *   rules: [{ keywords: ['price'], reply: 'Plans start at $9/month.' }],
 *   handoffKeywords: ['agent', 'human'],
 *   handoffReply: 'Connecting you to an agent.',
 * });
 * ```
 * @public
 */
export function keywordBot(options: KeywordBotOptions): Bot {
  const config = parseInput(keywordBotOptionsSchema, options, 'keywordBot options');
  const rules = config.rules.map((r) => ({ keywords: r.keywords.map((k) => k.toLowerCase()), reply: toContent(r.reply) }));
  const handoff = config.handoffKeywords.map((k) => k.toLowerCase());
  return {
    async respond({ message, conversation }): Promise<BotDecision> {
      const text = contentText(message.content).toLowerCase();
      if (handoff.some((k) => text.includes(k))) {
        return { replies: config.handoffReply ? [toContent(config.handoffReply)] : [], handoff: { reason: 'customer asked for a human' } };
      }
      const replies: OutboundContent[] = [];
      // The message that opened the conversation was stored in the same commit.
      if (config.greeting && message.statusAt === conversation.openedAt) replies.push(toContent(config.greeting));
      const rule = rules.find((r) => r.keywords.some((k) => text.includes(k)));
      if (rule) replies.push(rule.reply);
      else if (config.fallback && replies.length === 0) replies.push(toContent(config.fallback));
      return { replies };
    },
  };
}
