import type { AttributeValue } from '../model/contact.js';
import type { InboxNotice, InboxState, InboxView } from './state.js';
import type { ReplyContent } from './source.js';

/**
 * The outcome of an inbox action. Engine refusals are values, not exceptions: the optimistic
 * change is rolled back and the error is also added to `state.notices` for the page to show.
 * @public
 */
export type ActionResult = { ok: true } | { ok: false; error: InboxNotice };

/**
 * A framework-free store of everything an agent's inbox shows, kept live by the source's events.
 * Read it with `getSnapshot()` (an immutable {@link InboxState}; unchanged parts keep their
 * identity) and `subscribe()`; change it with the actions, which apply at once and roll back if
 * the engine refuses.
 * @public
 */
export interface InboxStore {
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** The current state (the same object until something changes). */
  getSnapshot(): InboxState;
  /** Resolves once the session and the first tab are loaded (or loading failed). */
  readonly ready: Promise<void>;
  /** Stops listening to the source and cancels timers. */
  close(): void;

  /** Shows a tab, loading its first page the first time. */
  showTab(view: InboxView): Promise<void>;
  /** Loads the next page of a tab (the shown one by default). */
  loadMore(view?: InboxView): Promise<void>;
  /** Opens a chat (its messages, profile and journey); `null` closes it. */
  openConversation(conversationId: string | null): Promise<void>;
  /** Loads older messages of the open chat. */
  loadOlderMessages(): Promise<void>;
  /** Loads older journey entries of the open chat's contact. */
  loadOlderJourney(): Promise<void>;
  /** Removes a notice. */
  dismissNotice(id: number): void;

  /** Takes the chat (the open one by default). */
  intervene(conversationId?: string): Promise<ActionResult>;
  /** Sends text or content (a template when the reply window is closed). */
  reply(content: string | ReplyContent, options?: { conversationId?: string }): Promise<ActionResult>;
  /** Hands the chat to another agent. */
  transfer(to: string, options?: { conversationId?: string }): Promise<ActionResult>;
  /** Puts the chat back in the Requested queue. */
  release(options?: { conversationId?: string }): Promise<ActionResult>;
  /** Resolves the chat. */
  resolve(options?: { conversationId?: string }): Promise<ActionResult>;
  /** Sets one profile attribute of the contact (the open chat's by default). */
  setAttribute(key: string, value: AttributeValue, options?: { contactId?: string }): Promise<ActionResult>;
  /** Adds a catalog tag to the contact. */
  addTag(tag: string, options?: { contactId?: string }): Promise<ActionResult>;
  /** Removes a tag from the contact. */
  removeTag(tag: string, options?: { contactId?: string }): Promise<ActionResult>;
}
