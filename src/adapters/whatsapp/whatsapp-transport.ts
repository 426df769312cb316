import { z } from 'zod';
import { LiveChatError, parseInput } from '../../errors.js';
import { systemClock, type Clock, type Logger } from '../../ports/clock.js';
import type { OutboundMessage, SendResult, Transport } from '../../ports/transport.js';
import { validateWhatsAppContent } from './content-limits.js';
import { classifyBodyless, classifyGraphError, type GraphFailure } from './error-classification.js';
import { graphErrorSchema, mediaInfoSchema, readSuccessSchema, sendSuccessSchema } from './graph-schemas.js';
import { readBody, sendBody } from './outbound-body.js';
import { sendLimiter } from './send-limiter.js';

const fn = <T>(what: string) => z.custom<T>((v) => typeof v === 'function', { message: `${what} must be a function` });

/** Options of {@link whatsappTransport}. @public */
export const whatsappTransportOptionsSchema = z.object({
  /** The business phone number's id (not the number itself). */
  phoneNumberId: z.string().regex(/^\d+$/, { message: 'the phone number id is digits' }),
  /** A system-user or business access token with `whatsapp_business_messaging`. */
  accessToken: z.string().min(1),
  /** The Graph API version, for example `v25.0`. */
  graphVersion: z.string().regex(/^v\d+\.\d+$/, { message: 'the Graph version looks like v25.0' }),
  /** Where the Graph API lives; point it at a local fake for offline runs. */
  baseUrl: z.url().default('https://graph.facebook.com'),
  /** The engine channel served. */
  channel: z.string().min(1).default('whatsapp'),
  /** The fetch to use; defaults to the global one. */
  fetch: fn<typeof globalThis.fetch>('fetch').optional(),
  /** Time for pacing and backoff; defaults to the system clock. */
  clock: z.custom<Clock>((v) => typeof v === 'object' && v !== null && 'now' in v && 'setTimeout' in v).optional(),
  /** Randomness for jitter, in [0, 1). */
  random: fn<() => number>('random').optional(),
  /** Where configuration failures are reported loudly. */
  logger: z.custom<Logger>((v) => typeof v === 'object' && v !== null && 'error' in v).optional(),
  limits: z
    .object({
      /** The business number's throughput. Default 80 (Meta's default; up to 1000 when upgraded). */
      messagesPerSecond: z.number().positive().max(1000).default(80),
      /** Messages the number may send at once before pacing starts. Default: one second's worth. */
      burst: z.number().int().min(1).optional(),
      /** Spacing of messages to one recipient. Default 6000 ms (Meta's pair limit). */
      pairIntervalMs: z.number().int().min(0).default(6000),
      /** Messages to one recipient at once before pacing starts. Default 5. */
      pairBurst: z.number().int().min(1).default(5),
      /** Longest in-process wait for a slot; a longer one becomes a retry. Default 5000 ms. */
      maxWaitMs: z.number().int().min(0).default(5000),
      /** Per-request timeout. Default 30 s. */
      timeoutMs: z.number().int().positive().default(30_000),
    })
    .default({ messagesPerSecond: 80, pairIntervalMs: 6000, pairBurst: 5, maxWaitMs: 5000, timeoutMs: 30_000 }),
});

/**
 * Options of `whatsappTransport`: the business number, the token, the Graph version and limits.
 * @public
 */
export type WhatsAppTransportOptions = z.input<typeof whatsappTransportOptionsSchema>;

/**
 * The outcome of {@link WhatsAppTransport.markAsRead}: expected failures are values.
 * @public
 */
export type ReadResult = { ok: true } | Extract<SendResult, { ok: false }>;

/**
 * A media file fetched with {@link WhatsAppTransport.downloadMedia}.
 * @public
 */
export interface DownloadedMedia {
  /** The media id it was fetched by. */
  id: string;
  /** The MIME type Meta reported. */
  mimeType: string;
  /** The SHA-256 Meta reported (checked against the bytes), if any. */
  sha256: string | null;
  /** The file's content. */
  bytes: Uint8Array<ArrayBuffer>;
}

/**
 * The WhatsApp Cloud API transport: the Transport port plus the calls an inbox needs besides
 * sending.
 * @public
 */
export interface WhatsAppTransport extends Transport {
  /** Throws `INVALID_INPUT` when content breaks WhatsApp's limits (see `validateWhatsAppContent`). */
  validate(content: OutboundMessage['content']): void;
  /**
   * Marks an inbound message (by its `wamid`) as read: the customer sees blue ticks. With
   * `typing: true` they also see a typing indicator until our reply (or 25 s).
   */
  markAsRead(messageId: string, options?: { typing?: boolean }): Promise<ReadResult>;
  /**
   * Downloads an inbound media file: looks up its short-lived URL, then fetches it, both with
   * the bearer token; checks the sha256 when Meta gave one.
   * @throws LiveChatError `TRANSPORT_CONFIGURATION` for a bad token, `CHANNEL_ERROR` otherwise
   * (`details.kind` says whether a retry may help).
   */
  downloadMedia(mediaId: string): Promise<DownloadedMedia>;
}

