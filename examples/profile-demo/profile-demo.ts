// The profile side of the live chat, told in the terminal: typed attributes and their history,
// tags by source (first message, rules, API, manual from the catalog, broadcast), a broadcast
// with its progress and figures, the bot's product suggestion, and the dashboard figures.
// Deterministic: a manual clock and counter ids. Run: npx tsx examples/profile-demo/profile-demo.ts
import {
  createLiveChat,
  keywordBot,
  memoryTransport,
  silentLogger,
  type Campaign,
  type ContactProfile,
  type JourneyEvent,
  type TagRuleDefinition,
} from '../../src/index.js';
import { manualClock } from '../../src/testing/index.js';

const clock = manualClock('2026-03-02T09:00:00.000Z');
let counter = 0;
const ids = (prefix: string) => `${prefix}_${String(++counter).padStart(5, '0')}`;
// The channel accepts 4 messages a second from us: the broadcast goes out at that pace.
const transport = memoryTransport({ maxPerSecond: 4 });

const rules: TagRuleDefinition[] = [
  { id: 'pricing-interest', on: ['message.received'], if: { type: 'text', contains: ['price', 'cost'] }, then: { add: ['pricing'] } },
  { id: 'spring-ad', on: ['referral.received'], if: { type: 'referral', headlineContains: 'spring' }, then: { add: ['from-spring-ad'] } },
  { id: 'enterprise', on: ['attribute.changed'], if: { type: 'attribute', key: 'size', op: 'equals', value: '51+' }, then: { add: ['enterprise'] } },
  { id: 'engaged', on: ['broadcast.replied'], then: { add: ['engaged'] } },
];

const bot = keywordBot({
  greeting: 'Hi! I am the Acme assistant.',
  rules: [{ keywords: ['price', 'cost'], reply: 'Plans start at 9 EUR per seat and month.' }],
  faq: [{ id: 'spring', question: 'Spring discount', keywords: ['20%', 'discount'], answer: 'Yes: 20% off every plan until April 30.' }],
  handoffKeywords: ['human', 'agent'],
  handoffReply: 'Connecting you to a colleague.',
  agentButton: 'Talk to an agent',
  products: {
    catalog: [
      { id: 'solo', name: 'Solo', description: 'one seat, email support', suits: { size: ['1-10'] } },
      { id: 'team-eu', name: 'Team EU', description: 'EU hosting, GDPR', suits: { size: ['11-50', '51+'], country: ['DE', 'AT', 'FR'] } },
      { id: 'team-us', name: 'Team US', description: 'US hosting', suits: { size: ['11-50', '51+'], country: ['US'] } },
    ],
    ask: [
      { attribute: 'size', question: 'How many people work at your organization?', options: [{ value: '1-10', title: '1-10' }, { value: '11-50', title: '11-50' }, { value: '51+', title: '51 or more' }] },
      { attribute: 'country', question: 'Where are you based?', options: [{ value: 'DE', title: 'Germany' }, { value: 'FR', title: 'France' }, { value: 'US', title: 'United States' }] },
    ],
  },
});

const chat = createLiveChat({ clock, ids, transport, bot, tagRules: rules, logger: silentLogger });

// ---------------------------------------------------------------------------------------------
const time = (iso: string) => iso.slice(11, 19);
const show = (value: unknown) => (value === null || value === undefined ? '-' : typeof value === 'string' ? value : JSON.stringify(value));
function table(rows: Array<Record<string, unknown>>): void {
  if (rows.length === 0) return console.log('  (none)');
  const columns = Object.keys(rows[0]!);
  const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => show(r[c]).length)));
  const line = (cells: string[]) => `  ${cells.map((cell, i) => cell.padEnd(width[i]!)).join('  ')}`.trimEnd();
  console.log(line(columns));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(columns.map((c) => show(row[c]))));
}
const heading = (text: string) => console.log(`\n== ${text}`);
const tick = () => new Promise((resolve) => setImmediate(resolve));
/**
 * Waits for background work (bot turns, paced sends). Sends wait for the pace on the engine's
 * clock, so the manual clock moves on in small steps until everything has settled.
 */
async function settle(): Promise<void> {
  let done = false;
  const idle = chat.idle().then(() => (done = true));
  while (!done) {
    for (let i = 0; i < 10 && !done; i += 1) await tick();
    if (!done) clock.advance(250);
  }
  await idle;
}
const actor = (e: Pick<JourneyEvent, 'actor'>) => ('id' in e.actor ? `${e.actor.type}:${e.actor.id}` : e.actor.type);

let wamid = 0;
const say = (from: string, text: string, extra: object = {}) =>
  chat.receive({ channel: 'whatsapp', from, externalId: `wamid.${++wamid}`, content: { type: 'text', text }, ...extra });
