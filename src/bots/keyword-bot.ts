import { z } from 'zod';
import { parseInput } from '../errors.js';
import type { AttributeValue } from '../model/contact.js';
import { outboundContentSchema, type Content, type OutboundContent } from '../model/content.js';
import { contentText } from '../model/content-text.js';
import type { Bot, BotDecision } from '../ports/bot.js';
import { parseAnswer, productSuggestionsSchema, suggestProducts } from './product-suggestions.js';

const replySchema = z.union([z.string().min(1), outboundContentSchema]);

/** The id of the "Talk to an agent" button and menu row. @public */
export const AGENT_BUTTON_ID = 'livechat.agent';
const FAQ_PREFIX = 'faq:';

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
  /**
   * Frequently asked questions: answered when the message contains one of the keywords, or when
   * the customer picks the question from the menu. `question` is the menu row's title.
   */
  faq: z
    .array(
      z.object({
        id: z.string().min(1).max(200),
        question: z.string().min(1).max(24),
        keywords: z.array(z.string().min(1)).default([]),
        answer: replySchema,
      }),
    )
    .default([]),
  /**
   * Offered when nothing matched: a list of the FAQ questions plus "Talk to an agent", instead of
   * (or, with no fallback, as) the fallback.
   */
  menu: z.object({ body: z.string().min(1).max(1024), button: z.string().min(1).max(20).default('Menu') }).optional(),
  /**
   * The title of a "Talk to an agent" reply button added under text answers; tapping it requests
   * a human. Absent: no button.
   */
  agentButton: z.string().min(1).max(20).optional(),
  /** A product catalog: the bot suggests what suits the customer's attributes, asking for missing ones. */
  products: productSuggestionsSchema.optional(),
});

/**
 * Options of {@link keywordBot} (see {@link keywordBotOptionsSchema}).
 * @public
 */
export type KeywordBotOptions = z.input<typeof keywordBotOptionsSchema>;

const toContent = (reply: string | OutboundContent): OutboundContent =>
  typeof reply === 'string' ? { type: 'text', text: reply } : reply;

/** The id of the button or row the customer tapped, if the message is one. */
function tappedId(content: Content): string | null {
  if (content.type === 'interactive_reply') return content.id;
  if (content.type === 'quick_reply') return content.payload;
  return null;
}

/**
 * A bot that answers by keywords: FAQ answers, interactive buttons (a "Talk to an agent" button
 * requests a human), and product suggestions from the customer's attributes, asking for a missing
 * attribute with buttons when it needs one (the answer is stored on the profile).
 *
 * @example
 * ```ts
 * const bot = keywordBot({
 *   greeting: 'Hi! Ask me about prices or opening hours.',
 *   rules: [{ keywords: ['price'], reply: 'Plans start at $9/month.' }],
 *   faq: [{ id: 'hours', question: 'Opening hours', keywords: ['open'], answer: 'Mon-Fri 9-17.' }],
 *   handoffKeywords: ['agent', 'human'],
 *   agentButton: 'Talk to an agent',
 *   products: {
 *     catalog: [{ id: 'team', name: 'Team plan', suits: { size: ['11-50'] } }],
 *     ask: [{ attribute: 'size', question: 'How big is your team?', options: [{ value: '1-10', title: '1-10' }, { value: '11-50', title: '11-50' }] }],
 *   },
 * });
 * ```
 * @public
 */
export function keywordBot(options: KeywordBotOptions): Bot {
  const config = parseInput(keywordBotOptionsSchema, options, 'keywordBot options');
  const lower = (words: string[]) => words.map((k) => k.toLowerCase());
  const rules = config.rules.map((r) => ({ keywords: lower(r.keywords), reply: toContent(r.reply) }));
  const faq = config.faq.map((f) => ({ ...f, keywords: lower(f.keywords), answer: toContent(f.answer) }));
  const handoff = lower(config.handoffKeywords);
  const productWords = lower(config.products?.keywords ?? []);

  // A text answer gets the agent button under it, as a buttons message.
  const withAgentButton = (content: OutboundContent): OutboundContent =>
    config.agentButton && content.type === 'text'
      ? { type: 'buttons', body: content.text, buttons: [{ id: AGENT_BUTTON_ID, title: config.agentButton }] }
      : content;

  const menu = (): OutboundContent | null => {
    if (!config.menu) return null;
    const rows = [
      ...faq.slice(0, 9).map((f) => ({ id: `${FAQ_PREFIX}${f.id}`, title: f.question })),
      { id: AGENT_BUTTON_ID, title: config.agentButton ?? 'Talk to an agent' },
    ];
    return { type: 'list', body: config.menu.body, button: config.menu.button, sections: [{ rows }] };
  };

  const suggest = (attributes: Record<string, AttributeValue>): OutboundContent => {
    const suggestion = suggestProducts(config.products!, attributes);
    return suggestion.kind === 'ask' ? suggestion.content : withAgentButton(suggestion.content);
  };

  return {
    // Synchronous: rules over the text answer at once, and the engine arms no timeout for them.
    respond({ message, conversation, contact }): BotDecision {
      const text = contentText(message.content).toLowerCase();
      const tapped = tappedId(message.content);
      if (tapped === AGENT_BUTTON_ID || handoff.some((k) => text.includes(k))) {
        return { replies: config.handoffReply ? [toContent(config.handoffReply)] : [], handoff: { reason: 'customer asked for a human' } };
      }
      const replies: OutboundContent[] = [];
      // The message that opened the conversation was stored in the same commit.
      if (config.greeting && message.statusAt === conversation.openedAt) replies.push(toContent(config.greeting));

      const answer = tapped === null ? null : parseAnswer(tapped);
      if (answer && config.products) {
        // The customer answered our question: remember it, and carry on with the suggestion.
        const attributes = { ...contact.attributes, [answer.attribute]: answer.value };
        return { replies: [...replies, suggest(attributes)], attributes: { [answer.attribute]: answer.value } };
      }
      const picked = tapped?.startsWith(FAQ_PREFIX) ? faq.find((f) => `${FAQ_PREFIX}${f.id}` === tapped) : undefined;
      const asked = picked ?? faq.find((f) => f.keywords.some((k) => text.includes(k)));
      if (asked) return { replies: [...replies, withAgentButton(asked.answer)] };
      if (config.products && productWords.some((k) => text.includes(k))) return { replies: [...replies, suggest({ ...contact.attributes })] };

      const rule = rules.find((r) => r.keywords.some((k) => text.includes(k)));
      if (rule) replies.push(withAgentButton(rule.reply));
      else if (replies.length === 0) {
        const fallback = menu() ?? (config.fallback ? withAgentButton(toContent(config.fallback)) : null);
        if (fallback) replies.push(fallback);
      }
      return { replies };
    },
  };
}
