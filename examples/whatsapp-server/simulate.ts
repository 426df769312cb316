import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { webhookSignatures } from '../../src/adapters/whatsapp/index.js';
import { startServer } from './app.js';
import { webhookEnvelope } from './envelope.js';
import { loadConfig } from './config.js';
import { startFakeGraph, type FakeGraph } from './fake-graph.js';

// `npm run example:whatsapp:simulate`: a few customers write in through signed, realistic
// webhooks; the bot answers, one customer asks for a person, an agent takes over through the
// REST API, replies, tags and resolves; Meta's side (sends, receipts, media) is played by a
// local fake Graph API. Everything runs offline on loopback.

type Json = Record<string, unknown>;

const PHONE_NUMBER_ID = '106540352242922';

export interface SimulationOptions {
  /** The server's base URL. */
  serverUrl: string;
  /** The app secret the server checks webhook signatures with. */
  appSecret: string;
  /** The fake Graph API the server's transport talks to. */
  graph: FakeGraph;
  /** The agent who takes over (must be registered on the server). */
  agentId: string;
  /** Where the transcript goes. */
  log?: (line: string) => void;
}

/** What the simulation did, for checks and for the printout. */
export interface SimulationResult {
  /** The customers, by name, with their phone numbers. */
  customers: Record<'sheena' | 'oliver' | 'mei', string>;
  /** The conversation the agent took over. */
  handedOff: { conversationId: string; contactId: string; replyId: string };
  /** The answer to the replayed webhook. */
  redelivery: Json;
}

const customers = { sheena: '16505551234', oliver: '447700900123', mei: '5511987654321' } as const;
const names: Record<string, string> = { [customers.sheena]: 'Sheena Nelson', [customers.oliver]: 'Oliver Smith', [customers.mei]: 'Mei Tanaka' };

function inbound(from: string, type: string, payload: unknown, extra: Json = {}): Json {
  return { from, id: `wamid.SIM${randomUUID().replace(/-/g, '').toUpperCase()}`, timestamp: String(Math.floor(Date.now() / 1000)), type, [type]: payload, ...extra };
}

function envelope(messages: Json[]): Json {
  const senders = [...new Set(messages.map((m) => m['from'] as string))];
  return webhookEnvelope(PHONE_NUMBER_ID, { contacts: senders.map((wa_id) => ({ profile: { name: names[wa_id] }, wa_id })), messages });
}

