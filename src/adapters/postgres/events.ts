import EventEmitter from 'eventemitter3';
import { z } from 'zod';
import type { LiveChat } from '../../engine/create-live-chat.js';
import type { LiveChatEvent, LiveChatEvents } from '../../engine/events.js';
import { parseInput } from '../../errors.js';
import { consoleLogger, type Logger } from '../../ports/clock.js';
import { isPool, type PgPoolClientLike, type PostgresClient } from './client.js';
import type { PostgresStore } from './postgres-store.js';
import { JOURNEY_COLUMNS, toJourneyEvent } from './rows.js';

/**
 * Options of {@link postgresEvents}.
 * @public
 */
export interface PostgresEventsOptions {
  /** The local engine whose committed events are published. */
  chat: Pick<LiveChat, 'on'>;
  /** The engine's store: its client carries the notifications, its schema names the channel. */
  store: PostgresStore;
  /** The `LISTEN` channel. Default `<schema>_events`, so stores in different schemas never mix. */
  channel?: string;
  /** Where failures to publish or receive are reported. Default: the console. */
  logger?: Logger;
}

/**
 * Engine events of every instance sharing the database.
 * @public
 */
export interface PostgresEvents {
  /** This instance's id on the channel; its own notifications are recognised by it and skipped. */
  readonly instanceId: string;
  /**
   * Subscribes to the events of every instance: this engine's as it emits them, the others' as
   * their notifications arrive. Same signature as `LiveChat.on`; returns the unsubscribe function.
   */
  on<K extends keyof LiveChatEvents>(type: K, listener: LiveChatEvents[K]): () => void;
  /** Resolves when every local event so far has been handed to the database. */
  flushed(): Promise<void>;
  /** Stops publishing and listening, and releases the listening connection. */
  close(): Promise<void>;
}

// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
const MAX_PAYLOAD = 7900;
const bytes = (text: string) => new TextEncoder().encode(text).length;
// How long a lost listening connection waits before it reconnects.
const RECONNECT_MS = 1_000;

/** A remote event too large for one notification: the records travel as ids and are read back. */
interface EventRef {
  type: LiveChatEvent['type'];
  at: string;
  journey: LiveChatEvent['journey'];
  journeyId: string | null;
  conversationId: string | null;
  contactId: string | null;
  messageId: string | null;
}

type Envelope = { o: string; e: LiveChatEvent } | { o: string; r: EventRef };

const optionsSchema = z.object({
  chat: z.custom<PostgresEventsOptions['chat']>((c) => typeof (c as { on?: unknown } | null)?.on === 'function', 'chat must be a LiveChat'),
  store: z.custom<PostgresStore>(
    (s) => typeof (s as { schema?: unknown } | null)?.schema === 'string' && typeof (s as { client?: unknown }).client === 'object',
    'store must be a postgresStore',
  ),
  channel: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).optional(),
  logger: z.custom<Logger>((l) => typeof (l as { error?: unknown } | null)?.error === 'function').optional(),
});

function encode(instanceId: string, event: LiveChatEvent): string {
  const full = JSON.stringify({ o: instanceId, e: event } satisfies Envelope);
  if (bytes(full) < MAX_PAYLOAD) return full;
  const ref: EventRef = {
    type: event.type,
    at: event.at,
    journey: event.journey,
    journeyId: event.journey?.id ?? null,
    conversationId: event.conversation?.id ?? null,
    contactId: event.contact?.id ?? null,
    messageId: event.message?.id ?? null,
  };
  const light = JSON.stringify({ o: instanceId, r: ref } satisfies Envelope);
  return bytes(light) < MAX_PAYLOAD ? light : JSON.stringify({ o: instanceId, r: { ...ref, journey: null } } satisfies Envelope);
}

/**
 * Fans engine events out across every engine instance sharing one database, with PostgreSQL's
 * `LISTEN/NOTIFY`: each event this engine commits is published on the channel, and events other
 * instances published are re-emitted here. Subscribe with {@link PostgresEvents.on} instead of
 * `chat.on` to see them all (a UI stream stays live whichever instance took the webhook).
 *
 * Events are published right after their commit (one `NOTIFY` round trip per batch) and carry
 * the records as committed; an event larger than PostgreSQL's 8000-byte payload limit travels
 * as ids and the receiver reads the records back (then they may be newer than committed).
 * Delivery is at most once: an instance that is down, or a connection being re-established,
 * misses events; the store stays the source of truth. Works on a `pg.Pool` (a dedicated
 * connection listens) and on PGlite (engines in one process sharing one database).
 *
 * @example
 * ```ts
 * const chat = createLiveChat({ store });
 * const events = await postgresEvents({ chat, store });
 * events.on('message.received', (e) => stream.push(e)); // from any instance
 * ```
 * @public
 */