const tap = (from: string, id: string, title: string) =>
  chat.receive({ channel: 'whatsapp', from, externalId: `wamid.${++wamid}`, content: { type: 'interactive_reply', kind: 'button', id, title } });
const lastBotMessage = () => {
  const content = transport.sent.at(-1)?.content;
  if (!content) return '';
  if (content.type === 'text') return content.text;
  if (content.type === 'buttons') return `${content.body}  [${content.buttons.map((b) => b.title).join('] [')}]`;
  if (content.type === 'list') return `${content.body}  (list: ${content.sections.flatMap((s) => s.rows.map((r) => r.title)).join(', ')})`;
  return `[${content.type}]`;
};

// ---------------------------------------------------------------------------------------------
heading('Set up: attributes, the tag catalog, agents');
await chat.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
await chat.agents.upsert({ id: 'root', name: 'Rosa (admin)', role: 'admin' });
await chat.attributes.define({ key: 'email', type: 'email', label: 'E-mail' });
await chat.attributes.define({ key: 'company', type: 'text', label: 'Company' });
await chat.attributes.define({ key: 'size', type: 'one-of', label: 'Organization size', options: ['1-10', '11-50', '51+'] });
await chat.attributes.define({ key: 'country', type: 'one-of', label: 'Country', options: ['DE', 'AT', 'FR', 'US'] });
await chat.tags.define({ name: 'vip', category: 'Value', color: 'gold' }, { by: { agentId: 'root' } });
await chat.tags.define({ name: 'lead', category: 'Sales' }, { by: { agentId: 'root' } });
table((await chat.attributes.list()).map((d) => ({ key: d.key, type: d.type, label: d.label, options: d.options?.join(' | ') ?? '' })));
table((await chat.tags.list()).map((t) => ({ tag: t.name, category: t.category, color: t.color })));

heading('Maya writes from a Click-to-WhatsApp ad');
const maya = '+4915100000001';
const first = await say(maya, 'Hi, what does it cost?', { profile: { name: 'Maya' }, referral: { sourceType: 'ad', sourceId: 'ad-42', headline: 'Spring sale: 20% off' } });
const mayaId = first.contact.id;
await settle();
console.log(`  bot: ${transport.sent.map((s) => (s.content.type === 'text' ? s.content.text : s.content.type === 'buttons' ? s.content.body : '')).join(' / ')}`);

heading('The bot suggests a product from her attributes, asking for what it needs');
clock.advance(60_000);
await say(maya, 'Can you recommend a plan?');
await settle();
console.log(`  bot: ${lastBotMessage()}`);
clock.advance(20_000);
await tap(maya, 'attr:size="11-50"', '11-50');
await settle();
console.log(`  Maya taps "11-50"; bot: ${lastBotMessage()}`);
clock.advance(15_000);
await tap(maya, 'attr:country="DE"', 'Germany');
await settle();
console.log(`  Maya taps "Germany"; bot: ${lastBotMessage().replace(/\n/g, ' ')}`);

heading('Asha takes over, completes the profile and tags her by hand');
clock.advance(60_000);
const requested = await say(maya, 'I would like to talk to a human');
clock.advance(90_000);
await chat.intervene(requested.conversation.id, { agentId: 'asha' });
clock.advance(40_000);
await chat.reply(requested.conversation.id, { agentId: 'asha', content: { type: 'text', text: 'Hi Maya, Asha here. How big is the team exactly?' } });
clock.advance(120_000);
await say(maya, 'We are 60 now, growing fast. maya@acme.example');
await chat.contacts.setAttributes(mayaId, { email: 'maya@acme.example', company: 'Acme GmbH', size: '51+' }, { by: { agentId: 'asha' } });
await chat.contacts.addTag(mayaId, 'vip', { by: { agentId: 'asha' } });
try {
  await chat.contacts.addTag(mayaId, 'whale', { by: { agentId: 'asha' } });
} catch (error) {
  console.log(`  manual tag "whale" refused: ${(error as { code: string }).code} (not in the catalog)`);
}
try {
  await chat.contacts.setAttributes(mayaId, { email: 'maya at acme' }, { by: { agentId: 'asha' } });
} catch (error) {
  const e = error as { code: string; path: PropertyKey[] };
  console.log(`  bad e-mail refused: ${e.code} at [${e.path.join('.')}], nothing written`);
}
await chat.contacts.addTag(mayaId, 'crm:synced');
await chat.resolve(requested.conversation.id, { agentId: 'asha' });

