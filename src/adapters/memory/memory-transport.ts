import type { OutboundMessage, SendFailureKind, SendResult, Transport } from '../../ports/transport.js';

/**
 * A message the memory transport accepted, with the external id it made up.
 * @public
 */
export interface SentMessage extends OutboundMessage {
  /** The id the transport made up, as a channel would return it. */
  externalId: string;
}

/**
 * The memory transport: keeps what it sent, and can be told to fail.
 * @public
 */
export interface MemoryTransport extends Transport {
  /** Every accepted message, in the order `send` was called. */
  readonly sent: SentMessage[];
  /** Every `send` call, accepted or not. */
  readonly attempts: OutboundMessage[];
  /**
   * Makes the next `times` sends fail with `kind` (default `retryable`), optionally only for
   * recipient `to`. Failures queue up in the order they were set.
   */
  fail(options?: { times?: number; kind?: SendFailureKind; to?: string; retryAfterMs?: number }): void;
}

/**
 * Options of {@link memoryTransport}.
 * @public
 */
export interface MemoryTransportOptions {
  /** The channel served; `whatsapp` by default. */
  channel?: string;
  /** Called with every accepted message, for demos and simulations that play the customer. */
  onSend?: (message: SentMessage) => void;
  /** Advertised as {@link Transport.maxPerSecond}, so the engine paces its sends. */
  maxPerSecond?: number;
}

/**
 * A transport that sends nowhere: it records messages in `sent`, for tests, demos and
 * simulations. It is the engine's default transport.
 *
 * @example
 * ```ts
 * const transport = memoryTransport();
 * const chat = createLiveChat({ transport });
 * // ... transport.sent[0].content
 * ```
 * @public
 */
export function memoryTransport(options: MemoryTransportOptions = {}): MemoryTransport {
  const sent: SentMessage[] = [];
  const attempts: OutboundMessage[] = [];
  const failures: Array<{ times: number; kind: SendFailureKind; to?: string; retryAfterMs?: number }> = [];
  let counter = 0;
  // Unique across transports sharing one store (a restarted engine gets a new transport).
  const prefix = `mem.${globalThis.crypto.randomUUID().slice(0, 8)}`;
  return {
    channel: options.channel ?? 'whatsapp',
    ...(options.maxPerSecond === undefined ? {} : { maxPerSecond: options.maxPerSecond }),
    sent,
    attempts,
    fail({ times = 1, kind = 'retryable', to, retryAfterMs } = {}) {
      failures.push({ times, kind, ...(to === undefined ? {} : { to }), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    },
    async send(message): Promise<SendResult> {
      attempts.push(message);
      const failure = failures.find((f) => f.to === undefined || f.to === message.to);
      if (failure) {
        failure.times -= 1;
        if (failure.times <= 0) failures.splice(failures.indexOf(failure), 1);
        return {
          ok: false,
          kind: failure.kind,
          error: { code: `memory.${failure.kind}`, message: `memory transport told to fail (${failure.kind})` },
          ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
        };
      }
      counter += 1;
      const accepted = { ...message, externalId: `${prefix}.${counter}` };
      sent.push(accepted);
      options.onSend?.(accepted);
      return { ok: true, externalId: accepted.externalId };
    },
  };
}