export async function postgresEvents(options: PostgresEventsOptions): Promise<PostgresEvents> {
  parseInput(optionsSchema, options, 'postgresEvents options');
  const { chat, store, channel = `${options.store.schema}_events`, logger = consoleLogger } = options;
  const client: PostgresClient = store.client;
  const instanceId = globalThis.crypto.randomUUID();
  const emitter = new EventEmitter<LiveChatEvents>();
  let closed = false;

  const emit = (event: LiveChatEvent) => {
    try {
      emitter.emit(event.type, event as never);
      emitter.emit('*', event);
    } catch (error) {
      logger.error('an event listener threw', { type: event.type, error });
    }
  };

  // Publishing: events of one tick go out in one statement, batches in order.
  let queue: LiveChatEvent[] = [];
  let publishing: Promise<void> = Promise.resolve();
  const publish = () => {
    const batch = queue;
    queue = [];
    if (batch.length === 0) return Promise.resolve();
    return client
      .query('select pg_notify($1, payload) from unnest($2::text[]) with ordinality as t(payload, n) order by n', [channel, batch.map((e) => encode(instanceId, e))])
      .then(
        () => undefined,
        (error: unknown) => logger.error('publishing engine events failed', { channel, error, events: batch.length }),
      );
  };
  const stopLocal = chat.on('*', (event) => {
    emit(event);
    if (closed) return;
    queue.push(event);
    if (queue.length === 1) publishing = publishing.then(publish);
  });

  // Receiving: in arrival order, even when an event's records must be read back first.
  let receiving: Promise<void> = Promise.resolve();
  async function resolve(ref: EventRef): Promise<LiveChatEvent> {
    const [conversation, contact, message, journeyRows] = await Promise.all([
      ref.conversationId ? store.getConversation(ref.conversationId) : null,
      ref.contactId ? store.getContact(ref.contactId) : null,
      ref.messageId ? store.getMessage(ref.messageId) : null,
      ref.journey === null && ref.journeyId ? client.query(`select ${JOURNEY_COLUMNS} from ${store.schema}.journey where id = $1`, [ref.journeyId]) : null,
    ]);
    const journey = ref.journey ?? (journeyRows?.rows[0] ? toJourneyEvent(journeyRows.rows[0]) : null);
    return { type: ref.type, at: ref.at, journey, conversation, contact, message };
  }
  const onNotification = (payload: string | undefined) => {
    if (closed || !payload) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch (error) {
      logger.warn('ignored a malformed event notification', { channel, error });
      return;
    }
    if (envelope.o === instanceId) return;
    receiving = receiving.then(async () => {
      try {
        emit('e' in envelope ? envelope.e : await resolve(envelope.r));
      } catch (error) {
        logger.error('reading back a remote event failed', { channel, error });
      }
    });
  };

  let stopListening: () => Promise<void>;
  if (isPool(client)) {
    let connection: PgPoolClientLike | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = async (): Promise<void> => {
      const c = await client.connect();
      c.on('notification', (m) => {
        if (m.channel === channel) onNotification(m.payload);
      });
      c.on('error', (error) => {
        // The listening connection died (server restart, network): events in the gap are lost.
        logger.error('the event listening connection failed; reconnecting', { channel, error });
        c.release(error);
        if (connection === c) connection = null;
        if (!closed) retry = globalThis.setTimeout(() => void connect().catch((e) => logger.error('reconnecting the event listener failed', { error: e })), RECONNECT_MS);
      });
      await c.query(`listen "${channel}"`);
      connection = c;
    };
    await connect();
    stopListening = async () => {
      globalThis.clearTimeout(retry);
      const c = connection;
      connection = null;
      if (!c) return;
      await c.query(`unlisten "${channel}"`).catch(() => undefined);
      c.release();
    };
  } else {
    stopListening = await client.listen(channel, onNotification);
  }

  return {
    instanceId,
    on(type, listener) {
      emitter.on(type, listener as never);
      return () => {
        emitter.off(type, listener as never);
      };
    },
    flushed: () => publishing,
    async close() {
      if (closed) return;
      stopLocal();
      await publishing;
      closed = true;
      await stopListening();
      await receiving;
      emitter.removeAllListeners();
    },
  };
}
