import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FetchHandler } from './whatsapp-webhook.js';

/** Options of {@link toNodeHandler}. @public */
export interface NodeHandlerOptions {
  /** Bodies larger than this are refused with 413 without buffering them. Default 16 MiB. */
  maxBodyBytes?: number;
}

/** The request body, or `null` when it grew past `limit` (the rest is not read). */
async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function toRequest(req: IncomingMessage, body: Uint8Array<ArrayBuffer> | null, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const method = req.method ?? 'GET';
  return new Request(url, { method, headers, signal, ...(method === 'GET' || method === 'HEAD' || body === null ? {} : { body }) });
}

/** Streams a web Response into a node ServerResponse, honouring backpressure; stops when the client leaves. */
async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  // Streams (server-sent events) must reach the client as they are produced.
  res.flushHeaders();
  const reader = response.body.getReader();
  // A client that leaves ends the stream, even one that is waiting for its next chunk.
  const leave = () => void reader.cancel().catch(() => {});
  res.on('close', leave);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) await new Promise<void>((resolve) => {
        const settle = () => {
          res.off('drain', settle);
          res.off('close', settle);
          resolve();
        };
        res.on('drain', settle);
        res.on('close', settle);
      });
    }
  } finally {
    res.off('close', leave);
    await reader.cancel().catch(() => {});
    res.end();
  }
}

/**
 * Adapts a web-standard `Request -> Response` handler (such as {@link whatsappWebhook}) to
 * node:http. The request body is buffered (webhook signatures need the raw bytes anyway);
 * response bodies are streamed, so server-sent events work; the request's `signal` aborts
 * when the client goes away.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * createServer(toNodeHandler(whatsappWebhook({ verifyToken, appSecret, engine: chat }))).listen(3000);
 * ```
 * @public
 */
export function toNodeHandler(handler: FetchHandler, options: NodeHandlerOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const limit = options.maxBodyBytes ?? 16 * 1024 * 1024;
  return (req, res) => {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    void (async () => {
      const body = await readBody(req, limit);
      if (body === null) {
        res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ error: { code: 'PAYLOAD_TOO_LARGE', message: `The body exceeds ${limit} bytes.` } }));
        return;
      }
      await writeResponse(res, await handler(toRequest(req, body, controller.signal)));
    })().catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } }));
      } else res.destroy(error instanceof Error ? error : undefined);
    });
  };
}
