import * as z from 'zod/mini';
import { LiveChatError, parseInput, type LiveChatErrorCode } from '../errors.js';
import type { LiveChatEvent } from '../engine/events.js';
import type { InboxSession, InboxSource, SourceSignal } from './source.js';

/**
 * The part of the browser's `EventSource` the remote source uses (the `eventsource` package
 * provides the same in Node).
 * @public
 */
export interface EventSourceLike {
  /** 0 connecting, 1 open, 2 closed (no more reconnection). */
  readonly readyState: number;
  // Handlers take `any` so the DOM's EventSource (whose handlers take Event and MessageEvent)
  // is one of these as it is.
  /** Called when the stream (re)opens. */
  onopen: ((event: any) => unknown) | null;
  /** Called with each event (`data`, and the `lastEventId` it was sent with). */
  onmessage: ((event: any) => unknown) | null;
  /** Called when the connection fails or drops. */
  onerror: ((event: any) => unknown) | null;
  /** Closes the stream for good. */
  close(): void;
}

/**
 * A constructor of {@link EventSourceLike}: `globalThis.EventSource` in a browser.
 * @public
 */
export type EventSourceConstructor = new (url: string) => EventSourceLike;

const fnSchema = <T>(what: string) => z.custom<T>((v) => typeof v === 'function', { error: `expected ${what}` });

/** Options of `remoteSource`. @public */
export const remoteSourceOptionsSchema = z.object({
  /** The example server's base URL (`''` or `/` for the page's own origin). */
  baseUrl: z.string({ error: 'expected the server\'s base URL (a string)' }),
  /** The fetch to use; the global one by default. */
  fetch: z.optional(fnSchema<typeof globalThis.fetch>('a fetch function')),
  /** The EventSource class; the global one by default (pass the `eventsource` package's in Node). */
  EventSource: z.optional(fnSchema<EventSourceConstructor>('an EventSource constructor')),
  /** Longest wait between reconnection attempts of a stream the server closed. Default 10 s. */
  maxReconnectMs: z._default(z.int().check(z.minimum(1)), 10_000),
});

/**
 * Options of `remoteSource` (see {@link remoteSourceOptionsSchema}).
 * @public
 */
export type RemoteSourceOptions = z.input<typeof remoteSourceOptionsSchema>;

/** `<boot>.<n>` event ids: the boot tag changes when the server restarts. */
function parseId(id: string): { boot: string; n: number } | null {
  const dot = id.lastIndexOf('.');
  const n = Number(id.slice(dot + 1));
  return dot < 0 || !Number.isInteger(n) ? null : { boot: id.slice(0, dot), n };
}
/** Whether event `id` comes after `last` in the same server's stream. */
function isAfter(id: string, last: string | null): boolean {
  if (last === null) return true;
  const a = parseId(id);
  const b = parseId(last);
  return !a || !b || a.boot !== b.boot || a.n > b.n;
}
const earlier = (a: string | null, b: string) => (a === null || isAfter(a, b) ? b : a);

const CLOSED = 2;

/**
 * A source over the example server (`examples/whatsapp-server`): its agent REST API for reads
 * and actions, and its server-sent events for live updates.
 *
 * The stream resumes after a dropped connection: `EventSource` reconnects with `Last-Event-ID`
 * and the server replays what was missed; a stream the server closed is reopened with
 * `?lastEventId=`. Event ids only move forward, so an event is never applied twice; when the
 * server can no longer replay (restarted, or too far behind) it says `stream.reset` and the
 * store reloads. Reads made before the stream opened are covered too: their `x-last-event-id`
 * is where the stream resumes from.
 *
 * @example
 * ```ts
 * const inbox = createInboxStore({ source: remoteSource({ baseUrl: '' }), viewer: 'asha' });
 * ```
 * @public
 */
