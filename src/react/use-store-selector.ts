import { useMemo, useSyncExternalStore } from 'react';
import type { InboxStore } from '../inbox/inbox-store.js';
import type { InboxState } from '../inbox/state.js';

/**
 * Subscribes to the part of the store's state `selector` picks. The component re-renders only
 * when that part changes: by identity (the store keeps unchanged parts identical), or by
 * `isEqual` for selectors that build a new value each time.
 * @public
 */
export function useStoreSelector<T>(store: InboxStore, selector: (state: InboxState) => T, isEqual: (a: T, b: T) => boolean = Object.is): T {
  // One memo per (store, selector, isEqual): the same state never runs the selector twice, and
  // an equal result keeps the previous value, so React sees no change.
  const select = useMemo(() => {
    let memo: { state: InboxState; value: T } | null = null;
    return () => {
      const state = store.getSnapshot();
      if (memo?.state === state) return memo.value;
      const value = selector(state);
      memo = { state, value: memo !== null && isEqual(memo.value, value) ? memo.value : value };
      return memo.value;
    };
  }, [store, selector, isEqual]);
  return useSyncExternalStore(store.subscribe, select, select);
}