type Answer = { ok: true; body: unknown } | { ok: false; failure: GraphFailure };

/** Whether `bytes` hash to `expected`, which Meta writes in hex or in base64 depending on the endpoint. */
async function sha256Matches(bytes: Uint8Array<ArrayBuffer>, expected: string): Promise<boolean> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  const hex = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  const base64 = btoa(String.fromCharCode(...digest));
  return expected.toLowerCase() === hex || expected === base64;
}

/**
 * Creates the WhatsApp Cloud API transport.
 *
 * Sending: every outbound content type maps to its Graph API body (text with URL preview,
 * media by id or link with caption and filename, reply buttons, lists, templates with their
 * components, reactions, locations, contacts, reply context). Content that breaks WhatsApp's
 * limits is refused before any request as a `final` failure with code `INVALID_INPUT` (and
 * `validate` lets the engine refuse an agent's reply up front). Failures are classified by
 * Meta's `error.code`: `window-closed` for 131047 (code `REPLY_WINDOW_CLOSED`),
 * `configuration` for 190 and the permission codes (code `TRANSPORT_CONFIGURATION`),
 * `retryable` with a wait for throughput (130429), pair (131056: 4^n s for that recipient
 * only), app-rate and transient errors, network failures and bodiless 5xx; `final` otherwise.
 *
 * Pacing: at most `limits.messagesPerSecond` per business number and about one message per
 * `limits.pairIntervalMs` per recipient (with a short burst), so a broadcast does not trip the
 * limits on its own. Pacing is per transport instance (per process).
 *
 * @example
 * ```ts
 * const transport = whatsappTransport({ phoneNumberId: '106540352242922', accessToken: process.env.WA_TOKEN!, graphVersion: 'v25.0' });
 * const chat = createLiveChat({ transport, store });
 * ```
 * @public
 */
