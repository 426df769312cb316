import { z } from 'zod';
import type { LiveChat } from '../../engine/create-live-chat.js';
import { LiveChatError, parseInput } from '../../errors.js';
import { consoleLogger, type Logger } from '../../ports/clock.js';
import { safeStringEqual, webhookSignatures } from './signature.js';
import { ingestPlan } from './webhook-ingest.js';
import { planEnvelope } from './webhook-plan.js';

/** Options of {@link whatsappWebhook}. @public */
export const whatsappWebhookOptionsSchema = z.object({
  /** The token you typed in Meta's webhook settings; the GET handshake must echo it. */
  verifyToken: z.string().min(1),
  /** The app secret that keys the `X-Hub-Signature-256` HMAC. */
  appSecret: z.string().min(1),
  /** The engine updates are ingested into. */
  engine: z.custom<LiveChat>(
    (v) => typeof v === 'object' && v !== null && 'receive' in v && 'updateStatus' in v && 'reportChannelError' in v,
    { message: 'engine must be a LiveChat from createLiveChat()' },
  ),
  /** The engine channel messages are stored under. */
  channel: z.string().min(1).default('whatsapp'),
  /** When set, updates for other business numbers of the same app are acknowledged and ignored. */
  phoneNumberId: z.string().min(1).optional(),
  /** Larger bodies are refused with 413 before any work. Default 16 MiB. */
  maxBodyBytes: z.number().int().positive().default(16 * 1024 * 1024),
  /** How many customers' messages are ingested in parallel. Default 8. */
  concurrency: z.number().int().min(1).max(256).default(8),
  /** Where refused deliveries and ingest failures are reported. */
  logger: z.custom<Logger>((v) => typeof v === 'object' && v !== null && 'warn' in v && 'error' in v).optional(),
});

/**
 * Options of `whatsappWebhook`: the verify token, the app secret and the engine to feed.
 * @public
 */
export type WhatsAppWebhookOptions = z.input<typeof whatsappWebhookOptionsSchema>;

/**
 * A web-standard request handler: `Request` in, `Response` out.
 * @public
 */
export type FetchHandler = (request: Request) => Promise<Response>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The WhatsApp webhook endpoint as a framework-free `Request -> Response` handler (mount it in
 * node:http with `toNodeHandler`, or in Hono, Express, Fastify, an edge function).
 *
 * - `GET`: the verification handshake: `200` with `hub.challenge` when `hub.mode` is
 *   `subscribe` and `hub.verify_token` matches, `403` otherwise. No signature involved.
 * - `POST`: the signature is checked on the raw body bytes first, in constant time: a missing
 *   or wrong one is `401` and nothing is read further. A body that is not JSON or not a
 *   WhatsApp envelope is `400` and nothing is written: the whole batch is validated before any
 *   of it is ingested. A valid batch is answered `200` only after every message
 *   (`chat.receive`, bots answering in the background) and receipt (`chat.updateStatus`) in it
 *   is committed; value-level errors become `channel.error` events; other fields are
 *   acknowledged and ignored. A store failure is `500`, so Meta delivers again, and the
 *   replay is harmless: ingest is idempotent on message ids and forward-only on receipts.
 * - Anything else is `405`; a body over `maxBodyBytes` is `413`.
 *
 * @example
 * ```ts
 * const webhook = whatsappWebhook({ verifyToken: env.VERIFY_TOKEN, appSecret: env.APP_SECRET, engine: chat });
 * http.createServer(toNodeHandler(webhook)).listen(3000);
 * ```
 * @public
 */
export function whatsappWebhook(rawOptions: WhatsAppWebhookOptions): FetchHandler {
  const options = parseInput(whatsappWebhookOptionsSchema, rawOptions, 'whatsappWebhook options');
  const logger = options.logger ?? consoleLogger;
  const signatures = webhookSignatures(options.appSecret);

  function handshake(request: Request): Response {
    const params = new URL(request.url).searchParams;
    const challenge = params.get('hub.challenge');
    if (params.get('hub.mode') === 'subscribe' && challenge !== null && safeStringEqual(params.get('hub.verify_token') ?? '', options.verifyToken)) {
      return new Response(challenge, { status: 200, headers: { 'content-type': 'text/plain' } });
    }
    return new Response('Forbidden', { status: 403, headers: { 'content-type': 'text/plain' } });
  }

  async function delivery(request: Request): Promise<Response> {
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > options.maxBodyBytes) return json(413, { error: { code: 'PAYLOAD_TOO_LARGE', message: `The body exceeds ${options.maxBodyBytes} bytes.` } });
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > options.maxBodyBytes) return json(413, { error: { code: 'PAYLOAD_TOO_LARGE', message: `The body exceeds ${options.maxBodyBytes} bytes.` } });

    if (!(await signatures.verify(bytes, request.headers.get('x-hub-signature-256')))) {
      logger.warn('whatsapp webhook: refused a delivery with a missing or wrong signature');
      return json(401, { error: { code: 'INVALID_SIGNATURE', message: 'The X-Hub-Signature-256 header is missing or does not sign this body.' } });
    }

    let body: unknown;
    try {
      body = JSON.parse(decoder.decode(bytes));
    } catch (error) {
      return json(400, { error: { code: 'INVALID_INPUT', message: `The body is not JSON: ${(error as Error).message}`, path: [] } });
    }
    const planned = planEnvelope(body, { channel: options.channel, phoneNumberId: options.phoneNumberId });
    if (!planned.ok) {
      const { path, message } = planned.rejection;
      logger.warn('whatsapp webhook: refused a body that is not a WhatsApp envelope', { path, message });
      return json(400, { error: { code: 'INVALID_INPUT', message: `Not a WhatsApp webhook envelope at ${path.map(String).join('.') || '(root)'}: ${message}`, path: path.map(String) } });
    }

    try {
      return json(200, await ingestPlan(options.engine, planned.plan, options.concurrency));
    } catch (error) {
      logger.error('whatsapp webhook: ingest failed; Meta will deliver again', { error });
      const code = error instanceof LiveChatError ? error.code : 'STORE_ERROR';
      return json(500, { error: { code, message: 'The update could not be stored; deliver it again.' } });
    }
  }

  return async (request) => {
    try {
      if (request.method === 'GET') return handshake(request);
      if (request.method === 'POST') return await delivery(request);
      return json(405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'Use GET (handshake) or POST (deliveries).' } }, { allow: 'GET, POST' });
    } catch (error) {
      // A body stream that broke mid-read, or a bug: never an unhandled rejection in the server.
      logger.error('whatsapp webhook: request failed', { error });
      return json(500, { error: { code: 'INTERNAL', message: 'The request could not be handled.' } });
    }
  };
}
