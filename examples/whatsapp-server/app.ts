import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLiveChat, keywordBot, type Clock, type LiveChat, type Logger } from '../../src/index.js';
import { toNodeHandler, whatsappTransport, whatsappWebhook, type WhatsAppTransport } from '../../src/adapters/whatsapp/index.js';
import { agentApi } from './agent-api.js';
import type { ServerConfig } from './config.js';
import { eventStream, type EventStream } from './event-stream.js';
import { openStore } from './store.js';

/** The server's parts, wired: engine, transport, event stream and the one request handler. */
export interface App {
  chat: LiveChat;
  transport: WhatsAppTransport;
  stream: EventStream;
  /** Every route: `/webhook`, `/api/...`, `/healthz`. */
  handle: (request: Request) => Promise<Response>;
  close(): Promise<void>;
}

/** The demo bot: answers a few keywords, greets new conversations, hands off on request. */
const bot = keywordBot({
  greeting: 'Hi! I am the Lucky Shrub assistant. Ask me about prices, delivery or opening hours, or type "agent" to talk to a person.',
  rules: [
    { keywords: ['price', 'cost', 'succulent'], reply: 'Our succulents start at $9; the summer collection is 20% off this week.' },
    { keywords: ['delivery', 'shipping'], reply: 'We deliver in 2-3 working days; express next day for $5.' },
    { keywords: ['hours', 'open'], reply: 'We are open 9:00-18:00, Monday to Saturday.' },
  ],
  handoffKeywords: ['agent', 'human', 'person'],
  handoffReply: 'Sure, connecting you to one of our team. Someone will be with you shortly.',
  fallback: 'Sorry, I did not get that. Type "agent" to talk to a person.',
});

/** The tag catalog a new store starts with. */
const starterTags = [
  { name: 'vip', category: 'Value', description: 'A customer to treat with extra care' },
  { name: 'lead', category: 'Sales', description: 'Interested, not yet a customer' },
  { name: 'complaint', category: 'Support', description: 'Raised a complaint' },
];

/** Builds the app on the configured store. `clock` and `logger` are for tests. */
export async function createApp(config: ServerConfig, options: { clock?: Clock; logger?: Logger } = {}): Promise<App> {
  const store = await openStore(config);
  const transport = whatsappTransport({
    phoneNumberId: config.phoneNumberId,
    accessToken: config.accessToken,
    graphVersion: config.graphVersion,
    baseUrl: config.graphBaseUrl,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const chat = createLiveChat({ store, transport, bot, ...options });
  for (const agent of config.agents) await chat.agents.upsert(agent);
  // Agents may apply by hand only tags in the catalog: start with a small one (kept if edited).
  const catalog = new Set((await chat.tags.list()).map((d) => d.name));
  for (const tag of starterTags) if (!catalog.has(tag.name)) await chat.tags.define(tag);
  const stream = eventStream(chat);
  const webhook = whatsappWebhook({ verifyToken: config.verifyToken, appSecret: config.appSecret, engine: chat, phoneNumberId: config.phoneNumberId, ...(options.logger ? { logger: options.logger } : {}) });
  const api = agentApi({ chat, transport, stream });
  chat.start();

  return {
    chat,
    transport,
    stream,
    async handle(request) {
      const { pathname } = new URL(request.url);
      if (pathname === '/webhook') return webhook(request);
      if (pathname === '/healthz') return Response.json({ ok: true });
      return api(request);
    },
    async close() {
      chat.stop();
      stream.close();
      await chat.idle();
      await store.close?.();
    },
  };
}

/** A running server: its base URL and how to stop it. */
export interface RunningServer {
  app: App;
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Starts the app on `config.host:config.port` (port 0 picks a free one). */
export async function startServer(config: ServerConfig, options: { logger?: Logger } = {}): Promise<RunningServer> {
  const app = await createApp(config, options);
  const server = createServer(toNodeHandler(app.handle));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    app,
    server,
    url: `http://${config.host}:${port}`,
    async close() {
      await app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
