// livechat-engine/react: thin React bindings over the inbox store (react is an optional peer).

export { useConversation, useInbox, useJourney, useProfile } from './hooks.js';
export { InboxProvider, useInboxStore, type InboxProviderProps } from './inbox-context.js';
export { useStoreSelector } from './use-store-selector.js';
