import { describe, expect, it } from 'vitest';
import { createLiveChat, silentLogger, type ChangeSet, type Store, type TagRuleDefinition } from '../../src/index.js';
import { manualClock } from '../../src/testing/index.js';
import { START, remoteStore, setup } from './setup.js';

// A customer's message moves the contact's last seen and last inbound times. Within
// policy.lastSeenPrecisionMs (a minute) of both stored times, and changing nothing else, it leaves
// the contact as stored and only checks its version at the commit.

const text = (from: string, externalId: string, body = 'hi') => ({ channel: 'whatsapp', from, externalId, content: { type: 'text' as const, text: body } });

/** The store with every change set it was asked to commit. */
function recording(store: Store): { store: Store; commits: ChangeSet[] } {
  const commits: ChangeSet[] = [];
  return { store: { ...store, commit: (changes) => (commits.push(changes), store.commit(changes)) }, commits };
}

describe('a contact\u2019s last seen, kept to the minute', () => {
  it('stays as stored for messages within a minute, and the next message after records the time', async () => {
    const { say, clock, store } = await setup();
    const first = await say('one');
    clock.advance(30_000);
    const second = await say('two');
    expect(second.contact).toEqual(first.contact);
    expect(await store.getContact(first.contact.id)).toEqual(first.contact);
    // The conversation records every message: its lastInboundAt drives the reply window.
    expect(second.conversation).toMatchObject({ lastInboundAt: clock.now().toISOString(), version: 2 });
    clock.advance(30_000);
    const third = await say('three');
    const now = clock.now().toISOString();
    expect(third.contact).toMatchObject({ lastSeenAt: now, lastInboundAt: now, version: 2 });
    expect(await store.getContact(first.contact.id)).toEqual(third.contact);
  });

  it('checks the version of the contact it leaves as stored, in the same commit as the message', async () => {
    const { store, commits } = recording((await setup()).store);
    const chat = createLiveChat({ store, clock: manualClock(START), logger: silentLogger });
    const first = await chat.receive(text('+1', 'w1'));
    await chat.receive(text('+1', 'w2'));
    expect(commits[1]).toMatchObject({ contactChecks: [{ id: first.contact.id, version: 1 }], messages: [{ externalId: 'w2' }] });
    expect(commits[1]!.contacts).toBeUndefined();
  });

  it('writes the contact on its first inbound message, however recently it was seen', async () => {
    const { say, clock, store } = await setup();
    const at = clock.now().toISOString();
    // A contact the business knew before the customer ever wrote (imported, say).
    const known = { id: 'ct_known', channel: 'whatsapp', address: '+15550001', name: 'Maya', attributes: {}, tags: {}, referral: null, firstSeenAt: at, lastSeenAt: at, lastInboundAt: null, version: 1 };
    expect(await store.commit({ contacts: [{ record: known, expectedVersion: null }] })).toEqual({ ok: true });
    clock.advance(1_000);
    const { contact } = await say('hello');
    const now = clock.now().toISOString();
    expect(contact).toMatchObject({ id: known.id, lastSeenAt: now, lastInboundAt: now, version: 2 });
    expect(await store.getContact(known.id)).toEqual(contact);
  });

  it('records every message on the contact with lastSeenPrecisionMs 0', async () => {
    const { say, clock } = await setup({ policy: { lastSeenPrecisionMs: 0 } });
    await say('one');
    clock.advance(1);
    expect((await say('two')).contact).toMatchObject({ lastSeenAt: clock.now().toISOString(), version: 2 });
  });

  it('writes the contact within the minute when the message changes anything else on it', async () => {
    const pricing: TagRuleDefinition = { id: 'pricing', on: ['message.received'], if: { type: 'text', contains: ['price'] }, then: { add: ['pricing'] } };
    const { say, clock } = await setup({ tagRules: [pricing] });
    await say('one');
    clock.advance(1_000);
    const renamed = await say('two', '+15550001', { profile: { name: 'Maya' } });
    expect(renamed.contact).toMatchObject({ name: 'Maya', lastSeenAt: clock.now().toISOString(), version: 2 });
    clock.advance(1_000);
    const tagged = await say('what is the price?');
    expect(tagged.contact).toMatchObject({ lastSeenAt: clock.now().toISOString(), version: 3 });
    expect(tagged.contact.tags['pricing']).toBeDefined();
    clock.advance(1_000);
    const referred = await say('from an ad', '+15550001', { referral: { sourceType: 'ad', sourceId: 'ad-1' } });
    expect(referred.contact).toMatchObject({ referral: { sourceType: 'ad', sourceId: 'ad-1' }, version: 4 });
  });

  it('retries on fresh reads when another engine changed the contact it kept, and keeps that change', async () => {
    const { store, reads, shared } = remoteStore();
    const clock = manualClock(START);
    const cached = createLiveChat({ store, clock, logger: silentLogger });
    const other = createLiveChat({ store: shared, clock, logger: silentLogger });
    const { contact } = await cached.receive(text('+1', 'w1'));
    // Another instance edits the profile; this engine still keeps the contact at version 1.
    const edited = await other.contacts.setAttributes(contact.id, { plan: 'pro' });
    clock.advance(10_000);
    const next = await cached.receive(text('+1', 'w2'));
    expect(reads.findInbound).toBe(2); // the first message, and the retry of the second
    expect(next.contact).toEqual(edited);
    expect(await shared.getContact(contact.id)).toEqual(edited);
  });
});
