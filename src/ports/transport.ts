import type { DeliveryError } from '../model/message.js';
import type { OutboundContent } from '../model/content.js';

/**
 * One outbound message handed to a transport.
 * @public
 */
export interface OutboundMessage {
  /** The engine's message id; stable across retries, usable as an idempotency key. */
  messageId: string;
  /** The recipient's address on the channel (for WhatsApp, the phone number). */
  to: string;
  /** What to send. */
  content: OutboundContent;
  /** External id of the message this one replies to, when the channel supports reply context. */
  replyTo: string | null;
}

/**
 * How a send failed, which decides what the engine does next:
 * `retryable` is tried again later with backoff (after `retryAfterMs` when given);
 * `final` marks the message failed; `window-closed` is final and means the 24 h reply
 * window is closed (only templates may be sent); `configuration` is final and means the
 * credentials or permissions are wrong.
 * @public
 */
export type SendFailureKind = 'retryable' | 'final' | 'window-closed' | 'configuration';

/**
 * The result of {@link Transport.send}: expected failures are values, not exceptions.
 * A transport that throws is treated as a `retryable` failure.
 * @public
 */
export type SendResult =
  | { ok: true; externalId: string }
  | { ok: false; kind: SendFailureKind; error: DeliveryError; retryAfterMs?: number };

/**
 * The channel port: sends messages and classifies failures.
 *
 * Contract: `send` resolves once the channel accepted or refused the message; it does not wait
 * for delivery (delivery arrives later as status receipts through `chat.updateStatus`). It may
 * be called again with the same `messageId` after a crash (at-least-once), and concurrently for
 * different recipients; the engine sends one conversation's messages in order.
 * @public
 */
export interface Transport {
  /** The channel this transport serves, matched against contacts' `channel`. */
  readonly channel: string;
  /**
   * Optional: the most sends per second the channel accepts from this sender (for WhatsApp, the
   * business number's throughput). When set, the engine's outbox dispatcher never calls `send`
   * faster (a token bucket on the engine clock, bursting up to one second's worth) and claims
   * no more than it can send within a lease, so a large broadcast never floods the transport.
   * The pace is per engine instance. Absent: sends go out as fast as they are claimed.
   */
  readonly maxPerSecond?: number;
  /** Sends one message; see the interface's contract. */
  send(message: OutboundMessage): Promise<SendResult>;
  /**
   * Optional: checks content against the channel's limits (button counts, text lengths) and
   * throws `LiveChatError` `INVALID_INPUT` naming the offending path. The engine calls it
   * before committing an agent's reply, so the agent hears of it at once instead of through
   * a failed send.
   */
  validate?(content: OutboundContent): void;
}
