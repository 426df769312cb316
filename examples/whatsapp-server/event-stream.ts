import type { Agent, LiveChat, LiveChatEvent } from '../../src/index.js';

// Server-sent events of everything the engine announces, for agent UIs. Every event gets an
// id `<boot>.<n>`; a client that reconnects with Last-Event-ID gets what it missed from a
// bounded ring of recent events, or a `stream.reset` telling it to reload when that is no
// longer possible (too far behind, or the server restarted).

interface Entry {
  seq: number;
  event: LiveChatEvent;
}

/** Options of {@link eventStream}. */
export interface EventStreamOptions {
  /** Recent events kept for resuming clients. Default 1000. */
  capacity?: number;
  /** Interval of keep-alive comments, so proxies keep idle streams open. Default 15 s. */
  heartbeatMs?: number;
}

const encoder = new TextEncoder();

/** What an agent may see of an event: all of it, or for someone else's chat only that it moved. */
export type Visibility = (event: LiveChatEvent) => Promise<boolean>;

function redacted(event: LiveChatEvent) {
  const c = event.conversation;
  return {
    type: event.type,
    at: event.at,
    redacted: true,
    conversation: c && { id: c.id, state: c.state, assignee: c.assignee, lastActivityAt: c.lastActivityAt },
  };
}

/**
 * Collects the engine's events (`chat.on('*')`) into a ring and serves them as server-sent
 * events. `head()` is the id of the newest event: the REST API returns it with every read so
 * a client can load state, then stream from exactly there without a gap.
 */
export function eventStream(chat: LiveChat, options: EventStreamOptions = {}) {
  const capacity = options.capacity ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const boot = Date.now().toString(36);
  const ring: Entry[] = [];
  const clients = new Map<(entry: Entry) => void, () => void>();
  let seq = 0;

  const unsubscribe = chat.on('*', (event) => {
    seq += 1;
    const entry = { seq, event };
    ring.push(entry);
    if (ring.length > capacity) ring.shift();
    for (const client of clients.keys()) client(entry);
  });

  const idOf = (n: number) => `${boot}.${n}`;

  /** The entries after `lastEventId`, or `null` when they can no longer all be replayed. */
  function since(lastEventId: string | null): Entry[] | null {
    if (lastEventId === null || lastEventId === '') return [];
    const [b, n] = lastEventId.split('.');
    const last = Number(n);
    if (b !== boot || !Number.isInteger(last) || last > seq) return null;
    const oldest = ring[0]?.seq ?? seq + 1;
    if (last < oldest - 1) return null;
    return ring.filter((e) => e.seq > last);
  }

  return {
    /** The id of the newest event (`<boot>.0` before any). */
    head: () => idOf(seq),

    /**
     * A `text/event-stream` response for `agent`: replay after `lastEventId`, then live events,
     * each as `id: <id>` and `data: <json>`; events of chats the agent may not see are redacted.
     */
    open(request: Request, agent: Agent, visible: Visibility): Response {
      const lastEventId = request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('lastEventId');
      let queue = Promise.resolve();
      let timer: ReturnType<typeof setInterval> | undefined;
      let send: ((entry: Entry) => void) | null = null;
      const stop = () => {
        if (send) clients.delete(send);
        clearInterval(timer);
      };
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          const write = (text: string) => {
            try {
              controller.enqueue(encoder.encode(text));
            } catch {
              stop();
            }
          };
          const frame = (id: string | null, data: unknown) => write(`${id === null ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`);
          // Visibility may need a read; a per-client queue keeps the events in order anyway.
          send = (entry) => {
            queue = queue.then(async () => frame(idOf(entry.seq), { id: idOf(entry.seq), ...((await visible(entry.event)) ? entry.event : redacted(entry.event)) }));
          };
          write('retry: 2000\n\n');
          const replay = since(lastEventId);
          if (replay === null) frame(idOf(seq), { type: 'stream.reset', head: idOf(seq), reason: 'missed events are no longer available: reload the state' });
          else frame(null, { type: 'stream.open', head: idOf(seq), agent: agent.id });
          for (const entry of replay ?? []) send(entry);
          const end = () => {
            stop();
            try {
              controller.close();
            } catch {
              // The client already went away.
            }
          };
          clients.set(send, end);
          timer = setInterval(() => write(': keep-alive\n\n'), heartbeatMs);
          timer.unref?.();
          request.signal.addEventListener('abort', end);
        },
        cancel: stop,
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' } });
    },

    /** Stops collecting events and ends every stream. */
    close(): void {
      unsubscribe();
      for (const end of [...clients.values()]) end();
    },
  };
}

/** An event stream, as made by {@link eventStream}. */
export type EventStream = ReturnType<typeof eventStream>;
