import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { toNodeHandler, type FetchHandler } from '../../../src/adapters/whatsapp/index.js';
import { envelope, message, messagesValue, rawBody } from './fixtures.js';
import { VERIFY_TOKEN, harness, signatures } from './harness.js';

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function serve(handler: FetchHandler, options?: { maxBodyBytes?: number }): Promise<string> {
  server = createServer(toNodeHandler(handler, options));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('toNodeHandler', () => {
  it('serves the webhook over node:http: handshake and a signed delivery', async () => {
    const h = harness();
    const base = await serve(h.webhook);
    const hello = await fetch(`${base}/webhook?hub.mode=subscribe&hub.challenge=42&hub.verify_token=${VERIFY_TOKEN}`);
    expect([hello.status, await hello.text()]).toEqual([200, '42']);
    const raw = rawBody(envelope(messagesValue([message('text', { body: 'über' })])));
    const response = await fetch(`${base}/webhook`, { method: 'POST', headers: { 'x-hub-signature-256': await signatures.sign(raw), 'content-type': 'application/json' }, body: raw });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: 1 });
  });

  it('passes method, path, query, headers and body through, and response headers back', async () => {
    const base = await serve(async (request) => {
      const url = new URL(request.url);
      return Response.json(
        { method: request.method, path: url.pathname, q: url.searchParams.get('q'), agent: request.headers.get('x-agent-id'), body: await request.text() },
        { status: 201, headers: { 'x-answer': 'yes' } },
      );
    });
    const response = await fetch(`${base}/api/things?q=1`, { method: 'PATCH', headers: { 'x-agent-id': 'asha' }, body: 'hello' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-answer')).toBe('yes');
    expect(await response.json()).toEqual({ method: 'PATCH', path: '/api/things', q: '1', agent: 'asha', body: 'hello' });
  });

  it('refuses bodies over the limit with 413 without calling the handler', async () => {
    let called = false;
    const base = await serve(async () => {
      called = true;
      return new Response('no');
    }, { maxBodyBytes: 10 });
    const response = await fetch(`${base}/`, { method: 'POST', body: 'x'.repeat(100) });
    expect(response.status).toBe(413);
    expect(called).toBe(false);
  });

  it('streams response bodies chunk by chunk and aborts the request signal when the client leaves', async () => {
    let aborted: () => void = () => {};
    const abortedPromise = new Promise<void>((resolve) => (aborted = resolve));
    const base = await serve(async (request) => {
      request.signal.addEventListener('abort', () => aborted());
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('data: first\n\n'));
        },
      });
      return new Response(stream, { headers: { 'content-type': 'text/event-stream' } });
    });
    const controller = new AbortController();
    const response = await fetch(`${base}/events`, { signal: controller.signal });
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe('data: first\n\n');
    controller.abort();
    await abortedPromise;
  });

  it('answers 500 when the handler throws', async () => {
    const base = await serve(async () => {
      throw new Error('boom');
    });
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(500);
  });
});
