// The live chat inbox of a small shop on WhatsApp, told in the terminal: the seed's story from a
// customer's first message to History and back. Run it with `npm run demo`.
//
// Everything is real engine code on the embedded default store (PGlite on `.data/demo`); time
// comes from a manual clock and ids from a counter. The data survives: a second run starts the
// next morning of the story's calendar and finds the first run's conversations in History.

import { createLiveChat, keywordBot, memoryTransport, type IdGenerator, type Store } from '../../src/index.js';
import { manualClock } from '../../src/testing/index.js';
import {
  customerSays,
  errorLine,
  names,
  printInbox,
  printJourney,
  printProfile,
  printSent,
  printTranscript,
  say,
  scene,
} from './show.js';
import { createDemoStore, demoDataDir } from './store.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Short readable ids (`conv_0302_0003`), unique per demo day; the default ids are for real use. */
const countingIds = (day: string): IdGenerator => {
  let n = 0;
  return (prefix) => `${prefix}_${day}_${String(++n).padStart(4, '0')}`;
};

const FIRST_MORNING = Date.parse('2026-03-02T09:00:00.000Z');
const DAY = 24 * 60 * 60_000;

/**
 * The morning this run starts: the story's first, or the first 09:00 a full day after the latest
 * stored activity, so yesterday's open chat has gone to History by then.
 */
async function demoMorning(store: Store): Promise<{ start: number; earlier: boolean }> {
  let latest = 0;
  for (const state of ['active', 'requested', 'intervened', 'resolved', 'history'] as const) {
    const [newest] = (await store.listConversations({ state, limit: 1 })).items;
    if (newest) latest = Math.max(latest, Date.parse(newest.lastActivityAt));
  }
  if (latest === 0) return { start: FIRST_MORNING, earlier: false };
  return { start: FIRST_MORNING + Math.ceil((latest + DAY - FIRST_MORNING) / DAY) * DAY, earlier: true };
}

