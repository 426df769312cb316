import type { Contact } from '../model/contact.js';
import type { Conversation } from '../model/conversation.js';
import type { Message } from '../model/message.js';
import type { PendingAction } from './state.js';
import { byTime, isNewerMessage } from './views.js';

/** An unconfirmed change by the viewer, laid over the confirmed record until the engine answers. */
export interface Overlay<T> {
  action: PendingAction;
  apply: (record: T) => T;
  /** The attribute key or tag it concerns. */
  key?: string;
}

/**
 * The records the inbox knows, as the engine confirmed them (the newest version wins, whatever
 * order reads and events arrive in), and the viewer's unconfirmed changes laid over them.
 */
export function inboxRecords() {
  const conversations = new Map<string, Conversation>();
  const contacts = new Map<string, Contact>();
  const lastMessages = new Map<string, Message>();
  const byContact = new Map<string, Set<string>>();
  // Chats another agent took, as a redacted event said: reads older than the event must not
  // bring them back, until a full event shows them again. Value: who took it.
  const tombstones = new Map<string, string | null>();
  const conversationOverlays = new Map<string, Overlay<Conversation>[]>();
  const contactOverlays = new Map<string, Overlay<Contact>[]>();

  const fold = <T>(record: T | undefined, overlays: Overlay<T>[] | undefined): T | undefined =>
    record === undefined || !overlays?.length ? record : overlays.reduce<T>((r, overlay) => overlay.apply(r), record);

  return {
    conversations,
    contacts,
    lastMessages,
    byContact,
    tombstones,
    conversationOverlays,
    contactOverlays,
    /** The conversation with the viewer's unconfirmed changes applied. */
    effectiveConversation: (id: string) => fold(conversations.get(id), conversationOverlays.get(id)),
    /** The contact with the viewer's unconfirmed changes applied. */
    effectiveContact: (id: string) => fold(contacts.get(id), contactOverlays.get(id)),
    /** Keeps the newer version; `fromRead` records of a tombstoned chat are ignored. Returns whether it was taken. */
    upsertConversation(record: Conversation, fromRead: boolean): boolean {
      if (fromRead && tombstones.has(record.id)) return false;
      const current = conversations.get(record.id);
      if (current && current.version >= record.version) return false;
      conversations.set(record.id, record);
      let ids = byContact.get(record.contactId);
      if (!ids) byContact.set(record.contactId, (ids = new Set()));
      ids.add(record.id);
      return true;
    },
    /** Keeps the newer version; returns whether it was taken. */
    upsertContact(record: Contact): boolean {
      const current = contacts.get(record.id);
      if (current && current.version >= record.version) return false;
      contacts.set(record.id, record);
      return true;
    },
    /** Keeps the newest message of a conversation (or a newer status of it). */
    upsertLastMessage(message: Message): boolean {
      if (message.conversationId === null) return false; // a broadcast, in no conversation
      const current = lastMessages.get(message.conversationId);
      if (current && (current.id === message.id ? !isNewerMessage(current, message) : byTime(current, message) > 0)) return false;
      lastMessages.set(message.conversationId, message);
      return true;
    },
    /** Lays `overlay` over record `id`; returns the function that lifts it again. */
    layer<T>(map: Map<string, Overlay<T>[]>, id: string, overlay: Overlay<T>): () => void {
      map.set(id, [...(map.get(id) ?? []), overlay]);
      return () => {
        const rest = (map.get(id) ?? []).filter((x) => x !== overlay);
        if (rest.length > 0) map.set(id, rest);
        else map.delete(id);
      };
    },
    /** Forgets every confirmed record (a reload follows); unconfirmed changes stay. */
    clear(): void {
      conversations.clear();
      contacts.clear();
      lastMessages.clear();
      byContact.clear();
      tombstones.clear();
    },
  };
}