heading('Twelve more customers; one opted out of broadcasts');
for (let i = 2; i <= 13; i += 1) {
  const { contact } = await say(`+49151000000${String(i).padStart(2, '0')}`, 'hello');
  await chat.contacts.addTag(contact.id, i % 3 === 0 ? 'vip' : 'lead');
  if (i === 5) await chat.contacts.setAttributes(contact.id, { optedOut: true });
}
await settle();
const audience = { tags: { any: ['vip', 'lead'] } };
console.log(`  audience vip-or-lead: ${await chat.audience.count(audience)} contacts (${await chat.audience.count({ ...audience, optOut: 'only' })} opted out, left out)`);

heading('Broadcast "Spring sale" at 4 messages a second');
clock.advance(3 * 60 * 60_000);
const sentBefore = transport.sent.length;
chat.on('broadcast.progress', ({ campaign }) => {
  const c = campaign!;
  if (c.status === 'queueing' || c.counts.queued === 0) return;
  const done = c.counts.queued - c.counts.pending;
  const bar = '#'.repeat(Math.round((done / c.counts.queued) * 20)).padEnd(20, '.');
  console.log(`  [${bar}] ${String(done).padStart(2)}/${c.counts.queued} at ${time(clock.now().toISOString())}`);
});
const campaign = await chat.broadcast({
  name: 'Spring sale',
  template: { type: 'template', name: 'spring_sale', language: 'en_US', components: [{ type: 'body', parameters: [{ type: 'text', text: '20%' }] }] },
  audience,
  by: { agentId: 'root' },
});
let current: Campaign | null = campaign;
while (current?.status !== 'completed') {
  for (let i = 0; i < 10; i += 1) await tick();
  clock.advance(1_000);
  current = await chat.broadcasts.get(campaign.id);
}
await settle();
const broadcastSends = transport.sent.slice(sentBefore);
for (const [i, sent] of broadcastSends.entries()) {
  if (i < 8) await chat.updateStatus({ channel: 'whatsapp', externalId: sent.externalId, status: 'delivered' });
  if (i < 4) await chat.updateStatus({ channel: 'whatsapp', externalId: sent.externalId, status: 'read' });
  if (i === 9) await chat.updateStatus({ channel: 'whatsapp', externalId: sent.externalId, status: 'failed', error: { code: '131026', message: 'Message undeliverable' } });
}
clock.advance(30 * 60_000);
const reply = await say(maya, 'Yes! Does the 20% apply to Team EU?');
await settle();
console.log(`  Maya replies: a normal conversation, state ${reply.conversation.state}; bot: ${lastBotMessage()}`);
const figures = (await chat.broadcasts.get(campaign.id))!;
console.log(`  campaign ${figures.name}: ${figures.status}`);
table([figures.counts]);

heading('Maya\u2019s profile');
const profile: ContactProfile = await chat.profile(mayaId, { viewer: 'asha' });
console.log(`  ${profile.contact.name} ${profile.contact.address}, conversation: ${profile.conversationState ?? 'none'}`);
table(profile.attributes.map((a) => ({ attribute: a.definition?.label ?? a.key, value: a.value, type: a.definition?.type ?? 'text (undefined)' })));
console.log('\n  Tags by source');
const sources = ['first-message', 'rule', 'manual', 'api', 'broadcast'] as const;
table(
  sources.flatMap((source) =>
    profile.tags
      .filter((t) => t.assignment.source === source)
      .map((t) => ({
        source,
        tag: t.name,
        by: actor(t.assignment),
        at: time(t.assignment.at),
        from: t.assignment.campaignId ? 'campaign' : t.assignment.conversationId ? 'conversation' : '-',
        catalog: t.definition?.category ?? '',
      })),
  ),
);
console.log('\n  Figures');
table([{ ...profile.figures, firstSeenAt: time(profile.figures.firstSeenAt), lastSeenAt: time(profile.figures.lastSeenAt), lastCampaign: profile.figures.lastCampaign?.name }]);

heading('Attribute history (from the journey)');
const history = (await chat.journey(mayaId, { types: ['attribute.changed'], limit: 100 })).items;
table(history.map((e) => ({ at: time(e.at), attribute: e.data['key'], old: e.data['old'], new: e.data['new'], by: actor(e) })));

heading('Dashboard figures for the morning');
const stats = await chat.stats({ from: '2026-03-02T09:00:00.000Z', to: '2026-03-02T13:00:00.000Z' });
table([
  {
    opened: stats.conversations.opened,
    requested: stats.interventionsRequested,
    interventions: stats.interventions,
    'wait median (s)': (stats.requestToIntervention.medianMs ?? 0) / 1000,
    'first reply median (s)': (stats.firstAgentResponse.medianMs ?? 0) / 1000,
    resolutions: Object.entries(stats.resolutionsByAgent).map(([a, n]) => `${a}:${n}`).join(' '),
  },
]);
