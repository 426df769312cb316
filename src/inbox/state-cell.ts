import type { InboxState, InboxView, TabState } from './state.js';

/**
 * Holds the inbox state and changes it immutably: `write()` gives a shallow copy to change for
 * the current batch (copied once per batch), and listeners hear about a batch once, at its end.
 * Code reads `next` while a batch is open, so it sees its own changes.
 */
export function stateCell(initial: InboxState) {
  let state = initial;
  let next = initial;
  let depth = 0;
  const listeners = new Set<() => void>();

  const write = (): InboxState => (next === state ? (next = { ...state }) : next);
  const setTab = (view: InboxView, tab: TabState): void => {
    const n = write();
    if (n.tabs === state.tabs) n.tabs = { ...state.tabs };
    (n.tabs as Record<InboxView, TabState>)[view] = tab;
  };

  return {
    /** The state listeners last heard about. */
    get state(): InboxState {
      return state;
    },
    /** The state including the open batch's changes. */
    get next(): InboxState {
      return next;
    },
    write,
    setTab,
    /** Changes some fields of a tab, if any of them differ. */
    patchTab(view: InboxView, patch: Partial<TabState>): void {
      const current = next.tabs[view];
      if (Object.entries(patch).some(([k, v]) => current[k as keyof TabState] !== v)) setTab(view, { ...current, ...patch });
    },
    /** Runs `fn` as one change: listeners hear about it once, at the end. */
    batch<T>(fn: () => T): T {
      depth += 1;
      try {
        return fn();
      } finally {
        depth -= 1;
        if (depth === 0 && next !== state) {
          state = next;
          for (const listener of [...listeners]) listener();
        }
      }
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
