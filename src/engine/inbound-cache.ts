import type { Contact } from '../model/contact.js';
import type { Conversation } from '../model/conversation.js';
import type { ChangeSet } from '../ports/store.js';

const keyOf = (channel: string, address: string) => `${channel}\u0000${address}`;

/** A customer's records as this engine last committed them. */
export interface CachedInbound {
  contact: Contact;
  conversation: Conversation | null;
}

/**
 * The records `receive` starts from, kept after this engine committed them, so that a
 * customer's next message commits without reading them first. Nothing here is trusted: the
 * commit checks the versions it was decided on, so a record another writer (another
 * process) changed fails it, and `receive` retries on fresh reads. Every commit of this engine
 * keeps the cache in step with what it wrote. Past `limit`, the customer who wrote least
 * recently goes first.
 */
export class InboundCache {
  private readonly entries = new Map<string, CachedInbound>();
  private readonly keyOfContact = new Map<string, string>();

  constructor(private readonly limit: number) {}

  /** What was last committed for this address, if kept. */
  get(channel: string, address: string): CachedInbound | undefined {
    return this.entries.get(keyOf(channel, address));
  }

  /** Keeps the records a commit just wrote for a customer. */
  remember(contact: Contact, conversation: Conversation | null): void {
    const key = keyOf(contact.channel, contact.address);
    // Deleted and set again, a customer moves to the end of the Map's order: the first entry
    // is then always the customer who wrote least recently, the one to evict.
    if (!this.entries.delete(key) && this.entries.size >= this.limit) this.evictLeastRecent();
    this.entries.set(key, { contact, conversation: conversation?.state === 'history' ? null : conversation });
    this.keyOfContact.set(contact.id, key);
  }

  /** Brings kept entries up to date with a committed change set. */
  written(changes: ChangeSet): void {
    if (this.entries.size === 0) return;
    for (const { record } of changes.contacts ?? []) {
      const entry = this.entries.get(keyOf(record.channel, record.address));
      if (entry) entry.contact = record;
    }
    for (const { record } of changes.conversations ?? []) {
      const key = this.keyOfContact.get(record.contactId);
      const entry = key === undefined ? undefined : this.entries.get(key);
      if (!entry) continue;
      if (record.state !== 'history') entry.conversation = record;
      else if (entry.conversation?.id === record.id) entry.conversation = null;
    }
  }

  /** Drops what is kept for a contact (a commit on its records was refused). */
  forget(channel: string, address: string): void {
    const key = keyOf(channel, address);
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.keyOfContact.delete(entry.contact.id);
  }

  private evictLeastRecent(): void {
    const oldest = this.entries.entries().next().value;
    if (!oldest) return;
    this.entries.delete(oldest[0]);
    this.keyOfContact.delete(oldest[1].contact.id);
  }
}
