import { describe, expect, it } from 'vitest';
import type { AttributeDefinition } from '../model/attribute.js';
import type { ContactFilter } from '../model/audience.js';
import { emptyCampaignCounts, type Campaign } from '../model/campaign.js';
import type { Contact, TagAssignment } from '../model/contact.js';
import type { JourneyEvent } from '../model/journey.js';
import type { Message } from '../model/message.js';
import type { TagDefinition } from '../model/tag.js';
import type { OutboxItem, Page, Store } from '../ports/store.js';

// Fixed, readable timestamps: minute `m` of a fixed day.
const t = (m: number) => new Date(Date.UTC(2026, 1, 1, 9, 0) + m * 60_000).toISOString();
let seq = 0;
const id = (prefix: string) => `${prefix}_p${String(++seq).padStart(8, '0')}`;

const assignment = (source: TagAssignment['source'], at = t(0)): TagAssignment => ({
  source,
  actor: source === 'manual' ? { type: 'agent', id: 'asha' } : { type: 'system' },
  at,
  conversationId: null,
  campaignId: null,
});

function contact(overrides: Partial<Contact> = {}): Contact {
  const n = ++seq;
  return {
    id: `ct_p${String(n).padStart(8, '0')}`,
    channel: 'whatsapp',
    address: `+1666${String(n).padStart(7, '0')}`,
    name: null,
    attributes: {},
    tags: {},
    referral: null,
    firstSeenAt: t(0),
    lastSeenAt: t(0),
    lastInboundAt: null,
    version: 1,
    ...overrides,
  };
}

function campaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: id('cmp'),
    name: 'Spring sale',
    tag: 'Spring sale',
    channel: 'whatsapp',
    template: { type: 'template', name: 'spring_sale', language: 'en_US', components: [{ type: 'body', parameters: [{ type: 'text', text: '20%' }] }] },
    audience: { tags: { all: ['vip'] }, attributes: [{ key: 'country', op: 'in', values: ['DE', 'AT'] }], optOut: 'exclude' },
    status: 'queueing',
    createdBy: { type: 'agent', id: 'root' },
    createdAt: t(0),
    finishedAt: null,
    cursor: null,
    counts: { ...emptyCampaignCounts(), audience: 3, optedOut: 1 },
    version: 1,
    ...overrides,
  };
}

function event(contactId: string, overrides: Partial<JourneyEvent> = {}): JourneyEvent {
  return { id: id('jev'), contactId, conversationId: null, type: 'message.received', actor: { type: 'customer' }, at: t(0), data: {}, ...overrides };
}

async function insert(store: Store, ...contacts: Contact[]): Promise<void> {
  expect(await store.commit({ contacts: contacts.map((record) => ({ record, expectedVersion: null })) })).toEqual({ ok: true });
}

