import type { AttributeValue, Contact } from '../model/contact.js';
import type { Conversation } from '../model/conversation.js';
import type { Message } from '../model/message.js';

/**
 * The engine events tag rules run on: an inbound message, a contact's first ever message, an
 * attribute change, a reply to a broadcast, and an inbound message carrying an ad referral.
 * @public
 */
export type TagRuleTrigger = 'message.received' | 'first.message' | 'attribute.changed' | 'broadcast.replied' | 'referral.received';

/**
 * One attribute change, as `attribute.changed` reports it.
 * @public
 */
export interface AttributeChange {
  /** The attribute's key. */
  key: string;
  /** The value before (`null` when it was not set). */
  old: AttributeValue;
  /** The value after. */
  new: AttributeValue;
}

/**
 * The engine event a tag rule looks at.
 * @public
 */
export interface TagRuleContext {
  /** Which event fired the rule. */
  trigger: TagRuleTrigger;
  /** The contact as the event (and earlier rules) left it. */
  contact: Contact;
  /** The conversation the event happened in; `null` outside one (an API change to a contact with no open chat). */
  conversation: Conversation | null;
  /** The inbound message, for message events and for attribute changes a bot made while answering one. */
  message: Message | null;
  /** On `attribute.changed`: what changed. */
  changes?: AttributeChange[];
  /** On `broadcast.replied`: the campaign the customer replied to. */
  campaignId?: string;
}

/**
 * What a tag rule decides: tags to add and to remove.
 * @public
 */
export interface TagRuleActions {
  /** Tags to add (an existing tag keeps its provenance). */
  add?: string[];
  /** Tags to remove. */
  remove?: string[];
}

/**
 * A tag rule written as code. Rules run synchronously inside the unit of work of the event that
 * fired them, so they must be pure and fast: no I/O. Declarative rules (JSON, see
 * `tagRuleDefinitionSchema`) compile to this same interface.
 * @public
 */
export interface TagRule {
  /** Stable id, recorded as the actor of the tags it applies. */
  id: string;
  /** Decides on one event; `null` (or an empty object) changes nothing. */
  evaluate(context: TagRuleContext): TagRuleActions | null;
}
