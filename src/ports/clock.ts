/**
 * Time and timers, injected so tests and simulations are deterministic.
 * The engine never reads `Date.now()` or calls the global `setTimeout` itself.
 * @public
 */
export interface Clock {
  /** The current time. */
  now(): Date;
  /** Calls `fn` after `ms` milliseconds of this clock's time. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer from {@link Clock.setTimeout}; unknown handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * An opaque timer handle returned by {@link Clock.setTimeout}.
 * @public
 */
export type TimerHandle = unknown;

/**
 * The wall clock with the platform's timers (browser or Node).
 * @public
 */
export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/**
 * Makes a new unique id with a short prefix naming the record kind (`conv`, `msg`, ...).
 * Ids must be unique across every engine instance sharing a store; they should sort by creation
 * time, so that records created in one unit of work keep their order under equal timestamps.
 * @public
 */
export type IdGenerator = (prefix: string) => string;

/**
 * Time-sortable ids: 12 hex digits of milliseconds, a per-process counter, and 64 random bits.
 * Safe across processes (the random part) and ordered within one (the counter).
 * @public
 */
export function sortableIds(now: () => number = Date.now): IdGenerator {
  let last = -1;
  let counter = 0;
  // One getRandomValues call per id cost more than the rest of the id (about 5 µs in Node 20,
  // several per message); drawing from a pool refilled in bulk keeps the same randomness.
  const pool = new Uint8Array(8192);
  let drawn = pool.length;
  // Number#toString(16) is a slow runtime call in V8 (it was most of an id's cost): the
  // digits come from a table of the 256 two-digit hex strings instead.
  const random64 = () => {
    if (drawn === pool.length) {
      globalThis.crypto.getRandomValues(pool);
      drawn = 0;
    }
    const b = pool;
    const i = drawn;
    drawn += 8;
    return HEX[b[i]!]! + HEX[b[i + 1]!]! + HEX[b[i + 2]!]! + HEX[b[i + 3]!]! + HEX[b[i + 4]!]! + HEX[b[i + 5]!]! + HEX[b[i + 6]!]! + HEX[b[i + 7]!]!;
  };
  let time = '';
  return (prefix) => {
    const ms = now();
    if (ms === last) counter += 1;
    else {
      last = ms;
      counter = 0;
      // Many ids share a millisecond: the time part is formatted once per millisecond.
      time = ms.toString(16).padStart(12, '0');
    }
    const seq = counter < 0x10000 ? `00${HEX[counter >>> 8]!}${HEX[counter & 0xff]!}` : counter.toString(16).padStart(6, '0');
    return `${prefix}_${time}${seq}${random64()}`;
  };
}

/** The two-digit hex string of every byte. */
const HEX = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));

/**
 * Where the engine writes what went wrong in the background (a bot that threw, a send that
 * failed). Defaults to `console.warn` / `console.error`.
 * @public
 */
export interface Logger {
  /** Detail useful when tracing a problem. */
  debug(message: string, data?: Record<string, unknown>): void;
  /** Something failed and the engine handled it (a bot error, a retried send). */
  warn(message: string, data?: Record<string, unknown>): void;
  /** Something failed that nobody handled (a listener threw, a background task crashed). */
  error(message: string, data?: Record<string, unknown>): void;
}

/** A logger that writes warnings and errors to the console. @public */
export const consoleLogger: Logger = {
  debug: () => {},
  warn: (message, data) => console.warn(`[livechat] ${message}`, data ?? ''),
  error: (message, data) => console.error(`[livechat] ${message}`, data ?? ''),
};

/** A logger that drops everything. @public */
export const silentLogger: Logger = { debug: () => {}, warn: () => {}, error: () => {} };
