import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/index.js';
import { startServer, type RunningServer } from '../../examples/whatsapp-server/app.js';
import { ConfigError, loadConfig } from '../../examples/whatsapp-server/config.js';
import { startFakeGraph, type FakeGraph } from '../../examples/whatsapp-server/fake-graph.js';
import { runSimulation, type SimulationResult } from '../../examples/whatsapp-server/simulate.js';

// The runnable server end to end: a real node:http server on an ephemeral port, the simulation
// posting signed webhooks to it, a fake Graph API on loopback for the sends, and every check
// made through the agent REST API and the event stream, as a browser inbox would.

const appSecret = 'test-app-secret';
const accessToken = 'test-access-token';
const env = (graphUrl: string) => ({
  WHATSAPP_VERIFY_TOKEN: 'test-verify',
  WHATSAPP_APP_SECRET: appSecret,
  WHATSAPP_ACCESS_TOKEN: accessToken,
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  WHATSAPP_API_BASE_URL: graphUrl,
  PORT: '0',
  AGENTS: 'asha:Asha Rao,bo:Bo Chen,sam:Sam Admin:admin',
  // Each run starts empty: the simulation's message ids are fixed.
  DATA_DIR: 'memory://',
});

/** A minimal server-sent events reader over fetch: frames as `{ id, data }`. */
function sse(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const frames: Array<{ id: string | null; data: Record<string, unknown> }> = [];
  const waiters: Array<() => void> = [];
  const done = (async () => {
    const response = await fetch(url, { headers, signal: controller.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) return;
      buffer += value;
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (!data) continue;
        const id = block.split('\n').find((l) => l.startsWith('id: '));
        frames.push({ id: id ? id.slice(4) : null, data: JSON.parse(data.slice(6)) as Record<string, unknown> });
        for (const w of waiters.splice(0)) w();
      }
    }
  })().catch(() => {});
  return {
    frames,
    /** Resolves when a frame matches (a deadline, not a sleep: it fails the test if nothing comes). */
    async until(match: (f: { id: string | null; data: Record<string, unknown> }) => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!frames.some(match)) {
        if (Date.now() > deadline) throw new Error(`no matching event among ${frames.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      return frames.find(match)!;
    },
    close: () => {
      controller.abort();
      return done;
    },
  };
}

describe('examples/whatsapp-server', () => {
  let graph: FakeGraph;
  let server: RunningServer;
  let result: SimulationResult;
  let stream: ReturnType<typeof sse>;
  const api = async (method: string, path: string, options: { agent?: string | null; body?: unknown; raw?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.agent !== null) headers['x-agent-id'] = options.agent ?? 'asha';
    const response = await fetch(`${server.url}${path}`, { method, headers, ...(options.raw !== undefined ? { body: options.raw } : options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    graph = await startFakeGraph({ accessToken, appSecret, phoneNumberId: '106540352242922' });
    server = await startServer(loadConfig(env(graph.url)), { logger: silentLogger });
    graph.deliverTo(`${server.url}/webhook`);
    stream = sse(`${server.url}/api/events?agent=bo`);
    await stream.until((f) => f.data['type'] === 'stream.open');
    result = await runSimulation({ serverUrl: server.url, appSecret, graph, agentId: 'asha' });
  });
  afterAll(async () => {
    await stream?.close();
    await server?.close();
    await graph?.close();
  });

  it('answers Meta\'s verification handshake', async () => {
    const ok = await fetch(`${server.url}/webhook?hub.mode=subscribe&hub.challenge=777&hub.verify_token=test-verify`);
    expect([ok.status, await ok.text()]).toEqual([200, '777']);
    expect((await fetch(`${server.url}/webhook?hub.mode=subscribe&hub.challenge=777&hub.verify_token=nope`)).status).toBe(403);
  });

  it('shows the bot-handled chats in Active and the resolved one in Resolved', async () => {
    const active = await api('GET', '/api/inbox/active');
    expect(active.status).toBe(200);
    const addresses = active.body['items'].map((i: any) => i.contact.address).sort();
    expect(addresses).toEqual([`+${result.customers.mei}`, `+${result.customers.sheena}`].sort());
    expect(active.body['items'].every((i: any) => i.lastMessage !== null)).toBe(true);
    const resolved = await api('GET', '/api/inbox/resolved');
    expect(resolved.body['items'].map((i: any) => i.conversation.id)).toEqual([result.handedOff.conversationId]);
    expect((await api('GET', '/api/inbox/requested')).body['items']).toEqual([]);
  });

  it("returns the handed-off conversation with every message, the agent's reply read by the customer", async () => {
    const { status, body } = await api('GET', `/api/conversations/${result.handedOff.conversationId}`);
    expect(status).toBe(200);
    expect(body['conversation']).toMatchObject({ state: 'resolved', resolvedBy: 'asha' });
    expect(body['contact']).toMatchObject({ name: 'Oliver Smith', address: `+${result.customers.oliver}`, attributes: { country: 'GB', interested_in: 'succulents' } });
    expect(Object.keys(body['contact'].tags)).toContain('vip');
    // Meta's timestamps are whole seconds, so a customer message may sort before a bot reply
    // sent earlier in the same second: compare what is there, not the interleaving.
    const summary = body['messages'].map((m: any) => [m.direction, m.author.type, m.content.type, m.status].join(' ')).sort();
    expect(summary).toEqual(
      [
        'inbound customer image received',
        'outbound bot text read',
        'inbound customer text received',
        'outbound bot text read',
        'outbound agent text read',
        'inbound customer text received',
      ].sort(),
    );
    expect(body['messages'].find((m: any) => m.author.type === 'agent')).toMatchObject({ id: result.handedOff.replyId, externalId: expect.stringMatching(/^wamid\.FAKE/) });
  });

  it('keeps the journey of who did what', async () => {
    const { body } = await api('GET', `/api/contacts/${result.handedOff.contactId}/journey?limit=100`);
    const types = body['items'].map((e: any) => e.type);
    expect(types).toEqual(expect.arrayContaining(['contact.created', 'intervention.requested', 'conversation.intervened', 'message.sent', 'attribute.changed', 'tag.added', 'conversation.resolved']));
    expect(body['items'].find((e: any) => e.type === 'conversation.intervened').actor).toEqual({ type: 'agent', id: 'asha' });
  });

  it("keeps Sheena's ad referral, and her redelivered webhook changed nothing", async () => {
    expect(result.redelivery).toMatchObject({ received: 0, duplicates: 1 });
    const active = await api('GET', '/api/inbox/active');
    const sheena = active.body['items'].find((i: any) => i.contact.address === `+${result.customers.sheena}`);
    expect(sheena.contact.referral).toMatchObject({ sourceType: 'ad', sourceId: '120226305854810726', headline: 'Summer Succulents are here!' });
    const { body } = await api('GET', `/api/conversations/${sheena.conversation.id}/messages`);
    expect(body['items'].filter((m: any) => m.direction === 'inbound')).toHaveLength(1);
  });

  it('sent the read receipt with a typing indicator, and serves inbound media', async () => {
    expect(graph.reads).toHaveLength(1);
    const media = await fetch(`${server.url}/api/media/1003383421387256?agent=asha`);
    expect(media.status).toBe(200);
    expect(media.headers.get('content-type')).toBe('image/jpeg');
    expect(new TextDecoder().decode(await media.arrayBuffer())).toContain('a small jpeg');
  });

  it('streams engine events with ids, and redacts chats another agent owns', async () => {
    await stream.until((f) => f.data['type'] === 'conversation.resolved');
    const ids = stream.frames.filter((f) => f.id !== null).map((f) => Number(f.id!.split('.')[1]));
    expect(ids.length).toBeGreaterThan(10);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // Bo may not read Asha's chat while she has it: he sees that it moved, not what was said.
    const intervenedReply = stream.frames.find((f) => f.data['type'] === 'message.sent' && f.data['redacted'] === true);
    expect(intervenedReply?.data).toMatchObject({ conversation: { id: result.handedOff.conversationId, state: 'intervened', assignee: 'asha' } });
    expect(intervenedReply?.data['message']).toBeUndefined();
    const botReply = stream.frames.find((f) => f.data['type'] === 'bot.replied' && f.data['redacted'] !== true);
    expect(botReply?.data['message']).toBeDefined();
  });

  it('resumes the stream after Last-Event-ID with exactly the missed events', async () => {
    const withIds = stream.frames.filter((f) => f.id !== null);
    const from = withIds[withIds.length - 5]!;
    const resumed = sse(`${server.url}/api/events?agent=bo`, { 'last-event-id': from.id! });
    await resumed.until((f) => f.id === withIds[withIds.length - 1]!.id);
    await resumed.close();
    expect(resumed.frames.filter((f) => f.id !== null).map((f) => f.id)).toEqual(withIds.slice(-4).map((f) => f.id));
    const stale = sse(`${server.url}/api/events?agent=bo`, { 'last-event-id': 'old-boot.3' });
    const reset = await stale.until(() => true);
    await stale.close();
    expect(reset.data).toMatchObject({ type: 'stream.reset' });
  });

  it('tells where a REST read sits in the stream', async () => {
    const { headers } = await api('GET', '/api/inbox/active');
    expect(headers.get('x-last-event-id')).toBe(stream.frames.filter((f) => f.id !== null).at(-1)!.id);
  });

  it('maps engine errors to HTTP statuses with the error code', async () => {
    const id = result.handedOff.conversationId;
    expect(await api('GET', '/api/inbox/active', { agent: null })).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect(await api('GET', '/api/inbox/active', { agent: 'mallory' })).toMatchObject({ status: 401 });
    expect(await api('GET', '/api/inbox/nowhere')).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });
    expect(await api('GET', '/api/conversations/conv_missing')).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect(await api('POST', `/api/conversations/${id}/reply`, { raw: '{not json' })).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });
    // Take the chat again, then let others try.
    expect((await api('POST', `/api/conversations/${id}/intervene`)).status).toBe(200);
    expect(await api('POST', `/api/conversations/${id}/intervene`, { agent: 'bo' })).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_INTERVENED', details: { owner: 'asha' } } } });
    expect(await api('POST', `/api/conversations/${id}/reply`, { agent: 'bo', body: { text: 'me too' } })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await api('GET', `/api/conversations/${id}`, { agent: 'bo' })).toMatchObject({ status: 404 });
    expect(await api('POST', `/api/conversations/${id}/reply`, { body: { content: { type: 'buttons', body: 'Pick', buttons: [1, 2, 3, 4].map((n) => ({ id: `b${n}`, title: `B${n}` })) } } })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_INPUT', path: ['buttons'] } },
    });
    expect(await api('POST', `/api/conversations/${id}/transfer`, { body: { to: 'nobody' } })).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_AGENT' } } });
    expect(await api('POST', `/api/conversations/${id}/transfer`, { body: { to: 'bo' } })).toMatchObject({ status: 200, body: { assignee: 'bo' } });
    expect(await api('POST', `/api/conversations/${id}/release`, { agent: 'bo' })).toMatchObject({ status: 200, body: { state: 'requested' } });
    expect(await api('DELETE', `/api/contacts/${result.handedOff.contactId}/tags/vip`)).toMatchObject({ status: 200 });
    expect(await api('PUT', '/api/inbox/active')).toMatchObject({ status: 405 });
    expect(await api('GET', '/api/nothing-here')).toMatchObject({ status: 404 });
  });
});

describe('examples/whatsapp-server configuration', () => {
  it('names every missing variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ WHATSAPP_PHONE_NUMBER_ID: '+1 555', PORT: 'http' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(['WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_APP_SECRET', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID', 'PORT']);
    expect((error as Error).message).toMatch(/WHATSAPP_APP_SECRET: missing: the app secret/);
  });

  it('reads agents and defaults', () => {
    const config = loadConfig({ ...env('http://127.0.0.1:1'), AGENTS: 'asha:Asha Rao:admin, bo' });
    expect(config).toMatchObject({ graphVersion: 'v25.0', host: '127.0.0.1', port: 0, databaseUrl: null, agents: [{ id: 'asha', name: 'Asha Rao', role: 'admin' }, { id: 'bo', name: 'bo', role: 'agent' }] });
    expect(() => loadConfig({ ...env('http://127.0.0.1:1'), AGENTS: 'a:b:root' })).toThrow(/AGENTS/);
  });
});
