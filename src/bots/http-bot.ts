import { z } from 'zod';
import { parseInput } from '../errors.js';
import { attributeValueSchema, type AttributeValue } from '../model/contact.js';
import { outboundContentSchema, type Content, type OutboundContent } from '../model/content.js';
import type { ConversationState } from '../model/conversation.js';
import { tagNameSchema } from '../model/tag.js';
import type { Bot, BotDecision } from '../ports/bot.js';
import { systemClock, type Clock } from '../ports/clock.js';

/** Options of {@link httpBot}. @public */
export const httpBotOptionsSchema = z.object({
  /** The bot service's endpoint; it receives one POST per inbound message. */
  url: z.url({ protocol: /^https?$/ }),
  /** Extra request headers (an `Authorization` token, for instance). */
  headers: z.record(z.string(), z.string()).default({}),
  /** How long to wait for the answer; keep it below the engine's `policy.botTimeoutMs`. Default 5 s. */
  timeoutMs: z.number().int().positive().max(120_000).default(5_000),
  /** The fetch implementation; the global `fetch` by default. */
  fetch: z.custom<typeof fetch>((f) => typeof f === 'function', 'fetch must be a function').optional(),
  /** The clock for the timeout (the engine's clock, so tests can use `manualClock`); the system clock by default. */
  clock: z.custom<Clock>((c) => typeof c === 'object' && c !== null && typeof (c as Clock).setTimeout === 'function', 'clock must be a Clock').optional(),
});

/**
 * Options of {@link httpBot} (see {@link httpBotOptionsSchema}).
 * @public
 */
export type HttpBotOptions = z.input<typeof httpBotOptionsSchema>;

/**
 * The JSON body {@link httpBot} POSTs for each inbound message (`version` 1). Tags are the
 * contact's tag names; `content` is the engine's content union (`{ type: 'text', text }`, ...).
 * @public
 */
export interface HttpBotRequest {
  /** The format version of this request body. */
  version: 1;
  /** The customer. */
  contact: { id: string; channel: string; address: string; name: string | null; attributes: Record<string, AttributeValue>; tags: string[] };
  /** The conversation the message is in. */
  conversation: { id: string; state: ConversationState; openedAt: string };
  /** The message to answer. */
  message: { id: string; content: Content; at: string; replyTo: string | null };
}

/**
 * The JSON the bot service answers with (HTTP 2xx). Every field is optional; `{}` means stay
 * silent. A reply is a text string or any outbound content (buttons, lists, templates, ...).
 * Unknown fields are ignored.
 * @public
 */
export const httpBotResponseSchema = z.object({
  replies: z.array(z.union([z.string().min(1).max(4096), outboundContentSchema])).max(10).optional(),
  handoff: z.union([z.boolean(), z.object({ reason: z.string().max(1000).optional() })]).optional(),
  attributes: z.record(z.string().min(1).max(128), attributeValueSchema).optional(),
  tags: z.array(tagNameSchema).max(50).optional(),
});

/**
 * The answer of a bot service (see {@link httpBotResponseSchema}).
 * @public
 */
export type HttpBotResponse = z.input<typeof httpBotResponseSchema>;

/**
 * A bot that asks an external service over HTTP: it POSTs an {@link HttpBotRequest} and applies
 * the {@link HttpBotResponse} (replies, handoff, attribute updates, tags). A timeout, a network
 * error, a non-2xx status or an invalid response makes it throw a message saying which, so the
 * engine records `bot.failed` with it and requests a human (policy `onBotFailure`).
 *
 * @example
 * ```ts
 * const chat = createLiveChat({
 *   bot: httpBot({ url: 'https://bot.example.com/livechat', headers: { authorization: `Bearer ${token}` }, timeoutMs: 3000 }),
 * });
 * ```
 * @public
 */
export function httpBot(options: HttpBotOptions): Bot {
  const config = parseInput(httpBotOptionsSchema, options, 'httpBot options');
  const clock = config.clock ?? systemClock;
  const post = config.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  return {
    async respond({ contact, conversation, message }, { signal }): Promise<BotDecision> {
      const body: HttpBotRequest = {
        version: 1,
        contact: { id: contact.id, channel: contact.channel, address: contact.address, name: contact.name, attributes: contact.attributes, tags: Object.keys(contact.tags) },
        conversation: { id: conversation.id, state: conversation.state, openedAt: conversation.openedAt },
        message: { id: message.id, content: message.content, at: message.at, replyTo: message.replyTo },
      };
      // One signal for both our timeout and the engine giving up on the bot.
      const controller = new AbortController();
      let timedOut = false;
      const timer = clock.setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, config.timeoutMs);
      const stop = () => controller.abort();
      signal.addEventListener('abort', stop);
      const fail = (why: string): never => {
        throw new Error(`httpBot ${config.url}: ${why}`);
      };
      try {
        let response: Response;
        let json: unknown;
        try {
          response = await post(config.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json', ...config.headers },
            body: JSON.stringify(body),
            signal: controller.signal,
          });
          if (!response.ok) fail(`answered HTTP ${response.status}`);
          json = await response.json().catch((error: unknown) => (controller.signal.aborted ? Promise.reject(error) : fail('answered something that is not JSON')));
        } catch (error) {
          if (timedOut) fail(`no answer within ${config.timeoutMs} ms`);
          if (signal.aborted) fail('the engine stopped waiting');
          throw error instanceof Error && error.message.startsWith('httpBot ') ? error : new Error(`httpBot ${config.url}: request failed: ${(error as Error)?.message ?? String(error)}`);
        }
        const parsed = httpBotResponseSchema.safeParse(json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          fail(`invalid response at ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
        }
        const decision = parsed.data!;
        return {
          ...(decision.replies ? { replies: decision.replies.map((r): OutboundContent => (typeof r === 'string' ? { type: 'text', text: r } : r)) } : {}),
          ...(decision.handoff !== undefined ? { handoff: decision.handoff } : {}),
          ...(decision.attributes ? { attributes: decision.attributes } : {}),
          ...(decision.tags ? { tags: decision.tags } : {}),
        };
      } finally {
        clock.clearTimeout(timer);
        signal.removeEventListener('abort', stop);
      }
    },
  };
}