async function all<T>(fetch: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard += 1) {
    const page = await fetch(cursor);
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

/**
 * Contract cases for profiles, audiences, journeys by type, the tag catalog, attribute
 * definitions and campaigns; part of `storeContract`.
 */
export function profileStoreCases(getStore: () => Store): void {
  describe('profiles and audiences', () => {
    describe('attribute definitions and the tag catalog', () => {
      const definition = (overrides: Partial<AttributeDefinition> = {}): AttributeDefinition => ({
        key: 'country',
        type: 'one-of',
        label: 'Country',
        options: ['DE', 'AT', 'US'],
        description: null,
        createdAt: t(0),
        version: 1,
        ...overrides,
      });
      const tag = (overrides: Partial<TagDefinition> = {}): TagDefinition => ({
        name: 'vip',
        category: 'Value',
        description: 'Big spender',
        color: '#d4af37',
        createdAt: t(0),
        version: 1,
        ...overrides,
      });

      it('inserts, updates by version and lists attribute definitions by key', async () => {
        const store = getStore();
        const country = definition();
        const email = definition({ key: 'email', type: 'email', label: 'E-mail', options: null, description: 'Work address' });
        expect(await store.commit({ attributeDefinitions: [{ record: country, expectedVersion: null }, { record: email, expectedVersion: null }] })).toEqual({ ok: true });
        expect(await store.listAttributeDefinitions()).toEqual([country, email]);
        expect(await store.commit({ attributeDefinitions: [{ record: definition({ label: 'Again' }), expectedVersion: null }] })).toEqual({
          ok: false,
          conflict: { kind: 'unique', entity: 'attributeDefinition', id: 'country' },
        });
        const renamed = definition({ label: 'Country of residence', version: 2 });
        expect(await store.commit({ attributeDefinitions: [{ record: renamed, expectedVersion: 1 }] })).toEqual({ ok: true });
        expect(await store.commit({ attributeDefinitions: [{ record: definition({ version: 2 }), expectedVersion: 1 }] })).toEqual({
          ok: false,
          conflict: { kind: 'version', entity: 'attributeDefinition', id: 'country' },
        });
        expect(await store.listAttributeDefinitions()).toEqual([renamed, email]);
      });

      it('keeps the tag catalog by name, and renames by delete plus insert in one change set', async () => {
        const store = getStore();
        const vip = tag();
        const lead = tag({ name: 'lead', category: 'Sales', description: null, color: null });
        expect(await store.commit({ tagDefinitions: [{ record: vip, expectedVersion: null }, { record: lead, expectedVersion: null }] })).toEqual({ ok: true });
        expect(await store.listTagDefinitions()).toEqual([lead, vip]);
        expect(await store.commit({ tagDefinitions: [{ record: tag(), expectedVersion: null }] })).toEqual({ ok: false, conflict: { kind: 'unique', entity: 'tagDefinition', id: 'vip' } });
        // A stale delete is refused and writes nothing of its change set.
        const gold = tag({ name: 'gold' });
        expect(await store.commit({ tagDefinitionDeletes: [{ name: 'vip', expectedVersion: 7 }], tagDefinitions: [{ record: gold, expectedVersion: null }] })).toEqual({
          ok: false,
          conflict: { kind: 'version', entity: 'tagDefinition', id: 'vip' },
        });
        expect(await store.commit({ tagDefinitionDeletes: [{ name: 'nope', expectedVersion: 1 }] })).toEqual({ ok: false, conflict: { kind: 'version', entity: 'tagDefinition', id: 'nope' } });
        expect(await store.commit({ tagDefinitionDeletes: [{ name: 'vip', expectedVersion: 1 }], tagDefinitions: [{ record: gold, expectedVersion: null }] })).toEqual({ ok: true });
        expect((await store.listTagDefinitions()).map((d) => d.name)).toEqual(['gold', 'lead']);
        // Deleting and re-inserting the same name in one change set replaces it.
        const again = tag({ name: 'lead', category: 'Pipeline' });
        expect(await store.commit({ tagDefinitionDeletes: [{ name: 'lead', expectedVersion: 1 }], tagDefinitions: [{ record: again, expectedVersion: null }] })).toEqual({ ok: true });
        expect(await store.listTagDefinitions()).toEqual([gold, again]);
      });
    });

    describe('campaigns', () => {
      it('reads a campaign back, and updates it without touching its figures', async () => {
        const store = getStore();
        const c = campaign();
        expect(await store.commit({ campaigns: [{ record: c, expectedVersion: null }] })).toEqual({ ok: true });
        expect(await store.getCampaign(c.id)).toEqual(c);
        expect(await store.getCampaign('cmp_missing')).toBeNull();
        // A second insert of the id is refused, and writes nothing of its change set.
        const ct = contact();
        expect(await store.commit({ contacts: [{ record: ct, expectedVersion: null }], campaigns: [{ record: { ...c, name: 'Again' }, expectedVersion: null }] })).toEqual({
          ok: false,
          conflict: { kind: 'unique', entity: 'campaign', id: c.id },
        });
        expect(await store.getCampaign(c.id)).toEqual(c);
        expect(await store.getContact(ct.id)).toBeNull();
        expect(await store.commit({ campaignIncrements: [{ id: c.id, counts: { queued: 2, pending: 2 } }, { id: c.id, counts: { queued: 1, pending: 1 } }] })).toEqual({ ok: true });
        expect(await store.commit({ campaignIncrements: [{ id: c.id, counts: { sent: 2, pending: -2 } }] })).toEqual({ ok: true });
        // The writer's counts are stale (all zero but audience): an update keeps the stored figures.
        const sending = { ...c, status: 'sending' as const, cursor: 'ct_9', counts: emptyCampaignCounts(), version: 2 };
        expect(await store.commit({ campaigns: [{ record: sending, expectedVersion: 1 }] })).toEqual({ ok: true });
        expect(await store.getCampaign(c.id)).toEqual({ ...sending, counts: { ...c.counts, queued: 3, pending: 1, sent: 2 } });
        expect(await store.commit({ campaigns: [{ record: { ...sending, version: 3 }, expectedVersion: 1 }] })).toEqual({
          ok: false,
          conflict: { kind: 'version', entity: 'campaign', id: c.id },
        });
      });

      it('refuses increments of a missing campaign and writes nothing of the change set', async () => {
        const store = getStore();
        const ct = contact();
        const result = await store.commit({ contacts: [{ record: ct, expectedVersion: null }], campaignIncrements: [{ id: 'cmp_missing', counts: { replied: 1 } }] });
        expect(result).toEqual({ ok: false, conflict: { kind: 'version', entity: 'campaign', id: 'cmp_missing' } });
        expect(await store.getContact(ct.id)).toBeNull();
        // A campaign inserted in the same change set can be incremented at once.
        const c = campaign();
        expect(await store.commit({ campaigns: [{ record: c, expectedVersion: null }], campaignIncrements: [{ id: c.id, counts: { queued: 5 } }] })).toEqual({ ok: true });
        expect((await store.getCampaign(c.id))?.counts.queued).toBe(5);
      });

      it('lists campaigns newest first, page by page', async () => {
        const store = getStore();
        const made = [3, 1, 2, 2].map((m) => campaign({ createdAt: t(m) }));
        expect(await store.commit({ campaigns: made.map((record) => ({ record, expectedVersion: null })) })).toEqual({ ok: true });
        const expected = [...made].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1)).map((c) => c.id);
        expect((await all((cursor) => store.listCampaigns({ cursor, limit: 3 }))).map((c) => c.id)).toEqual(expected);
      });

      it('keeps broadcast messages outside conversations, with their campaign on message and outbox item', async () => {
        const store = getStore();
        const ct = contact();
        const m: Message = {
          id: id('msg'),
          conversationId: null,
          contactId: ct.id,
          channel: 'whatsapp',
          direction: 'outbound',
          author: { type: 'system' },
          content: { type: 'template', name: 'spring_sale', language: 'en_US' },
          externalId: null,
          replyTo: null,
          status: 'pending',
          error: null,
          at: t(1),
          statusAt: t(1),
          campaignId: 'cmp_1',
        };
        const o: OutboxItem = {
          id: id('obx'),
          messageId: m.id,
          conversationId: ct.id,
          contactId: ct.id,
          channel: 'whatsapp',
          to: ct.address,
          content: m.content as OutboxItem['content'],
          replyTo: null,
          attempts: 0,
          dueAt: t(1),
          leaseUntil: null,
          createdAt: t(1),
          lastError: null,
          campaignId: 'cmp_1',
        };
        expect(await store.commit({ contacts: [{ record: ct, expectedVersion: null }], messages: [m], outboxInserts: [o] })).toEqual({ ok: true });
        expect(await store.getMessage(m.id)).toEqual(m);
        expect(await store.claimOutbox({ now: t(2), leaseUntil: t(3), limit: 10, conversations: [ct.id] })).toEqual([{ ...o, leaseUntil: t(3) }]);
        expect(await store.commit({ messageUpdates: [{ id: m.id, expectedStatus: 'pending', status: 'sent', statusAt: t(2), externalId: 'wamid.b1' }], outboxDeletes: [o.id] })).toEqual({ ok: true });
        expect(await store.findMessageByExternalId('whatsapp', 'wamid.b1')).toEqual({ ...m, status: 'sent', statusAt: t(2), externalId: 'wamid.b1' });
      });
    });

    describe('contact filters', () => {
      /** Ten contacts with a spread of tags, attributes and last-seen times. */
      async function population(store: Store): Promise<Contact[]> {
        const countries = ['DE', 'AT', 'US', 'DE', 'FR', 'DE', 'US', 'AT', 'DE', 'US'];
        const made = countries.map((country, i) =>
          contact({
            channel: i === 9 ? 'sms' : 'whatsapp',
            attributes: {
              country,
              seats: i * 10 - 20, // -20 .. 70: negatives, zero and positives
              vip: i % 3 === 0,
              ...(i % 4 === 0 ? { email: `c${i}@example.com` } : {}),
              ...(i === 5 ? { optedOut: true, signup: '2025-12-31' } : { signup: `2026-01-0${(i % 9) + 1}` }),
              note: i === 2 ? null : 'x',
            },
            tags: {
              ...(i % 2 === 0 ? { vip: assignment('manual') } : {}),
              ...(i % 3 === 0 ? { lead: assignment('rule') } : {}),
              ...(i === 7 ? { spam: assignment('manual') } : {}),
            },
            lastSeenAt: t(i * 10),
          }),
        );
        await insert(store, ...made);
        return made;
      }

      // Each case: a filter, and the indexes (into the population) it must select.
      const cases: Array<[string, ContactFilter, number[]]> = [
        ['no filter', {}, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
        ['a channel', { channel: 'sms' }, [9]],
        ['all of two tags', { tags: { all: ['vip', 'lead'] } }, [0, 6]],
        ['any of two tags', { tags: { any: ['lead', 'spam'] } }, [0, 3, 6, 7, 9]],
        ['none of a tag', { tags: { none: ['vip'] } }, [1, 3, 5, 7, 9]],
        ['a tag nobody has', { tags: { all: ['ghost'] } }, []],
        ['tags all + none', { tags: { all: ['vip'], none: ['lead'] } }, [2, 4, 8]],
        ['attribute equals', { attributes: [{ key: 'country', op: 'equals', value: 'DE' }] }, [0, 3, 5, 8]],
        ['attribute equals is type-strict', { attributes: [{ key: 'seats', op: 'equals', value: '10' }] }, []],
        ['attribute equals a boolean', { attributes: [{ key: 'vip', op: 'equals', value: true }] }, [0, 3, 6, 9]],
        ['attribute notEquals counts missing and null', { attributes: [{ key: 'optedOut', op: 'notEquals', value: true }] }, [0, 1, 2, 3, 4, 6, 7, 8, 9]],
        ['attribute in', { attributes: [{ key: 'country', op: 'in', values: ['AT', 'FR'] }] }, [1, 4, 7]],
        ['attribute exists (null is not set)', { attributes: [{ key: 'note', op: 'exists' }] }, [0, 1, 3, 4, 5, 6, 7, 8, 9]],
        ['attribute missing (absent or null)', { attributes: [{ key: 'email', op: 'missing' }] }, [1, 2, 3, 5, 6, 7, 9]],
        ['number gt across zero', { attributes: [{ key: 'seats', op: 'gt', value: -10 }] }, [2, 3, 4, 5, 6, 7, 8, 9]],
        ['number gte', { attributes: [{ key: 'seats', op: 'gte', value: 40 }] }, [6, 7, 8, 9]],
        ['number lt with negatives', { attributes: [{ key: 'seats', op: 'lt', value: 0 }] }, [0, 1]],
        ['number lte', { attributes: [{ key: 'seats', op: 'lte', value: 0 }] }, [0, 1, 2]],
        ['a number bound never matches text', { attributes: [{ key: 'country', op: 'gt', value: 0 }] }, []],
        ['ISO dates compare as strings', { attributes: [{ key: 'signup', op: 'lt', value: '2026-01-03' }] }, [0, 1, 5, 9]],
        ['ISO dates gte', { attributes: [{ key: 'signup', op: 'gte', value: '2026-01-08' }] }, [7, 8]],
        ['last seen from (inclusive)', { lastSeen: { from: t(70) } }, [7, 8, 9]],
        ['last seen to (exclusive)', { lastSeen: { to: t(20) } }, [0, 1]],
        ['last seen range', { lastSeen: { from: t(20), to: t(50) } }, [2, 3, 4]],
        [
          'everything at once',
          { channel: 'whatsapp', tags: { any: ['vip', 'lead'], none: ['spam'] }, attributes: [{ key: 'country', op: 'in', values: ['DE', 'US'] }, { key: 'seats', op: 'gte', value: 0 }], lastSeen: { from: t(10) } },
          [2, 3, 6, 8],
        ],
      ];

      for (const [name, filter, expected] of cases) {
        it(`counts and lists contacts by ${name}`, async () => {
          const store = getStore();
          const made = await population(store);
          const ids = expected.map((i) => made[i]!.id).sort();
          expect(await store.countContacts(filter)).toBe(ids.length);
          const listed = await all((cursor) => store.listContacts(filter, { cursor, limit: 3 }));
          expect(listed.map((c) => c.id)).toEqual(ids);
          if (ids.length > 0) expect(listed[0]).toEqual(made[expected[0]!]);
        });
      }

      it('follows contacts as their tags, attributes and last-seen time change', async () => {
        const store = getStore();
        const [a, b] = [contact({ tags: { vip: assignment('manual') }, attributes: { country: 'DE', seats: 5 } }), contact({ attributes: { country: 'US' } })];
        await insert(store, a!, b!);
        const vip: ContactFilter = { tags: { all: ['vip'] } };
        const de: ContactFilter = { attributes: [{ key: 'country', op: 'equals', value: 'DE' }] };
        expect(await store.countContacts(vip)).toBe(1);
        const a2 = { ...a!, tags: {}, attributes: { country: 'US', seats: 5 }, lastSeenAt: t(90), version: 2 };
        const b2 = { ...b!, tags: { vip: assignment('api') }, attributes: { country: 'DE' }, version: 2 };
        expect(await store.commit({ contacts: [{ record: a2, expectedVersion: 1 }, { record: b2, expectedVersion: 1 }] })).toEqual({ ok: true });
        expect((await store.listContacts(vip, { limit: 10 })).items).toEqual([b2]);
        expect((await store.listContacts(de, { limit: 10 })).items).toEqual([b2]);
        expect(await store.countContacts({ attributes: [{ key: 'seats', op: 'exists' }] })).toBe(1);
        expect((await store.listContacts({ lastSeen: { from: t(60) } }, { limit: 10 })).items).toEqual([a2]);
        // A refused commit leaves the indexes as they were.
        const stale = { ...b2, tags: {}, version: 3 };
        expect((await store.commit({ contacts: [{ record: stale, expectedVersion: 1 }] })).ok).toBe(false);
        expect(await store.countContacts(vip)).toBe(1);
      });

      it('keeps a cursor valid while matching contacts are added', async () => {
        const store = getStore();
        const first = [contact({ tags: { vip: assignment('manual') } }), contact({ tags: { vip: assignment('manual') } })];
        await insert(store, ...first);
        const page = await store.listContacts({ tags: { all: ['vip'] } }, { limit: 1 });
        const late = contact({ tags: { vip: assignment('manual') } });
        await insert(store, late);
        const rest = await all((cursor) => store.listContacts({ tags: { all: ['vip'] } }, { cursor: cursor ?? page.nextCursor, limit: 1 }));
        expect([...page.items, ...rest].map((c) => c.id)).toEqual([...first, late].map((c) => c.id).sort());
      });
    });

    describe('journeys by type and actor', () => {
      it('filters one contact\u2019s journey by types and actor, paging both ways', async () => {
        const store = getStore();
        const ct = contact();
        await insert(store, ct);
        const events = [
          event(ct.id, { at: t(1), type: 'tag.added', actor: { type: 'agent', id: 'asha' } }),
          event(ct.id, { at: t(2), type: 'tag.added', actor: { type: 'rule', id: 'pricing' } }),
          event(ct.id, { at: t(3), type: 'attribute.changed', actor: { type: 'agent', id: 'asha' } }),
          event(ct.id, { at: t(4), type: 'message.received' }),
          event(ct.id, { at: t(5), type: 'tag.removed', actor: { type: 'agent', id: 'bo' } }),
          event(ct.id, { at: t(6), type: 'tag.added', actor: { type: 'agent', id: 'asha' } }),
          event(contact().id, { at: t(7), type: 'tag.added', actor: { type: 'agent', id: 'asha' } }),
        ];
        await insert(store, { ...contact(), id: events[6]!.contactId });
        expect(await store.commit({ journey: events })).toEqual({ ok: true });
        const ids = (xs: JourneyEvent[]) => xs.map((e) => e.id);
        const tags = await all((cursor) => store.listJourney(ct.id, { cursor, limit: 2, order: 'asc', types: ['tag.added', 'tag.removed'] }));
        expect(ids(tags)).toEqual(ids([events[0]!, events[1]!, events[4]!, events[5]!]));
        const asha = await all((cursor) => store.listJourney(ct.id, { cursor, limit: 1, order: 'desc', actor: { type: 'agent', id: 'asha' } }));
        expect(ids(asha)).toEqual(ids([events[5]!, events[2]!, events[0]!]));
        const agents = await all((cursor) => store.listJourney(ct.id, { cursor, limit: 10, order: 'asc', types: ['tag.added', 'tag.removed'], actor: { type: 'agent' } }));
        expect(ids(agents)).toEqual(ids([events[0]!, events[4]!, events[5]!]));
        expect((await store.listJourney(ct.id, { limit: 10, order: 'asc', types: ['broadcast.sent'] })).items).toEqual([]);
      });

      it('lists every contact\u2019s events by type in a time range, oldest first', async () => {
        const store = getStore();
        const [a, b] = [contact(), contact()];
        await insert(store, a!, b!);
        const events = [
          event(a!.id, { at: t(5), type: 'conversation.intervened' }),
          event(b!.id, { at: t(1), type: 'intervention.requested' }),
          event(a!.id, { at: t(3), type: 'intervention.requested' }),
          event(b!.id, { at: t(3), type: 'conversation.intervened' }),
          event(a!.id, { at: t(9), type: 'conversation.intervened' }),
          event(b!.id, { at: t(4), type: 'message.received' }),
          event(b!.id, { at: t(0), type: 'conversation.intervened' }),
        ];
        expect(await store.commit({ journey: events })).toEqual({ ok: true });
        const byTime = (xs: JourneyEvent[]) => [...xs].sort((x, y) => (x.at === y.at ? (x.id < y.id ? -1 : 1) : x.at < y.at ? -1 : 1)).map((e) => e.id);
        const range = await all((cursor) => store.listEvents({ types: ['intervention.requested', 'conversation.intervened'], from: t(1), to: t(9), cursor, limit: 2 }));
        expect(range.map((e) => e.id)).toEqual(byTime([events[0]!, events[1]!, events[2]!, events[3]!]));
        expect((await store.listEvents({ types: ['conversation.resolved'], from: t(0), to: t(99), limit: 10 })).items).toEqual([]);
      });
    });
  });
}
