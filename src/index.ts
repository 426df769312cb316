// The core entry: explicit named exports only. Nothing here imports Node built-ins, so the
// core also runs in a browser.

export { createLiveChat, type LiveChat } from './engine/create-live-chat.js';
export { defaultPolicy, type LiveChatOptions, type Policy } from './engine/options.js';
export type { ChannelError, LiveChatEvent, LiveChatEvents, LiveChatEventType } from './engine/events.js';
export type { ReceiveResult } from './engine/commands/receive.js';
export type { ReplyResult } from './engine/commands/agent-actions.js';
export type { StatusResult } from './engine/commands/update-status.js';
export type { InboxCounts } from './engine/queries.js';
// Input schemas are exported so that a REST layer or a queue consumer can validate with
// exactly the rules the engine applies.
export {
  agentActionInputSchema,
  byInputSchema,
  channelErrorInputSchema,
  inboxQuerySchema,
  inboxViewSchema,
  journeyQuerySchema,
  messagesQuerySchema,
  receiveInputSchema,
  receiveOptionsSchema,
  replyInputSchema,
  requestInterventionInputSchema,
  statusInputSchema,
  transferInputSchema,
  viewerOptionsSchema,
  type AgentActionInput,
  type ByInput,
  type ChannelErrorInput,
  type InboxQuery,
  type JourneyQuery,
  type MessagesQuery,
  type ReceiveInput,
  type ReceiveOptions,
  type ReplyInput,
  type RequestInterventionInput,
  type StatusInput,
  type TransferInput,
  type ViewerOptions,
} from './engine/inputs.js';

export { LiveChatError, errorCodes, type LiveChatErrorCode, type LiveChatErrorOptions } from './errors.js';

export { conversationMachine, type LifecycleContext, type LifecycleEffect, type LifecycleEvent } from './lifecycle/machine.js';
export { lifecycleStep, restoreSnapshot, type LifecycleSnapshot, type LifecycleStep } from './lifecycle/transition.js';

export {
  actorSchema,
  agentSchema,
  attributeValueSchema,
  authorSchema,
  contactSchema,
  contentPreview,
  contentSchema,
  conversationSchema,
  conversationStateSchema,
  deliveryErrorSchema,
  isStatusAdvance,
  journeyEventSchema,
  journeyEventTypeSchema,
  messageSchema,
  messageStatusSchema,
  outboundContentSchema,
  referralSchema,
  tagAssignmentSchema,
  tagSourceSchema,
  type Actor,
  type Agent,
  type AttributeValue,
  type Author,
  type Contact,
  type Content,
  type Conversation,
  type ConversationState,
  type DeliveryError,
  type JourneyEvent,
  type JourneyEventType,
  type Message,
  type MessageStatus,
  type OutboundContent,
  type Referral,
  type TagAssignment,
  type TagSource,
} from './model/index.js';

export type { Bot, BotDecision, BotInput } from './ports/bot.js';
export {
  consoleLogger,
  silentLogger,
  sortableIds,
  systemClock,
  type Clock,
  type IdGenerator,
  type Logger,
  type TimerHandle,
} from './ports/clock.js';
export type {
  ChangeSet,
  CommitConflict,
  CommitResult,
  ConversationQuery,
  MessageUpdate,
  OutboxItem,
  Page,
  PageQuery,
  Store,
  StoreCapabilities,
  VersionedWrite,
} from './ports/store.js';
export type { TagRule, TagRuleActions, TagRuleContext } from './ports/tag-rule.js';
export type { OutboundMessage, SendFailureKind, SendResult, Transport } from './ports/transport.js';

export { memoryStore } from './adapters/memory/memory-store.js';
export {
  memoryTransport,
  type MemoryTransport,
  type MemoryTransportOptions,
  type SentMessage,
} from './adapters/memory/memory-transport.js';
export { keywordBot, keywordBotOptionsSchema, type KeywordBotOptions } from './bots/keyword-bot.js';
