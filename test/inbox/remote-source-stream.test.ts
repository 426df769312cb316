import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveChatError } from '../../src/index.js';
import { remoteSource, type EventSourceConstructor, type EventSourceLike, type SourceSignal } from '../../src/inbox/index.js';

// The remote source's stream bookkeeping with a scripted EventSource: which position it resumes
// from, what it drops from an overlapping replay, and how it reports a reset. Timers are
// vitest's fake ones (the reconnection backoff), so nothing waits for real.

class ScriptedEventSource implements EventSourceLike {
  static opened: ScriptedEventSource[] = [];
  readyState = 0;
  onopen: EventSourceLike['onopen'] = null;
  onmessage: EventSourceLike['onmessage'] = null;
  onerror: EventSourceLike['onerror'] = null;
  constructor(readonly url: string) {
    ScriptedEventSource.opened.push(this);
  }
  close() {
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  send(data: Record<string, unknown>, id = '') {
    this.onmessage?.({ data: JSON.stringify(data), lastEventId: id });
  }
  fail(closed: boolean) {
    this.readyState = closed ? 2 : 0;
    this.onerror?.({});
  }
}

const event = (id: string, type = 'message.received') => ({ id, type, at: '2026-03-02T09:00:00.000Z', journey: null, conversation: null, contact: null, message: null });

function setup() {
  ScriptedEventSource.opened = [];
  const calls: string[] = [];
  const fetch = vi.fn(async (url: string | URL | Request) => {
    calls.push(String(url));
    return new Response(JSON.stringify({ active: 1, requested: 0, intervened: 0, resolved: 0, history: 0 }), { headers: { 'x-last-event-id': 'boot1.4' } });
  });
  const source = remoteSource({ baseUrl: 'http://inbox.test/', fetch: fetch as unknown as typeof globalThis.fetch, EventSource: ScriptedEventSource });
  const signals: SourceSignal[] = [];
  const stop = source.subscribe('asha', (s) => signals.push(s));
  const delivered = () => signals.flatMap((s) => (s.kind === 'event' ? [(s.event as unknown as { id: string }).id] : []));
  return { source, signals, delivered, stop, calls };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('remoteSource stream', () => {
  it('takes the browser\u2019s own EventSource as it is', () => {
    // A type check as much as a test: the DOM's EventSource class is an EventSourceConstructor.
    const browsers: EventSourceConstructor | undefined = (globalThis as { EventSource?: typeof globalThis.EventSource }).EventSource;
    expect(browsers === undefined || typeof browsers === 'function').toBe(true);
  });

  it('validates its options', () => {
    expect(() => remoteSource({ baseUrl: 7 } as never)).toThrow(LiveChatError);
    expect(() => remoteSource({ baseUrl: '', EventSource: 'nope' } as never)).toThrow(/EventSource/);
  });

  it('holds reads until the stream is open, so nothing falls between a read and the stream', async () => {
    const { source, calls } = setup();
    const read = source.counts('asha');
    await Promise.resolve();
    expect(calls).toEqual([]);
    ScriptedEventSource.opened[0]!.send({ type: 'stream.open', head: 'boot1.4' });
    expect(await read).toMatchObject({ active: 1 });
    expect(calls).toEqual(['http://inbox.test/api/counts']);
    expect(ScriptedEventSource.opened[0]!.url).toBe('http://inbox.test/api/events?agent=asha');
  });

  it('applies each event id once when a replay overlaps, and reopens a closed stream from its position', async () => {
    vi.useFakeTimers();
    const { signals, delivered } = setup();
    const first = ScriptedEventSource.opened[0]!;
    first.open();
    first.send({ type: 'stream.open', head: 'boot1.0' });
    first.send(event('boot1.1'), 'boot1.1');
    first.send(event('boot1.2'), 'boot1.2');
    // The server refuses the reconnection (the stream is closed for good): the source reopens.
    first.fail(true);
    expect(signals.at(-1)).toEqual({ kind: 'status', status: 'reconnecting' });
    await vi.advanceTimersByTimeAsync(250);
    const second = ScriptedEventSource.opened[1]!;
    expect(second.url).toBe('http://inbox.test/api/events?agent=asha&lastEventId=boot1.2');
    second.open();
    second.send({ type: 'stream.open', head: 'boot1.3' });
    second.send(event('boot1.2'), 'boot1.2');
    second.send(event('boot1.3'), 'boot1.3');
    expect(delivered()).toEqual(['boot1.1', 'boot1.2', 'boot1.3']);
    expect(signals.filter((s) => s.kind === 'status').map((s) => (s as { status: string }).status)).toEqual(['connecting', 'live', 'reconnecting', 'live']);
  });

  it('leaves a dropped connection to EventSource itself, which resumes with Last-Event-ID', () => {
    const { delivered } = setup();
    const first = ScriptedEventSource.opened[0]!;
    first.open();
    first.send({ type: 'stream.open', head: 'boot1.0' });
    first.send(event('boot1.1'), 'boot1.1');
    first.fail(false);
    expect(ScriptedEventSource.opened).toHaveLength(1);
    first.open();
    first.send(event('boot1.1'), 'boot1.1');
    first.send(event('boot1.2'), 'boot1.2');
    expect(delivered()).toEqual(['boot1.1', 'boot1.2']);
  });

  it('turns redacted events into hidden signals and a reset into a reload request', () => {
    const { signals } = setup();
    const stream = ScriptedEventSource.opened[0]!;
    stream.open();
    stream.send({ type: 'stream.open', head: 'boot1.0' });
    const conversation = { id: 'conv_1', state: 'intervened', assignee: 'bo', lastActivityAt: '2026-03-02T09:00:00.000Z' };
    stream.send({ id: 'boot1.1', type: 'conversation.intervened', at: '2026-03-02T09:00:00.000Z', redacted: true, conversation }, 'boot1.1');
    stream.send({ type: 'stream.reset', head: 'boot2.7', reason: 'the server restarted' }, 'boot2.7');
    // After a reset, ids of the new boot are new events.
    stream.send(event('boot2.8'), 'boot2.8');
    expect(signals.slice(2)).toEqual([
      { kind: 'hidden', type: 'conversation.intervened', at: '2026-03-02T09:00:00.000Z', conversation },
      { kind: 'reset', reason: 'the server restarted' },
      { kind: 'event', event: event('boot2.8') },
    ]);
  });

  it('turns the server\u2019s error body back into the engine\u2019s LiveChatError', async () => {
    const fetch = async () => Response.json({ error: { code: 'ALREADY_INTERVENED', message: 'Agent bo has already intervened in this conversation.', details: { owner: 'bo' } } }, { status: 409 });
    const source = remoteSource({ baseUrl: '', fetch: fetch as never, EventSource: ScriptedEventSource });
    const error = await source.intervene('conv_1', { agentId: 'asha' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LiveChatError);
    expect(error).toMatchObject({ code: 'ALREADY_INTERVENED', details: { owner: 'bo', status: 409 } });
    expect(await source.conversation('conv_x', { viewer: 'asha', limit: 5 }).catch((e: unknown) => e)).toBeInstanceOf(LiveChatError);
  });

  it('reads the session from /api/me and /api/agents on a server without the session route', async () => {
    const agent = { id: 'asha', name: 'Asha Rao', role: 'agent' };
    const routes: Record<string, () => Response> = {
      '/api/session': () => Response.json({ error: { code: 'NOT_FOUND', message: 'No route /api/session.' } }, { status: 404 }),
      '/api/me': () => Response.json(agent),
      '/api/agents': () => Response.json({ items: [agent] }),
    };
    const seen: Array<string | null> = [];
    const fetch = async (url: string | URL | Request, init?: RequestInit) => {
      seen.push(new Headers(init?.headers).get('x-agent-id'));
      return routes[new URL(String(url)).pathname]!();
    };
    const source = remoteSource({ baseUrl: 'http://bare.test', fetch: fetch as never, EventSource: ScriptedEventSource });
    expect(await source.session('asha')).toEqual({ viewer: agent, agents: [agent], adminsSeeAll: true, replyWindow: { hours: 24 }, tagCatalog: [], attributeFields: [], templates: [] });
    expect(seen).toEqual(['asha', 'asha', 'asha']);
  });
});