async function main(): Promise<void> {
  const transport = memoryTransport();
  const store = await createDemoStore();
  const { start, earlier } = await demoMorning(store);
  const clock = manualClock(start);
  const day = clock.now().toISOString().slice(5, 10).replace('-', '');
  const chat = createLiveChat({
    store,
    transport,
    clock,
    ids: countingIds(day),
    bot: keywordBot({
      greeting: "Hi! I'm the Acme bot. Ask me about prices or delivery, or type 'agent' for a person.",
      rules: [
        { keywords: ['price', 'plan', 'cost'], reply: 'Starter is $9/month, Pro is $29/month per seat.' },
        { keywords: ['delivery', 'ship'], reply: 'Orders ship within 2 working days.' },
      ],
      handoffKeywords: ['agent', 'human', 'person'],
      handoffReply: 'Sure, I am connecting you to an agent. Someone will be with you shortly.',
      fallback: "Sorry, I didn't get that. Try 'prices' or 'delivery', or type 'agent'.",
    }),
  });
  chat.on('conversation.intervened', (event) => say(`(event conversation.intervened: ${event.conversation?.assignee} owns ${event.conversation?.id})`));

  console.log(`livechat-engine demo: the WhatsApp live chat inbox of Acme, on the embedded store (PGlite in ${demoDataDir})`);
  console.log('(bot: keywordBot; transport: memoryTransport, which keeps what it "sent"; clock: manualClock)');

  await chat.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
  await chat.agents.upsert({ id: 'bruno', name: 'Bruno', role: 'agent' });
  names.set('asha', 'Asha').set('bruno', 'Bruno').set('customer', 'Priya');
  const priya = { channel: 'whatsapp', from: '+919820000001', profile: { name: 'Priya Sharma' } };
  if (earlier) {
    scene(clock.now(), 'The store remembers earlier runs');
    const { archived } = await chat.sweep();
    say(`${demoDataDir} holds what earlier runs did; overnight the sweep moved ${archived} open chat${archived === 1 ? '' : 's'} to History:`);
    await printInbox(chat, 'as every agent sees it, before anyone writes today');
  }
  let wamid = 0;
  const write = async (text: string) => {
    customerSays(text);
    const sentBefore = transport.sent.length;
    const result = await chat.receive({ ...priya, externalId: `wamid.d${day}.${++wamid}`, content: { type: 'text', text } });
    await chat.idle(); // the bot's replies go out through the outbox after the commit
    await printSent(chat, transport.sent, sentBefore);
    return result;
  };

  scene(clock.now(), 'A customer writes; the bot answers');
  const first = await write('Hi! How much is the Pro plan?');
  const id = first.conversation.id;
  const returning = first.contact.firstSeenAt < first.conversation.openedAt;
  const opened = first.conversation.openedAt === clock.now().toISOString() ? 'new conversation' : 'conversation';
  say(`${returning ? `Returning contact ${first.contact.id} (first seen ${first.contact.firstSeenAt.slice(0, 10)})` : `New contact ${first.contact.id}`}, ${opened} ${id}: ${first.conversation.state}.`);
  await printInbox(chat, 'as every agent sees it');

  clock.advance(2 * MINUTE);
  scene(clock.now(), 'The customer asks for a person');
  await write('Can I talk to a human? I need 60 seats.');
  say(`The bot handed off: ${id} is now ${(await chat.conversation(id))?.state}.`);
  await printInbox(chat, 'as every agent sees it');

  clock.advance(MINUTE);
  scene(clock.now(), 'Asha and Bruno click Intervene at the same moment');
  const outcomes = await Promise.all(
    ['asha', 'bruno'].map((agentId) =>
      chat.intervene(id, { agentId }).then(
        (conversation) => ({ agentId, line: `won: ${conversation.state}, assignee ${conversation.assignee}` }),
        (error: unknown) => ({ agentId, line: errorLine(error) }),
      ),
    ),
  );
  for (const o of outcomes) say(`${names.get(o.agentId)}: ${o.line}`);
  const owner = (await chat.conversation(id))!.assignee!;
  const other = owner === 'asha' ? 'bruno' : 'asha';
  const [ownerName, otherName] = [names.get(owner)!, names.get(other)!];

  scene(clock.now(), `Only ${ownerName} can see the chat now`);
  say(`chat.conversation(${id}, { viewer: '${other}' }) → ${JSON.stringify(await chat.conversation(id, { viewer: other }))}`);
  say(`chat.conversation(${id}, { viewer: '${owner}' }) → state ${(await chat.conversation(id, { viewer: owner }))?.state}`);
  await chat.messages(id, { viewer: other }).catch((error: unknown) => say(`chat.messages(${id}, { viewer: '${other}' }) → ${errorLine(error)}`));
  await printInbox(chat, `as ${otherName} sees it`, other);
  await printInbox(chat, `as ${ownerName} sees it`, owner);

  clock.advance(2 * MINUTE);
  scene(clock.now(), `The customer talks to ${ownerName}; the bot stays silent`);
  await write('Great, thanks! By the way, my email changed to priya.sharma@newmail.example');
  clock.advance(MINUTE);
  let sentBefore = transport.sent.length;
  const reply = await chat.reply(id, {
    agentId: owner,
    content: { type: 'text', text: `Hi Priya, ${ownerName} here. For 60 seats Pro is 20% off. I'll update your email now.` },
  });
  await chat.idle();
  say(`${ownerName} replies (message ${reply.message.id}, ${reply.message.status} until the transport takes it). The memory transport sent:`);
  await printSent(chat, transport.sent, sentBefore);
  await chat
    .reply(id, { agentId: other, content: { type: 'text', text: 'Hello from me too!' } })
    .catch((error: unknown) => say(`${otherName} tries to reply → ${errorLine(error)}`));
  const sent = transport.sent[transport.sent.length - 1]!;
  await chat.updateStatus({ channel: 'whatsapp', externalId: sent.externalId, status: 'read', at: clock.now() });
  say('WhatsApp reports the reply read (chat.updateStatus).');

  scene(clock.now(), `${ownerName} updates the profile: the new email and a manual tag`);
  await chat.contacts.setAttributes(first.contact.id, { email: 'priya.sharma@newmail.example' }, { by: { agentId: owner } });
  // Agents apply only catalog tags by hand; defining one takes an admin or the API (here, the API).
  await chat.tags.define({ name: 'bulk-order', category: 'Sales', description: 'Asked about 50 seats or more' });
  const tagged = await chat.contacts.addTag(first.contact.id, 'bulk-order', { by: { agentId: owner } });
  printProfile(tagged);

  clock.advance(4 * MINUTE);
  scene(clock.now(), `${ownerName} resolves the chat: visible to everyone again`);
  await chat.resolve(id, { agentId: owner });
  say(`chat.conversation(${id}, { viewer: '${other}' }) → state ${(await chat.conversation(id, { viewer: other }))?.state}`);
  await printInbox(chat, `as ${otherName} sees it`, other);
  say('The conversation:');
  await printTranscript(chat, id);

  clock.advance(24 * HOUR);
  scene(clock.now(), '24 hours later: the sweep moves the chat to History');
  const swept = await chat.sweep();
  say(`chat.sweep() → ${JSON.stringify(swept)}; ${id} is ${(await chat.conversation(id))?.state}.`);
  await printInbox(chat, 'as every agent sees it');

  clock.advance(15 * MINUTE);
  scene(clock.now(), 'Priya writes again: a new conversation, the same contact');
  sentBefore = transport.sent.length;
  const again = await write('Hello again! Did my order go through?');
  say(`New conversation ${again.conversation.id} (${again.conversation.state}); ${id} stays in History; contact ${again.contact.id} kept.`);
  await printInbox(chat, 'as every agent sees it');

  scene(clock.now(), 'The customer journey');
  const contact = (await chat.contact(first.contact.id))!;
  await printJourney(chat, contact);
  console.log();
  printProfile(contact);

  await chat.idle();
  await store.close?.();
  console.log(`\nDone: ${transport.sent.length} messages sent, ${wamid} received, every step through the public API.`);
  console.log(`The data stays in ${demoDataDir}: run \`npm run demo\` again for the next day (DEMO_DATA_DIR=memory:// forgets it).`);
}

await main();