export function remoteSource(options: RemoteSourceOptions): InboxSource {
  const o = parseInput(remoteSourceOptionsSchema, options, 'options');
  const doFetch = o.fetch ?? globalThis.fetch?.bind(globalThis);
  const EventSourceImpl = o.EventSource ?? (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
  if (!doFetch) throw new LiveChatError('INVALID_INPUT', { message: 'No fetch here: pass options.fetch.', path: ['fetch'] });
  if (!EventSourceImpl) throw new LiveChatError('INVALID_INPUT', { message: 'No EventSource here: pass options.EventSource (in Node, the eventsource package).', path: ['EventSource'] });
  const base = o.baseUrl.replace(/\/+$/, '');

  // The stream's position: the newest event applied, and (before the stream first opened) the
  // oldest position a read was consistent with, so the stream starts early enough.
  let lastId: string | null = null;
  let floor: string | null = null;
  let streamOpen = false;
  // While a subscription's stream is connecting, reads wait for it, so nothing that happens
  // between a read and the stream's start can fall between them.
  let releaseReads: () => void = () => {};
  let readsGate: Promise<void> = Promise.resolve();

  async function call<T>(viewer: string, method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
    await readsGate;
    let response: Response;
    try {
      response = await doFetch!(`${base}${path}`, {
        method,
        headers: { 'x-agent-id': viewer, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      throw new LiveChatError('STORE_ERROR', { message: `The server did not answer ${method} ${path}: ${String(cause)}`, cause });
    }
    const head = response.headers.get('x-last-event-id');
    if (head && !streamOpen) floor = earlier(floor, head);
    const text = await response.text();
    const data = text === '' ? null : (JSON.parse(text) as unknown);
    if (!response.ok) {
      const error = (data as { error?: { code?: string; message?: string; path?: string[]; details?: Record<string, unknown> } } | null)?.error;
      // The server speaks the engine's codes; they come back as the same LiveChatError.
      throw new LiveChatError((error?.code ?? 'STORE_ERROR') as LiveChatErrorCode, {
        message: error?.message ?? `${method} ${path} answered ${response.status}`,
        path: error?.path ?? [],
        details: { ...error?.details, status: response.status },
      });
    }
    return { status: response.status, data: data as T };
  }
  const get = async <T>(viewer: string, path: string) => (await call<T>(viewer, 'GET', path)).data;
  const send = async <T>(viewer: string, method: string, path: string, body?: unknown) => (await call<T>(viewer, method, path, body)).data;
  const q = (params: Record<string, string | number | null | undefined>) => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) search.set(k, String(v));
    const s = search.toString();
    return s ? `?${s}` : '';
  };
  const id = encodeURIComponent;

  return {
    async session(viewer) {
      try {
        return await get<InboxSession>(viewer, '/api/session');
      } catch (error) {
        // A server without the session route (the bare WhatsApp example): what /api/me and
        // /api/agents say, the engine's default policy, and no catalogs.
        if (!(error instanceof LiveChatError) || error.details['status'] !== 404) throw error;
        const [me, agents] = await Promise.all([get<InboxSession['viewer']>(viewer, '/api/me'), get<{ items: InboxSession['agents'] }>(viewer, '/api/agents')]);
        return { viewer: me, agents: agents.items, adminsSeeAll: true, replyWindow: { hours: 24 }, tagCatalog: [], attributeFields: [], templates: [] };
      }
    },
    inbox: ({ view, viewer, cursor, limit }) => get(viewer, `/api/inbox/${id(view)}${q({ cursor, limit })}`),
    counts: (viewer) => get(viewer, '/api/counts'),
    async conversation(conversationId, { viewer, limit }) {
      try {
        return await get(viewer, `/api/conversations/${id(conversationId)}${q({ limit })}`);
      } catch (error) {
        if (error instanceof LiveChatError && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')) return null;
        throw error;
      }
    },
    messages: (conversationId, { viewer, cursor, limit, order }) => get(viewer, `/api/conversations/${id(conversationId)}/messages${q({ cursor, limit, order })}`),
    journey: (contactId, { viewer, cursor, limit, order }) => get(viewer, `/api/contacts/${id(contactId)}/journey${q({ cursor, limit, order })}`),
    intervene: (conversationId, { agentId }) => send(agentId, 'POST', `/api/conversations/${id(conversationId)}/intervene`),
    reply: (conversationId, { agentId, content }) => send(agentId, 'POST', `/api/conversations/${id(conversationId)}/reply`, { content }),
    transfer: (conversationId, { agentId, to }) => send(agentId, 'POST', `/api/conversations/${id(conversationId)}/transfer`, { to }),
    release: (conversationId, { agentId }) => send(agentId, 'POST', `/api/conversations/${id(conversationId)}/release`),
    resolve: (conversationId, { agentId }) => send(agentId, 'POST', `/api/conversations/${id(conversationId)}/resolve`),
    setAttributes: (contactId, attributes, { agentId }) => send(agentId, 'PATCH', `/api/contacts/${id(contactId)}/attributes`, { attributes }),
    addTag: (contactId, tag, { agentId }) => send(agentId, 'POST', `/api/contacts/${id(contactId)}/tags`, { tag }),
    removeTag: (contactId, tag, { agentId }) => send(agentId, 'DELETE', `/api/contacts/${id(contactId)}/tags/${id(tag)}`),

    subscribe(viewer, listener) {
      let stream: EventSourceLike | null = null;
      let stopped = false;
      let attempt = 0;
      let retry: ReturnType<typeof setTimeout> | undefined;
      const status = (s: SourceSignal & { kind: 'status' }) => listener(s);

      const connect = () => {
        const from = lastId ?? floor;
        stream = new EventSourceImpl(`${base}/api/events${q({ agent: viewer, lastEventId: from })}`);
        stream.onopen = () => {
          attempt = 0;
          status({ kind: 'status', status: 'live' });
        };
        stream.onmessage = (message: { data: string; lastEventId: string }) => {
          let data: Record<string, unknown>;
          try {
            data = JSON.parse(message.data) as Record<string, unknown>;
          } catch {
            return;
          }
          if (data['type'] === 'stream.open' || data['type'] === 'stream.reset') {
            streamOpen = true;
            releaseReads();
            if (data['type'] === 'stream.reset') {
              lastId = typeof data['head'] === 'string' ? data['head'] : lastId;
              listener({ kind: 'reset', reason: String(data['reason'] ?? 'the server cannot replay what was missed') });
            }
            return;
          }
          const eventId = message.lastEventId || (typeof data['id'] === 'string' ? data['id'] : '');
          // A replay may overlap what was already applied: ids only move forward.
          if (eventId && !isAfter(eventId, lastId)) return;
          if (eventId) lastId = eventId;
          if (data['redacted'] === true) {
            listener({ kind: 'hidden', type: String(data['type']), at: String(data['at']), conversation: (data['conversation'] ?? null) as never });
          } else {
            listener({ kind: 'event', event: data as unknown as LiveChatEvent });
          }
        };
        stream.onerror = () => {
          if (stopped) return;
          status({ kind: 'status', status: 'reconnecting' });
          // Before the first frame, reads may not wait for a stream that is not coming; they
          // record where they stood, and the reopened stream starts from there.
          if (!streamOpen) releaseReads();
          // A connection that dropped is retried by EventSource itself, with Last-Event-ID.
          // One the server refused, or that never opened, is reopened here from our position.
          if (stream?.readyState === CLOSED || !streamOpen) {
            stream?.close();
            const wait = Math.min(o.maxReconnectMs, 250 * 2 ** attempt);
            attempt += 1;
            retry = setTimeout(() => {
              if (!stopped) connect();
            }, wait);
          }
        };
      };
      status({ kind: 'status', status: 'connecting' });
      readsGate = new Promise((resolve) => (releaseReads = resolve));
      connect();
      return () => {
        stopped = true;
        clearTimeout(retry);
        stream?.close();
        streamOpen = false;
        releaseReads();
        status({ kind: 'status', status: 'closed' });
      };
    },
  };
}
