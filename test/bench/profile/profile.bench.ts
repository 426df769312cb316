// Profile benchmarks, each against a baseline in the same run:
// 1. `chat.audience.count` over 100k contacts with a tag and an attribute filter, answered by the
//    memory store's indexes, against a full scan of every contact already in memory (the floor of
//    any store that loads contacts to filter them). The first filter is selective (5% tag); the
//    second is not (30% tag), and the store's planner walks every contact for it instead.
// 2. Tag-rule cost per inbound message with 100 rules: `chat.receive` with no rules, with 100
//    declarative (JSON) rules, and with the same 100 rules hand-written as code; and the rules'
//    evaluation alone, declarative against hand-written.
// `main()` prints the details and returns summary rows for test/bench/run.ts; run alone with
// `npx tsx test/bench/profile/profile.bench.ts`. BENCH_SCALE=0.1 shrinks the sizes.
import { pathToFileURL } from 'node:url';
import {
  compileTagRules,
  createLiveChat,
  matchesContactFilter,
  memoryStore,
  memoryTransport,
  silentLogger,
  type AudienceInput,
  type Contact,
  type ContactFilter,
  type Store,
  type TagRule,
  type TagRuleContext,
  type TagRuleDefinition,
} from '../../../src/index.js';
import { manualClock } from '../../../src/testing/index.js';
import { num, scaled, section, type SummaryRow } from '../report.js';

const CONTACTS = scaled(100_000, 1_000);
const RULE_CONTACTS = scaled(2_000, 100);
const MESSAGES_EACH = 5;

const us = (ms: number) => `${num(ms * 1000, ms < 0.01 ? 2 : 1)} µs`;

