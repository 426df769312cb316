import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { toNodeHandler } from '../../src/adapters/whatsapp/index.js';
import type { Logger } from '../../src/index.js';
import { createApp, type App } from '../whatsapp-server/app.js';
import { loadConfig } from '../whatsapp-server/config.js';
import { startFakeGraph, type FakeGraph } from '../whatsapp-server/fake-graph.js';
import { attributeFields, tagCatalog, templates } from './catalog.js';
import { customerSimulator, type CustomerSimulator } from './customers.js';
import { inboxRoutes } from './inbox-routes.js';
import { staticFiles } from './static-files.js';

// The Live Chat page's server: the WhatsApp example server (webhook, agent API, event stream)
// with the page's few extra routes and its built files, on a fake Graph API so everything runs
// offline, and simulated customers who write in through signed webhooks.

const PHONE_NUMBER_ID = '106540352242922';
const APP_SECRET = 'live-chat-demo-app-secret';
const ACCESS_TOKEN = 'live-chat-demo-access-token';

/** The built page, where `vite build` puts it. */
export const pageDir = fileURLToPath(new URL('./dist', import.meta.url));

export interface InboxServerOptions {
  port?: number;
  host?: string;
  /** `id:Name[:role],...` as the WhatsApp server's AGENTS variable. */
  agents?: string;
  /** Where the embedded store (PGlite) keeps its files; `memory://` (the default) keeps nothing. */
  dataDir?: string;
  /** A PostgreSQL server to use instead of the embedded store. */
  databaseUrl?: string;
  /** The built page to serve, or `null` for the API only. */
  staticDir?: string | null;
  logger?: Logger;
}

export interface InboxServer {
  url: string;
  app: App;
  graph: FakeGraph;
  customers: CustomerSimulator;
  /** Drops every open connection (event streams included), as a network blip would. */
  dropConnections(): void;
  close(): Promise<void>;
}

/** Starts the server, the fake Graph API and the customer simulator (idle until told). */
export async function startInboxServer(options: InboxServerOptions = {}): Promise<InboxServer> {
  const graph = await startFakeGraph({ accessToken: ACCESS_TOKEN, appSecret: APP_SECRET, phoneNumberId: PHONE_NUMBER_ID });
  const config = loadConfig({
    WHATSAPP_VERIFY_TOKEN: 'live-chat-demo-verify-token',
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    WHATSAPP_API_BASE_URL: graph.url,
    PORT: String(options.port ?? 0),
    HOST: options.host ?? '127.0.0.1',
    AGENTS: options.agents ?? 'asha:Asha Rao,bo:Bo Chen,sam:Sam Okafor:admin',
    DATA_DIR: options.dataDir ?? 'memory://',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  const app = await createApp(config, options.logger ? { logger: options.logger } : {});
  // The engine refuses manual tags outside its own catalog (issue 3): put the page's tags there too.
  const defined = new Set((await app.chat.tags.list()).map((d) => d.name));
  for (const { name, category, description, color } of tagCatalog)
    if (!defined.has(name)) await app.chat.tags.define({ name, category, ...(description ? { description } : {}), ...(color ? { color } : {}) });
  const api = inboxRoutes({ chat: app.chat, stream: app.stream, catalogs: { tagCatalog, attributeFields, templates } }, app.handle);
  const page = options.staticDir === null ? null : staticFiles(options.staticDir ?? pageDir);
  const server = createServer(toNodeHandler(async (request) => (await page?.(request)) ?? api(request)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  graph.deliverTo(`${url}/webhook`);
  const customers = customerSimulator({ serverUrl: url, appSecret: APP_SECRET, phoneNumberId: PHONE_NUMBER_ID, graph });
  return {
    url,
    app,
    graph,
    customers,
    dropConnections: () => server.closeAllConnections(),
    async close() {
      customers.stop();
      await graph.settled();
      await app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await graph.close();
    },
  };
}
