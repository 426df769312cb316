import type { Clock, TimerHandle } from '../ports/clock.js';

/**
 * A clock that moves only when told, with timers that fire on its own timeline.
 * @public
 */
export interface ManualClock extends Clock {
  /** Jumps to `date`, firing every timer due on the way, in order. Time never moves back. */
  set(date: Date | string): void;
  /** Moves forward by `ms`, firing every timer due on the way, in order. */
  advance(ms: number): void;
  /** Timers not fired yet. */
  readonly pendingTimers: number;
}

/**
 * A manual clock for tests, demos and simulations: time comes from here, never from sleeps.
 *
 * @example
 * ```ts
 * const clock = manualClock('2026-01-01T09:00:00Z');
 * const chat = createLiveChat({ clock });
 * clock.advance(24 * 60 * 60 * 1000);
 * await chat.sweep();
 * ```
 * @public
 */
export function manualClock(start: Date | string | number = '2026-01-01T00:00:00.000Z'): ManualClock {
  let now = new Date(start).getTime();
  if (Number.isNaN(now)) throw new TypeError(`manualClock: invalid start ${String(start)}`);
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();

  const moveTo = (target: number) => {
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of timers) if (entry[1].at <= target && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      timers.delete(due[0]);
      now = Math.max(now, due[1].at);
      due[1].fn();
    }
    now = Math.max(now, target);
  };

  return {
    now: () => new Date(now),
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id as TimerHandle;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    set(date) {
      moveTo(new Date(date).getTime());
    },
    advance(ms) {
      moveTo(now + ms);
    },
    get pendingTimers() {
      return timers.size;
    },
  };
}
