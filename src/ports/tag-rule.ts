import type { Contact } from '../model/contact.js';
import type { Conversation } from '../model/conversation.js';
import type { Message } from '../model/message.js';

/**
 * The engine event a tag rule looks at.
 * @public
 */
export interface TagRuleContext {
  /** Why the rule runs: any inbound message, or a contact's first message ever. */
  trigger: 'message.received' | 'first.message';
  /** The contact as earlier rules left it. */
  contact: Contact;
  /** The conversation the event happened in. */
  conversation: Conversation;
  /** The message that fired the rule, if any. */
  message: Message | null;
}

/**
 * What a tag rule decides: tags to add and to remove.
 * @public
 */
export interface TagRuleActions {
  /** Tags to add (source `rule`). */
  add?: string[];
  /** Tags to remove. */
  remove?: string[];
}

/**
 * A tag rule written as code. Rules run synchronously inside the unit of work of the event that
 * fired them, so they must be pure and fast: no I/O.
 * @public
 */
export interface TagRule {
  /** Stable id, recorded as the actor of the tags it applies. */
  id: string;
  /** Decides, synchronously, which tags to add or remove; `null` for none. */
  evaluate(context: TagRuleContext): TagRuleActions | null;
}
