import type { Clock, TimerHandle } from '../ports/clock.js';

/** Hands out send slots at a fixed rate. */
export interface Pacer {
  /** Resolves when the caller may send; callers are served in order. */
  take(): Promise<void>;
}

/**
 * A token bucket on the engine's clock: `perSecond` tokens a second, holding at most one second's
 * worth, so after a quiet spell a burst of `perSecond` goes at once and then the pace holds. It
 * waits on the clock's timers, so a manual clock drives it in tests.
 */
export function tokenBucket(clock: Clock, perSecond: number): Pacer {
  const capacity = Math.max(1, perSecond);
  let tokens = capacity;
  let last = clock.now().getTime();
  const waiters: Array<() => void> = [];
  let timer: TimerHandle | null = null;

  const drain = () => {
    const now = clock.now().getTime();
    tokens = Math.min(capacity, tokens + ((now - last) * perSecond) / 1000);
    last = now;
    while (waiters.length > 0 && tokens >= 1) {
      tokens -= 1;
      waiters.shift()!();
    }
    if (waiters.length > 0 && timer === null) {
      timer = clock.setTimeout(() => {
        timer = null;
        drain();
      }, Math.ceil(((1 - tokens) * 1000) / perSecond));
    }
  };

  return {
    take: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        drain();
      }),
  };
}
