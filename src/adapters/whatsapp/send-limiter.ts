import type { Clock } from '../../ports/clock.js';

/**
 * Pacing state of one sender or one recipient: the GCRA "theoretical arrival time", a hard
 * block after the channel said "slow down", and how many times in a row it said so.
 */
interface Pace {
  tat: number;
  blockedUntil: number;
  strikes: number;
}

/** A rate as an emission interval and a burst size (GCRA, the leaky bucket as a meter). */
interface Rate {
  intervalMs: number;
  burst: number;
}

const fresh = (): Pace => ({ tat: 0, blockedUntil: 0, strikes: 0 });

/** When a message may go at the earliest, starting no sooner than `start`, and the pace after it. */
function plan(pace: Pace, start: number, rate: Rate): { goAt: number; tat: number } {
  const from = Math.max(start, pace.blockedUntil);
  const tat = Math.max(pace.tat, from);
  const goAt = Math.max(from, tat - (rate.burst - 1) * rate.intervalMs);
  return { goAt, tat: tat + rate.intervalMs };
}

/**
 * Options of the send limiter: the business number's throughput and the per-recipient pair
 * limit, both as rate plus burst, and how long a send may wait in-process for its slot.
 */
export interface SendLimiterOptions {
  clock: Clock;
  random: () => number;
  messagesPerSecond: number;
  burst: number;
  pairIntervalMs: number;
  pairBurst: number;
  maxWaitMs: number;
}

/** The outcome of asking for a slot: go now (after the wait already served) or come back later. */
export type Admission = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Paces sends so a broadcast never trips the channel's limits on its own: a GCRA meter per
 * business number (80 messages/s by default) and one per recipient (about one message per 6 s,
 * short bursts allowed). When the channel still says "slow down", `penalise` blocks the
 * number (130429) or only that recipient (131056, for 4^n s) and reports the wait.
 *
 * A send waits in-process for a slot only up to `maxWaitMs`: a longer wait is handed back to
 * the engine as a retry, so an outbox lease never expires under a sleeping send.
 */
export function sendLimiter(options: SendLimiterOptions) {
  const { clock } = options;
  const sender = fresh();
  const recipients = new Map<string, Pace>();
  const senderRate: Rate = { intervalMs: 1000 / options.messagesPerSecond, burst: options.burst };
  const pairRate: Rate = { intervalMs: options.pairIntervalMs, burst: options.pairBurst };
  let pruneAbove = 1024;

  const jitter = (ms: number) => Math.round(ms * (1 + 0.2 * options.random()));

  // Recipients at rest carry no information; dropping them keeps the map as small as the
  // set of recently messaged people. Pruning only when the map doubled keeps it amortised O(1).
  function prune(now: number) {
    if (recipients.size <= pruneAbove) return;
    for (const [to, pace] of recipients) {
      if (pace.tat <= now && pace.blockedUntil <= now && pace.strikes === 0) recipients.delete(to);
    }
    pruneAbove = Math.max(1024, recipients.size * 2);
  }

  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => clock.setTimeout(resolve, ms));
  }

  return {
    /**
     * Reserves a slot for a message to `to`, waiting for it when the wait is short: first the
     * recipient's slot, then, at that moment, the number's. (Reserving the number's slot ahead
     * for a recipient who must wait would hold back everyone else behind that one person.)
     */
    async acquire(to: string): Promise<Admission> {
      let now = clock.now().getTime();
      prune(now);
      const pair = recipients.get(to) ?? fresh();
      const forPair = plan(pair, now, pairRate);
      const pairDelay = forPair.goAt - now;
      if (pairDelay > options.maxWaitMs) return { ok: false, retryAfterMs: Math.ceil(pairDelay) };
      pair.tat = forPair.tat;
      recipients.set(to, pair);
      if (pairDelay > 0) await wait(pairDelay);

      now = clock.now().getTime();
      const forSender = plan(sender, now, senderRate);
      const delay = forSender.goAt - now;
      if (delay > options.maxWaitMs) {
        // Give the recipient's slot back: this message is not going now after all.
        pair.tat -= pairRate.intervalMs;
        return { ok: false, retryAfterMs: Math.ceil(delay) };
      }
      sender.tat = forSender.tat;
      if (delay > 0) await wait(delay);
      return { ok: true };
    },

    /** The channel accepted a message to `to`: its run of pair-limit strikes is over. */
    succeeded(to: string): void {
      sender.strikes = 0;
      const pair = recipients.get(to);
      if (pair) pair.strikes = 0;
    },

    /**
     * The channel said "slow down". Returns the wait to report with the retry:
     * `pair` blocks only `to`, for 4^n seconds (n = strikes in a row); `throughput` blocks the
     * whole number with exponential backoff; `app-rate` blocks it for a minute.
     */
    penalise(cause: 'pair' | 'throughput' | 'app-rate', to: string): number {
      const now = clock.now().getTime();
      if (cause === 'pair') {
        const pair = recipients.get(to) ?? fresh();
        pair.strikes += 1;
        const ms = jitter(4 ** Math.min(pair.strikes, 6) * 1000);
        pair.blockedUntil = Math.max(pair.blockedUntil, now + ms);
        recipients.set(to, pair);
        return ms;
      }
      sender.strikes += 1;
      const ms = jitter(cause === 'throughput' ? Math.min(1000 * 2 ** (sender.strikes - 1), 60_000) : 60_000);
      sender.blockedUntil = Math.max(sender.blockedUntil, now + ms);
      return ms;
    },
  };
}

/** A send limiter, as made by {@link sendLimiter}. */
export type SendLimiter = ReturnType<typeof sendLimiter>;