/** Runs the scenario against a server whose transport points at `graph`. */
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const { serverUrl, graph, agentId } = options;
  const log = options.log ?? (() => {});
  const signatures = webhookSignatures(options.appSecret);
  let seen = 0;
  const showSends = () => {
    for (const send of graph.sends.slice(seen)) {
      const body = send.body[send.type] as Json;
      log(`  whatsapp -> ${names[send.to.replace(/^\+/, '')] ?? send.to}: ${String(body['body'] ?? JSON.stringify(body))}`);
    }
    seen = graph.sends.length;
  };

  async function deliver(body: Json): Promise<Json> {
    const raw = JSON.stringify(body);
    const response = await fetch(`${serverUrl}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': await signatures.sign(raw) }, body: raw });
    const answer = (await response.json()) as Json;
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
  }
  async function say(messages: Json[], expectSends: number): Promise<Json> {
    for (const m of messages) log(`${names[m['from'] as string]} (${m['type']}): ${JSON.stringify(m[m['type'] as string])}`);
    const answer = await deliver(envelope(messages));
    await graph.waitForSends(expectSends);
    showSends();
    return answer;
  }
  async function api(method: string, path: string, body?: unknown): Promise<Json> {
    const response = await fetch(`${serverUrl}${path}`, { method, headers: { 'x-agent-id': agentId, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const answer = (await response.json()) as Json;
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
  }

  // Sheena comes from a Click-to-WhatsApp ad; the bot greets her and answers the price question.
  const first = envelope([
    inbound(customers.sheena, 'text', { body: 'Hi! Do you have succulents?' }, {
      referral: { source_url: 'https://fb.me/3cr4Wqqkv', source_id: '120226305854810726', source_type: 'ad', headline: 'Summer Succulents are here!', ctwa_clid: 'ARAkLkA8rmlFeiCktEJQ' },
    }),
  ]);
  log(`Sheena (text, from an ad): "Hi! Do you have succulents?"`);
  await deliver(first);
  await graph.waitForSends(2);
  showSends();

  // Oliver and Mei write at the same moment: Meta batches them into one POST.
  graph.addMedia('1003383421387256', { bytes: new TextEncoder().encode('\xff\xd8 a small jpeg \xff\xd9'), mimeType: 'image/jpeg' });
  await say(
    [
      inbound(customers.oliver, 'image', { caption: 'Is this one in stock?', mime_type: 'image/jpeg', sha256: 'n/a', id: '1003383421387256' }),
      inbound(customers.mei, 'location', { latitude: 35.6586, longitude: 139.7454, name: 'Tokyo Tower', address: '4 Chome-2-8 Shibakoen, Minato City, Tokyo' }),
    ],
    4,
  );
  await say([inbound(customers.oliver, 'text', { body: 'Can I talk to an agent please?' }), inbound(customers.mei, 'text', { body: 'What are your opening hours?' })], 6);

  // Meta delivers Sheena's first message again: nothing changes.
  const redelivery = await deliver(first);
  log(`Meta redelivers Sheena's first webhook: ${JSON.stringify(redelivery)}`);

  // The agent picks Oliver's chat from the Requested queue.
  const requested = (await api('GET', '/api/inbox/requested')) as { items: Array<{ conversation: Json; contact: Json }> };
  const item = requested.items.find((i) => i.contact['address'] === `+${customers.oliver}`);
  if (!item) throw new Error('Oliver is not in the Requested queue');
  const conversationId = item.conversation['id'] as string;
  const contactId = item.contact['id'] as string;
  log(`agent ${agentId}: intervenes in Oliver's chat`);
  await api('POST', `/api/conversations/${conversationId}/intervene`);
  await api('POST', `/api/conversations/${conversationId}/read`, { typing: true });
  const reply = (await api('POST', `/api/conversations/${conversationId}/reply`, { text: 'Hi Oliver, Asha here. Yes, that one is in stock!' })) as { message: Json };
  await graph.waitForSends(7);
  showSends();
  await api('PATCH', `/api/contacts/${contactId}/attributes`, { attributes: { country: 'GB', interested_in: 'succulents' } });
  await api('POST', `/api/contacts/${contactId}/tags`, { tag: 'vip' });
  log(`agent ${agentId}: sets country=GB, tags vip`);

  // The bot stays silent while the agent has the chat.
  await say([inbound(customers.oliver, 'text', { body: 'Great, thanks!' })], 7);
  await api('POST', `/api/conversations/${conversationId}/resolve`);
  log(`agent ${agentId}: resolves Oliver's chat`);
  await graph.settled();

  return { customers: { ...customers }, handedOff: { conversationId, contactId, replyId: reply.message['id'] as string }, redelivery };
}

/** Runs the server and the fake Graph API in this process, then the scenario. */
async function main(): Promise<void> {
  const appSecret = 'simulation-app-secret';
  const accessToken = 'simulation-access-token';
  const graph = await startFakeGraph({ accessToken, appSecret, phoneNumberId: PHONE_NUMBER_ID });
  const config = loadConfig({
    WHATSAPP_VERIFY_TOKEN: 'simulation-verify-token',
    WHATSAPP_APP_SECRET: appSecret,
    WHATSAPP_ACCESS_TOKEN: accessToken,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    WHATSAPP_API_BASE_URL: graph.url,
    PORT: '0',
    AGENTS: 'asha:Asha Rao:agent,sam:Sam Admin:admin',
    // A throwaway run: the simulated customers' message ids are fixed, so start empty.
    DATA_DIR: 'memory://',
  });
  const server = await startServer(config);
  graph.deliverTo(`${server.url}/webhook`);
  console.log(`server on ${server.url}, fake Graph API on ${graph.url}\n`);
  try {
    const result = await runSimulation({ serverUrl: server.url, appSecret, graph, agentId: 'asha', log: (line) => console.log(line) });
    const views = ['active', 'requested', 'intervened', 'resolved'] as const;
    const counts = await Promise.all(views.map(async (view) => (await server.app.chat.inbox({ view })).items.length));
    const reply = await server.app.chat.store.getMessage(result.handedOff.replyId);
    console.log(`\ninbox: ${views.map((v, i) => `${v} ${counts[i]}`).join(', ')}`);
    console.log(`messages sent through the Graph API: ${graph.sends.length}; the agent's reply is ${reply?.status}`);
  } finally {
    await server.close();
    await graph.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
