// The core entry: explicit named exports only. Nothing here imports Node built-ins, so the
// core also runs in a browser.

export { createLiveChat, type LiveChat } from './engine/create-live-chat.js';
export { defaultPolicy, type LiveChatOptions, type Policy } from './engine/options.js';
export type { BroadcastEventType, ChannelError, LiveChatEvent, LiveChatEvents, LiveChatEventType } from './engine/events.js';
export type { TagRenameResult } from './engine/commands/catalog.js';
export type { ContactProfile, ProfileAttribute, ProfileFigures, ProfileTag } from './engine/commands/profile.js';
export type { DurationFigures, LiveChatStats } from './engine/commands/stats.js';
export {
  adminByInputSchema,
  attributeDefinitionInputSchema,
  audienceInputSchema,
  broadcastInputSchema,
  cursorPageInputSchema,
  statsInputSchema,
  tagDefinitionInputSchema,
  type AdminByInput,
  type AttributeDefinitionInput,
  type AudienceInput,
  type BroadcastInput,
  type CursorPageInput,
  type StatsInput,
  type TagDefinitionInput,
} from './engine/profile-inputs.js';
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
  attributeConditionSchema,
  attributeDefinitionSchema,
  attributeKeySchema,
  attributeTypeSchema,
  attributeValueSchema,
  attributeValueSchemaFor,
  audienceFilterSchema,
  campaignCountsSchema,
  campaignSchema,
  campaignStatusSchema,
  emptyCampaignCounts,
  isJourneyEvent,
  matchesAttribute,
  matchesContactFilter,
  matchesTags,
  tagDefinitionSchema,
  tagNameSchema,
  tagsFilterSchema,
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
  pendingBotTurnSchema,
  referralSchema,
  tagAssignmentSchema,
  tagSourceSchema,
  type Actor,
  type Agent,
  type AttributeCondition,
  type AttributeDefinition,
  type AttributeType,
  type AttributeValue,
  type AudienceFilter,
  type Campaign,
  type CampaignCounts,
  type CampaignStatus,
  type ContactFilter,
  type TagDefinition,
  type TagsFilter,
  type Author,
  type Contact,
  type Content,
  type Conversation,
  type ConversationState,
  type DeliveryError,
  type JourneyEvent,
  type JourneyEventDataMap,
  type LifecycleEventData,
  type TypedJourneyEvent,
  type JourneyEventType,
  type Message,
  type MessageStatus,
  type OutboundContent,
  type PendingBotTurn,
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
  CampaignIncrement,
  ChangeSet,
  CommitConflict,
  CommitResult,
  ContactCheck,
  ConversationQuery,
  CursorQuery,
  EventQuery,
  InboundLookup,
  JourneyPageQuery,
  MessageUpdate,
  OutboxItem,
  Page,
  PageQuery,
  Store,
  StoreCapabilities,
  VersionedWrite,
} from './ports/store.js';
export type { AttributeChange, TagRule, TagRuleActions, TagRuleContext, TagRuleTrigger } from './ports/tag-rule.js';
export { compileTagRule, compileTagRules } from './tags/compile-rule.js';
export {
  tagRuleConditionSchema,
  tagRuleDefinitionSchema,
  tagRuleTriggerSchema,
  type TagRuleCondition,
  type TagRuleDefinition,
} from './tags/rule-language.js';
export type { OutboundMessage, SendFailureKind, SendResult, Transport } from './ports/transport.js';

export { memoryStore, type MemoryStoreOptions } from './adapters/memory/memory-store.js';
export {
  memoryTransport,
  type MemoryTransport,
  type MemoryTransportOptions,
  type SentMessage,
} from './adapters/memory/memory-transport.js';
export { AGENT_BUTTON_ID, keywordBot, keywordBotOptionsSchema, type KeywordBotOptions } from './bots/keyword-bot.js';
export { productSuggestionsSchema, type ProductSuggestions } from './bots/product-suggestions.js';
export {
  httpBot,
  httpBotOptionsSchema,
  httpBotResponseSchema,
  type HttpBotOptions,
  type HttpBotRequest,
  type HttpBotResponse,
} from './bots/http-bot.js';
