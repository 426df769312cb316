import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookSignatures } from '../../src/adapters/whatsapp/index.js';
import { webhookEnvelope } from './envelope.js';

// A stand-in for Meta's Graph API on loopback, so the whole loop runs offline: it accepts
// sends like the Cloud API does (same success and error bodies), then plays the delivery
// receipts back to the server's webhook, signed, the way Meta would: sent, delivered, read.

type Json = Record<string, unknown>;

/** A message the fake accepted. */
export interface FakeSend {
  id: string;
  to: string;
  type: string;
  body: Json;
}

export interface FakeGraphOptions {
  /** The token the server must present. */
  accessToken: string;
  /** The app secret receipts are signed with. */
  appSecret: string;
  /** Where receipts are posted (the server's `/webhook`); set later with `deliverTo` if unknown. */
  webhookUrl?: string;
  phoneNumberId: string;
  port?: number;
}

const error = (code: number, message: string, status = 400) => ({
  status,
  body: { error: { message, type: 'OAuthException', code, fbtrace_id: 'AFakeGraphTrace' } },
});

/** Starts the fake Graph API. `sends` fills as messages arrive; `waitForSends` waits for a count. */
export async function startFakeGraph(options: FakeGraphOptions) {
  const signatures = webhookSignatures(options.appSecret);
  const sends: FakeSend[] = [];
  const reads: string[] = [];
  const media = new Map<string, { bytes: Uint8Array; mimeType: string }>();
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const deliveries = new Set<Promise<void>>();
  let webhookUrl = options.webhookUrl ?? null;
  let sequence = 0;

  const notify = () => {
    for (const w of [...waiters]) {
      if (sends.length < w.count) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };

  /** Posts one receipt to the webhook, signed like Meta signs it. */
  async function receipt(send: FakeSend, status: 'sent' | 'delivered' | 'read'): Promise<void> {
    if (!webhookUrl) return;
    const receiptStatus = { id: send.id, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: send.to.replace(/^\+/, '') };
    const body = JSON.stringify(webhookEnvelope(options.phoneNumberId, { statuses: [receiptStatus] }));
    await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': await signatures.sign(body) }, body });
  }

  function playReceipts(send: FakeSend) {
    const work = (async () => {
      for (const status of ['sent', 'delivered', 'read'] as const) await receipt(send, status);
    })().catch((e: unknown) => console.error('[fake-graph] receipt failed', e));
    deliveries.add(work);
    void work.finally(() => deliveries.delete(work));
  }

  async function answer(req: IncomingMessage): Promise<{ status: number; body: unknown; raw?: Uint8Array; type?: string; after?: () => void }> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] === 'files') {
      const file = media.get(parts[1] ?? '');
      return file ? { status: 200, body: null, raw: file.bytes, type: file.mimeType } : { status: 404, body: null };
    }
    if (req.headers.authorization !== `Bearer ${options.accessToken}`) return error(190, 'Invalid OAuth access token - Cannot parse access token', 401);
    if (req.method === 'GET' && parts.length === 2) {
      const file = media.get(parts[1]!);
      if (!file) return error(100, 'Unsupported get request. Object with ID does not exist');
      const address = req.socket.localAddress === '::1' ? '[::1]' : req.socket.localAddress;
      return { status: 200, body: { messaging_product: 'whatsapp', url: `http://${address}:${req.socket.localPort}/files/${parts[1]}`, mime_type: file.mimeType, file_size: file.bytes.byteLength, id: parts[1] } };
    }
    if (req.method !== 'POST' || parts[1] !== options.phoneNumberId || parts[2] !== 'messages') return error(100, 'Unknown path components');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Json;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
    } catch {
      return error(100, '(#100) Invalid parameter');
    }
    if (body['messaging_product'] !== 'whatsapp') return error(100, '(#100) Invalid parameter');
    if (body['status'] === 'read') {
      reads.push(String(body['message_id']));
      return { status: 200, body: { success: true } };
    }
    const type = String(body['type']);
    if (typeof body['to'] !== 'string' || !(type in body)) return error(100, '(#100) Invalid parameter');
    sequence += 1;
    const send = { id: `wamid.FAKE${String(sequence).padStart(8, '0')}`, to: body['to'], type, body };
    sends.push(send);
    notify();
    // Like Meta, receipts follow the API's answer, never precede it.
    return { after: () => playReceipts(send), status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: send.to, wa_id: send.to.replace(/^\+/, '') }], messages: [{ id: send.id }] } };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void answer(req).then(({ status, body, raw, type, after }) => {
      if (after) res.once('finish', after);
      if (raw) {
        res.writeHead(status, { 'content-type': type ?? 'application/octet-stream' }).end(raw);
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end(body === null ? undefined : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    /** Point the transport's base URL here. */
    url: `http://127.0.0.1:${port}`,
    sends,
    reads,
    /** Where receipts go, once the server's address is known. */
    deliverTo(url: string) {
      webhookUrl = url;
    },
    /** Makes a media file downloadable under `id`. */
    addMedia(id: string, file: { bytes: Uint8Array; mimeType: string }) {
      media.set(id, file);
    },
    /** Resolves once `count` messages in all have been sent; rejects after `timeoutMs`. */
    waitForSends(count: number, timeoutMs = 10_000): Promise<void> {
      if (sends.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} sends, got ${sends.length} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    /** Resolves when every receipt played so far has been answered by the webhook. */
    async settled(): Promise<void> {
      while (deliveries.size > 0) await Promise.allSettled([...deliveries]);
    },
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A running fake Graph API. */
export type FakeGraph = Awaited<ReturnType<typeof startFakeGraph>>;