export function whatsappTransport(rawOptions: WhatsAppTransportOptions): WhatsAppTransport {
  const options = parseInput(whatsappTransportOptionsSchema, rawOptions, 'whatsappTransport options');
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const { limits } = options;
  const root = `${options.baseUrl.replace(/\/+$/, '')}/${options.graphVersion}`;
  const messagesUrl = `${root}/${options.phoneNumberId}/messages`;
  const auth = { authorization: `Bearer ${options.accessToken}` };
  const limiter = sendLimiter({
    clock,
    random,
    messagesPerSecond: limits.messagesPerSecond,
    burst: limits.burst ?? Math.max(1, Math.floor(limits.messagesPerSecond)),
    pairIntervalMs: limits.pairIntervalMs,
    pairBurst: limits.pairBurst,
    maxWaitMs: limits.maxWaitMs,
  });

  /** One request with a timeout on the injected clock; failures come back classified. */
  async function request(url: string, init: RequestInit): Promise<{ ok: true; response: Response } | { ok: false; failure: GraphFailure }> {
    const controller = new AbortController();
    const timer = clock.setTimeout(() => controller.abort(new Error(`no answer within ${limits.timeoutMs} ms`)), limits.timeoutMs);
    try {
      return { ok: true, response: await doFetch(url, { ...init, headers: { ...auth, ...init.headers }, signal: controller.signal }) };
    } catch (error) {
      const reason = controller.signal.aborted ? String(controller.signal.reason) : error instanceof Error ? error.message : String(error);
      return { ok: false, failure: classifyBodyless(null, reason) };
    } finally {
      clock.clearTimeout(timer);
    }
  }

  /** Calls the Graph API and returns the parsed JSON of a 2xx, or the classified failure. */
  async function call(url: string, init: RequestInit): Promise<Answer> {
    const sent = await request(url, init);
    if (!sent.ok) return sent;
    const { response } = sent;
    let body: unknown;
    try {
      const text = await response.text();
      body = text.length === 0 ? undefined : JSON.parse(text);
    } catch (error) {
      return { ok: false, failure: classifyBodyless(response.status, error instanceof Error ? error.message : String(error)) };
    }
    const graphError = graphErrorSchema.safeParse(body);
    if (graphError.success) {
      const e = graphError.data.error;
      return { ok: false, failure: classifyGraphError({ code: e.code, message: e.message, details: e.error_data?.details }) };
    }
    if (!response.ok) return { ok: false, failure: classifyBodyless(response.status, 'no Graph error in the body') };
    return { ok: true, body };
  }

  function report(failure: GraphFailure, what: string): void {
    if (failure.kind === 'configuration') options.logger?.error(`whatsapp ${what}: ${failure.error.message}`, { code: failure.error.code });
  }

  async function post(url: string, body: unknown): Promise<Answer> {
    return call(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  return {
    channel: options.channel,
    validate: validateWhatsAppContent,

    async send(message: OutboundMessage): Promise<SendResult> {
      try {
        validateWhatsAppContent(message.content);
      } catch (error) {
        return { ok: false, kind: 'final', error: { code: 'INVALID_INPUT', message: (error as Error).message } };
      }
      const slot = await limiter.acquire(message.to);
      if (!slot.ok) {
        return { ok: false, kind: 'retryable', error: { code: 'paced', message: 'held back to stay within WhatsApp rate limits' }, retryAfterMs: slot.retryAfterMs };
      }
      const answer = await post(messagesUrl, sendBody(message));
      if (answer.ok) {
        const parsed = sendSuccessSchema.safeParse(answer.body);
        // A 200 we cannot read may still have been sent: final, so it is never sent twice.
        if (!parsed.success) return { ok: false, kind: 'final', error: { code: 'unexpected_response', message: `WhatsApp accepted the request but its answer has no message id: ${parsed.error.issues[0]?.message}` } };
        limiter.succeeded(message.to);
        return { ok: true, externalId: parsed.data.messages[0]!.id };
      }
      const { failure } = answer;
      report(failure, 'send');
      if (failure.kind !== 'retryable') return { ok: false, kind: failure.kind, error: failure.error };
      const retryAfterMs =
        failure.cause === 'pair' || failure.cause === 'throughput' || failure.cause === 'app-rate'
          ? limiter.penalise(failure.cause, message.to)
          : failure.cause === 'withheld'
            ? 24 * 60 * 60 * 1000
            : undefined;
      return { ok: false, kind: 'retryable', error: failure.error, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    },

    async markAsRead(messageId, readOptions = {}) {
      const id = parseInput(z.string().min(1).max(512), messageId, 'messageId');
      const typing = parseInput(z.object({ typing: z.boolean().default(false) }), readOptions, 'markAsRead options').typing;
      const answer = await post(messagesUrl, readBody(id, typing));
      if (!answer.ok) {
        report(answer.failure, 'markAsRead');
        return { ok: false, kind: answer.failure.kind, error: answer.failure.error };
      }
      const parsed = readSuccessSchema.safeParse(answer.body);
      return parsed.success ? { ok: true } : { ok: false, kind: 'final', error: { code: 'unexpected_response', message: 'WhatsApp did not confirm the read receipt' } };
    },

    async downloadMedia(mediaId) {
      const id = parseInput(z.string().regex(/^[\w.-]+$/, { message: 'a media id is letters, digits, dots and dashes' }), mediaId, 'mediaId');
      const fail = (failure: GraphFailure): never => {
        report(failure, 'downloadMedia');
        throw new LiveChatError(failure.kind === 'configuration' ? 'TRANSPORT_CONFIGURATION' : 'CHANNEL_ERROR', {
          message: failure.error.message,
          details: { mediaId: id, kind: failure.kind, code: failure.error.code },
        });
      };
      const info = await call(`${root}/${encodeURIComponent(id)}`, { method: 'GET' });
      if (!info.ok) return fail(info.failure);
      const parsed = mediaInfoSchema.safeParse(info.body);
      if (!parsed.success) return fail({ kind: 'final', cause: null, error: { code: 'unexpected_response', message: `WhatsApp's media info is unreadable: ${parsed.error.issues[0]?.message}` } });
      // The file URL also wants the bearer token; it expires 5 minutes after the lookup.
      const file = await request(parsed.data.url, { method: 'GET' });
      if (!file.ok) return fail(file.failure);
      if (!file.response.ok) {
        const text = await file.response.text().catch(() => '');
        const graphError = graphErrorSchema.safeParse(text ? safeJson(text) : undefined);
        return fail(graphError.success ? classifyGraphError({ code: graphError.data.error.code, message: graphError.data.error.message }) : classifyBodyless(file.response.status, 'media download failed'));
      }
      const bytes = new Uint8Array(await file.response.arrayBuffer());
      const expected = parsed.data.sha256 ?? null;
      if (expected !== null && !(await sha256Matches(bytes, expected))) {
        return fail({ kind: 'retryable', cause: 'transient', error: { code: 'checksum', message: `the downloaded media ${id} does not match its sha256` } });
      }
      return { id: parsed.data.id, mimeType: parsed.data.mime_type, sha256: expected, bytes };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