// A deterministic pseudo-random sequence, so every run measures the same data.
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Runs `fn` repeatedly for about `budgetMs` (at least `min` times) and returns ms per call, best of 3 rounds. */
async function perCall(fn: () => unknown, budgetMs = 400, min = 3): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round += 1) {
    let n = 0;
    const start = performance.now();
    while (n < min || performance.now() - start < budgetMs) {
      await fn();
      n += 1;
    }
    best = Math.min(best, (performance.now() - start) / n);
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// 1. Audiences

const COUNTRIES = ['DE', 'US', 'FR', 'AT', 'ES', 'IT', 'NL', 'PL'];

function makeContacts(n: number): Contact[] {
  const random = prng(42);
  const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  const contacts: Contact[] = [];
  for (let i = 0; i < n; i += 1) {
    const tags: Contact['tags'] = {};
    const tag = (name: string) => (tags[name] = { source: 'api', actor: { type: 'api' }, at: at(i), conversationId: null, campaignId: null });
    if (random() < 0.05) tag('vip');
    if (random() < 0.3) tag('lead');
    if (random() < 0.5) tag('first-message');
    contacts.push({
      id: `ct_${String(i).padStart(8, '0')}`,
      channel: 'whatsapp',
      address: `+1${String(i).padStart(10, '0')}`,
      name: null,
      attributes: { country: COUNTRIES[Math.floor(random() * COUNTRIES.length)]!, seats: Math.floor(random() * 200), ...(random() < 0.02 ? { optedOut: true } : {}) },
      tags,
      referral: null,
      firstSeenAt: at(i),
      lastSeenAt: at(i + Math.floor(random() * 86_400)),
      lastInboundAt: at(i),
      version: 1,
    });
  }
  return contacts;
}

async function load(store: Store, contacts: Contact[]): Promise<void> {
  for (let i = 0; i < contacts.length; i += 2_000) {
    const result = await store.commit({ contacts: contacts.slice(i, i + 2_000).map((record) => ({ record, expectedVersion: null })) });
    if (!result.ok) throw new Error(`load failed: ${JSON.stringify(result.conflict)}`);
  }
}

async function audiences(): Promise<SummaryRow[]> {
  section(`audience.count over ${num(CONTACTS)} contacts`);
  const contacts = makeContacts(CONTACTS);
  const store = memoryStore();
  const loadStart = performance.now();
  await load(store, contacts);
  console.log(`loaded ${num(CONTACTS)} contacts with their indexes in ${num(performance.now() - loadStart)} ms`);
  const chat = createLiveChat({ store, logger: silentLogger, clock: manualClock('2026-03-01T00:00:00.000Z') });

  const cases: Array<[string, AudienceInput, ContactFilter]> = [
    [
      'tag vip + country = DE',
      { tags: { all: ['vip'] }, attributes: [{ key: 'country', op: 'equals', value: 'DE' }] },
      { tags: { all: ['vip'] }, attributes: [{ key: 'country', op: 'equals', value: 'DE' }, { key: 'optedOut', op: 'notEquals', value: true }] },
    ],
    [
      'tag lead + seats >= 150',
      { tags: { all: ['lead'] }, attributes: [{ key: 'seats', op: 'gte', value: 150 }] },
      { tags: { all: ['lead'] }, attributes: [{ key: 'seats', op: 'gte', value: 150 }, { key: 'optedOut', op: 'notEquals', value: true }] },
    ],
  ];
  const rows: SummaryRow[] = [];
  const table: string[][] = [];
  for (const [name, audience, filter] of cases) {
    const indexed = await chat.audience.count(audience);
    const scanned = contacts.filter((c) => matchesContactFilter(c, filter)).length;
    if (indexed !== scanned) throw new Error(`${name}: the index counted ${indexed}, the scan ${scanned}`);
    const viaIndex = await perCall(() => chat.audience.count(audience));
    const viaScan = await perCall(() => {
      let n = 0;
      for (const c of contacts) if (matchesContactFilter(c, filter)) n += 1;
      return n;
    });
    table.push([name, num(indexed), us(viaIndex), us(viaScan), `${num(viaScan / viaIndex, 1)}x`]);
    rows.push({ bench: 'profile', metric: `audience.count ${num(CONTACTS)} contacts, ${name}: index vs full scan`, value: `${us(viaIndex)} vs ${us(viaScan)} (${num(viaScan / viaIndex, 1)}x)` });
  }
  printTable(['filter', 'matches', 'chat.audience.count', 'full scan in memory', 'scan / index'], table);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// 2. Tag rules

const WORDS = ['price', 'refund', 'invoice', 'delivery', 'cancel', 'discount', 'order', 'shipping', 'broken', 'password', 'upgrade', 'demo', 'trial', 'contract', 'support', 'hours', 'address', 'warranty', 'coupon', 'api'];

/** 100 rules on every inbound message: text, regex, attribute, tag and state tests, mostly not matching. */
function declarativeRules(): TagRuleDefinition[] {
  const rules: TagRuleDefinition[] = [];
  for (let i = 0; i < 40; i += 1) rules.push({ id: `text-${i}`, on: ['message.received'], if: { type: 'text', contains: [WORDS[i % 20]!, `${WORDS[(i + 7) % 20]!}s`] }, then: { add: [`t-${i % 20}`] } });
  for (let i = 0; i < 20; i += 1) rules.push({ id: `regex-${i}`, on: ['message.received'], if: { type: 'text', regex: `\\b${WORDS[i]!}\\s+#?\\d{3,}` }, then: { add: [`r-${i}`] } });
  for (let i = 0; i < 20; i += 1) {
    rules.push({
      id: `attr-${i}`,
      on: ['message.received'],
      if: { type: 'all', of: [{ type: 'attribute', key: 'seats', op: 'gte', value: i * 10 }, { type: 'attribute', key: 'country', op: 'in', values: [COUNTRIES[i % 8]!, COUNTRIES[(i + 3) % 8]!] }] },
      then: { add: [`a-${i}`] },
    });
  }
  for (let i = 0; i < 20; i += 1) {
    rules.push({ id: `tags-${i}`, on: ['message.received'], if: { type: 'all', of: [{ type: 'tags', any: [`t-${i}`, 'vip'], none: [`r-${i}`] }, { type: 'state', in: ['active', 'requested'] }] }, then: { add: [`g-${i}`] } });
  }
  return rules;
}

/** The same 100 rules written by hand as code: the floor for what a rule language can cost. */
function codeRules(): TagRule[] {
  const rules: TagRule[] = [];
  const textOf = (c: TagRuleContext) => (c.message?.content.type === 'text' ? c.message.content.text : '');
  for (let i = 0; i < 40; i += 1) {
    const a = WORDS[i % 20]!;
    const b = `${WORDS[(i + 7) % 20]!}s`;
    rules.push({ id: `text-${i}`, evaluate: (c) => { const t = textOf(c).toLowerCase(); return c.trigger === 'message.received' && (t.includes(a) || t.includes(b)) ? { add: [`t-${i % 20}`] } : null; } });
  }
  for (let i = 0; i < 20; i += 1) {
    const re = new RegExp(`\\b${WORDS[i]!}\\s+#?\\d{3,}`, 'iu');
    rules.push({ id: `regex-${i}`, evaluate: (c) => (c.trigger === 'message.received' && re.test(textOf(c)) ? { add: [`r-${i}`] } : null) });
  }
  for (let i = 0; i < 20; i += 1) {
    const countries = [COUNTRIES[i % 8]!, COUNTRIES[(i + 3) % 8]!];
    rules.push({
      id: `attr-${i}`,
      evaluate: (c) => {
        const seats = c.contact.attributes['seats'];
        const country = c.contact.attributes['country'];
        return c.trigger === 'message.received' && typeof seats === 'number' && seats >= i * 10 && typeof country === 'string' && countries.includes(country) ? { add: [`a-${i}`] } : null;
      },
    });
  }
  for (let i = 0; i < 20; i += 1) {
    rules.push({
      id: `tags-${i}`,
      evaluate: (c) =>
        c.trigger === 'message.received' && (c.contact.tags[`t-${i}`] || c.contact.tags['vip']) && !c.contact.tags[`r-${i}`] && (c.conversation?.state === 'active' || c.conversation?.state === 'requested')
          ? { add: [`g-${i}`] }
          : null,
    });
  }
  return rules;
}

const SENTENCES = ['Hi, what is the price for 20 seats?', 'I need a refund for order #12345', 'When is the delivery?', 'hello', 'Can I get a demo of the api?', 'My password does not work', 'thanks!', 'Where do I find my invoice 20931'];

/** Every customer sends `MESSAGES_EACH` messages through `chat.receive` (no bot); ms per message. */
async function receiveRun(rules: Array<TagRule | TagRuleDefinition>): Promise<{ msPerMessage: number; tags: number }> {
  const chat = createLiveChat({ logger: silentLogger, clock: manualClock('2026-03-01T00:00:00.000Z'), transport: memoryTransport(), tagRules: rules, policy: { firstMessageTag: null } });
  const random = prng(7);
  const inputs = [];
  for (let m = 0; m < MESSAGES_EACH; m += 1) {
    for (let c = 0; c < RULE_CONTACTS; c += 1) {
      inputs.push({ channel: 'whatsapp', from: `+1${String(c).padStart(10, '0')}`, externalId: `w${m}.${c}`, content: { type: 'text' as const, text: SENTENCES[Math.floor(random() * SENTENCES.length)]! } });
    }
  }
  // The first round creates contacts: attributes for the attribute rules come with them.
  for (let c = 0; c < RULE_CONTACTS; c += 1) {
    const { contact } = await chat.receive({ ...inputs[c]!, externalId: `setup.${c}` });
    await chat.contacts.setAttributes(contact.id, { seats: Math.floor(random() * 200), country: COUNTRIES[c % 8]! });
  }
  const start = performance.now();
  for (const input of inputs) await chat.receive(input);
  const ms = performance.now() - start;
  const sample = await chat.audience.list({ optOut: 'include' }, { limit: 500 });
  return { msPerMessage: ms / inputs.length, tags: sample.items.reduce((n, c) => n + Object.keys(c.tags).length, 0) };
}

async function tagRules(): Promise<SummaryRow[]> {
  const n = RULE_CONTACTS * MESSAGES_EACH;
  section(`tag rules: ${num(n)} inbound messages through chat.receive, 100 rules on each`);
  const declarative = declarativeRules();
  const code = codeRules();
  // Warm-up, then best of two runs each, alternating so drift hits all three alike.
  await receiveRun([]);
  const best = { none: Infinity, json: Infinity, code: Infinity };
  let tagsJson = 0;
  let tagsCode = 0;
  for (let round = 0; round < 2; round += 1) {
    best.none = Math.min(best.none, (await receiveRun([])).msPerMessage);
    const json = await receiveRun(declarative);
    best.json = Math.min(best.json, json.msPerMessage);
    tagsJson = json.tags;
    const hand = await receiveRun(code);
    best.code = Math.min(best.code, hand.msPerMessage);
    tagsCode = hand.tags;
  }
  if (tagsJson !== tagsCode) throw new Error(`declarative and code rules disagree: ${tagsJson} vs ${tagsCode} tags`);

  // The evaluation alone: 100 rules on prepared contexts, no engine around them.
  const compiled = compileTagRules(declarative);
  const contexts: TagRuleContext[] = SENTENCES.map((text, i) => ({
    trigger: 'message.received',
    contact: { id: `ct_${i}`, channel: 'whatsapp', address: '+1', name: null, attributes: { seats: i * 25, country: COUNTRIES[i]! }, tags: (i % 2 ? { vip: { source: 'api', actor: { type: 'api' }, at: '2026-01-01T00:00:00.000Z', conversationId: null, campaignId: null } } : {}) as Contact['tags'], referral: null, firstSeenAt: '2026-01-01T00:00:00.000Z', lastSeenAt: '2026-01-01T00:00:00.000Z', lastInboundAt: null, version: 1 },
    conversation: { id: 'conv', contactId: `ct_${i}`, channel: 'whatsapp', state: 'active', assignee: null, openedAt: '2026-01-01T00:00:00.000Z', lastActivityAt: '2026-01-01T00:00:00.000Z', lastInboundAt: null, requestedAt: null, intervenedAt: null, resolvedAt: null, resolvedBy: null, archivedAt: null, historyDueAt: '2026-01-02T00:00:00.000Z', version: 1 },
    message: { id: `m${i}`, conversationId: 'conv', contactId: `ct_${i}`, channel: 'whatsapp', direction: 'inbound', author: { type: 'customer' }, content: { type: 'text', text }, externalId: `w${i}`, replyTo: null, status: 'received', error: null, at: '2026-01-01T00:00:00.000Z', statusAt: '2026-01-01T00:00:00.000Z' },
  }));
  let k = 0;
  // A fresh message object each time, so the lower-cased text is not cached across calls.
  const evaluate = (rules: TagRule[]) => () => {
    const c = contexts[k++ % contexts.length]!;
    const context = { ...c, message: { ...c.message! } };
    for (const rule of rules) rule.evaluate(context);
  };
  const evalJson = await perCall(evaluate(compiled));
  const evalCode = await perCall(evaluate(code));

  printTable(
    ['run', 'per message', 'messages/s', 'vs no rules'],
    [
      ['receive, no rules (baseline)', us(best.none), num(1000 / best.none), '1.00x'],
      ['receive, 100 JSON rules', us(best.json), num(1000 / best.json), `${num(best.json / best.none, 2)}x`],
      ['receive, 100 code rules', us(best.code), num(1000 / best.code), `${num(best.code / best.none, 2)}x`],
    ],
  );
  console.log(`\nrule evaluation alone, per message: 100 JSON rules ${us(evalJson)}, 100 hand-written rules ${us(evalCode)} (${num(evalJson / evalCode, 2)}x)`);
  console.log(`100 JSON rules add ${us(best.json - best.none)} per inbound message (${num(((best.json - best.none) / best.none) * 100, 1)}% of a receive)`);
  return [
    { bench: 'profile', metric: '100 JSON tag rules per inbound message: receive cost vs no rules', value: `${us(best.json)} vs ${us(best.none)} (${num(best.json / best.none, 2)}x)` },
    { bench: 'profile', metric: '100 tag rules, evaluation alone: JSON vs hand-written code', value: `${us(evalJson)} vs ${us(evalCode)} (${num(evalJson / evalCode, 2)}x)` },
  ];
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** Runs the profile benchmarks, prints their details, and returns the summary rows. */
export async function main(): Promise<SummaryRow[]> {
  return [...(await audiences()), ...(await tagRules())];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await main();
  section('summary');
  for (const row of rows) console.log(`${row.metric}: ${row.value}`);
}
