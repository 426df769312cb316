import { createContext, createElement, useContext, type ReactNode } from 'react';
import { LiveChatError } from '../errors.js';
import type { InboxStore } from '../inbox/inbox-store.js';

const InboxContext = createContext<InboxStore | null>(null);

/**
 * Props of {@link InboxProvider}.
 * @public
 */
export interface InboxProviderProps {
  /** The store the hooks below read. */
  store: InboxStore;
  /** The components that use it. */
  children?: ReactNode;
}

/**
 * Makes an inbox store available to the hooks of the components below it.
 *
 * @example
 * ```tsx
 * const store = createInboxStore({ source: remoteSource({ baseUrl: '/' }), viewer: 'asha' });
 * root.render(<InboxProvider store={store}><App /></InboxProvider>);
 * ```
 * @public
 */
export function InboxProvider(props: InboxProviderProps): ReactNode {
  return createElement(InboxContext.Provider, { value: props.store }, props.children);
}

/**
 * The store of the nearest {@link InboxProvider}, for its actions (`store.intervene()`, ...).
 * @public
 */
export function useInboxStore(): InboxStore {
  const store = useContext(InboxContext);
  if (!store) throw new LiveChatError('INVALID_INPUT', { message: 'Inbox hooks must be used inside <InboxProvider store={...}>.' });
  return store;
}
