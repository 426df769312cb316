// livechat-engine/inbox: a framework-free store of an agent's inbox for any UI, with sources for
// an engine in the same process and for the example server over HTTP. Browser-safe: nothing
// here imports Node built-ins or the engine's runtime (the lifecycle machine stays server-side).

export { createInboxStore } from './create-inbox-store.js';
export type { ActionResult, InboxStore } from './inbox-store.js';
export { inboxStoreOptionsSchema, type InboxStoreOptions } from './inputs.js';
export { inProcessSource, type InProcessSourceOptions } from './in-process-source.js';
export {
  remoteSource,
  remoteSourceOptionsSchema,
  type EventSourceConstructor,
  type EventSourceLike,
  type RemoteSourceOptions,
} from './remote-source.js';
export type { SessionCatalogs } from './session-catalogs.js';
export {
  selectConversation,
  selectCounts,
  selectCurrentTab,
  selectJourney,
  selectNotices,
  selectOpen,
  selectProfile,
  selectReplyWindow,
  selectTab,
} from './selectors.js';
export type {
  AttributeField,
  ConnectionStatus,
  ConversationDetail,
  InboxItem,
  InboxSession,
  InboxSource,
  ReplyContent,
  SourceSignal,
  TagDefinition,
  TemplateOption,
} from './source.js';
export {
  inboxViews,
  type AttributeView,
  type ChatPermissions,
  type ConversationSummary,
  type DeliveryTick,
  type InboxNotice,
  type InboxState,
  type InboxView,
  type JourneyItem,
  type JourneyView,
  type MessageView,
  type OpenConversation,
  type PendingAction,
  type ProfileView,
  type ReplyWindow,
  type TabState,
  type TagView,
} from './state.js';
// Engine types the inbox API mentions, re-exported as types (no runtime comes along).
export type { Clock, LiveChatEvent } from '../index.js';
