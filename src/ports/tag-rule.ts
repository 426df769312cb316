import type { Contact } from '../model/contact.js';
import type { Conversation } from '../model/conversation.js';
import type { Message } from '../model/message.js';

/**
 * The engine event a tag rule looks at.
 * @public
 */
export interface TagRuleContext {
  trigger: 'message.received' | 'first.message';
  contact: Contact;
  conversation: Conversation;
  message: Message | null;
}

/**
 * What a tag rule decides: tags to add and to remove.
 * @public
 */
export interface TagRuleActions {
  add?: string[];
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
  evaluate(context: TagRuleContext): TagRuleActions | null;
}
