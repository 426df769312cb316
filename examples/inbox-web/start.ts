import { buildPage } from './build-page.js';
import { startInboxServer } from './server.js';

// `npm start`: builds the Live Chat page, starts the WhatsApp example server with it (embedded
// PGlite store in .data/livechat, fake Graph API, everything on loopback), and keeps a few
// simulated customers talking.

const port = Number(process.env['PORT'] ?? 3000);
console.log('Building the Live Chat page…');
await buildPage();
// The embedded store by default (PGlite on a directory: the chats survive a restart), or the
// PostgreSQL server DATABASE_URL names.
const server = await startInboxServer({
  port,
  host: process.env['HOST'] ?? '127.0.0.1',
  dataDir: process.env['DATA_DIR'] ?? '.data/livechat',
  ...(process.env['DATABASE_URL'] ? { databaseUrl: process.env['DATABASE_URL'] } : {}),
});
await server.customers.greet();
server.customers.start(Number(process.env['CUSTOMER_EVERY_MS'] ?? 8000));

const agents = await server.app.chat.agents.list();
console.log(`\nLive Chat is running: ${server.url}\n`);
for (const agent of agents) console.log(`  ${agent.name.padEnd(12)} ${server.url}/?agent=${agent.id}${agent.role === 'admin' ? '   (admin)' : ''}`);
console.log('\nOpen two agents in two windows to watch them work side by side.');
console.log(`Simulated customers (${server.customers.customers.map((c) => c.name.split(' ')[0]).join(', ')}) write in every few seconds through signed`);
console.log("webhooks; your replies reach them through a local stand-in for WhatsApp's API. Ctrl+C stops everything.");

const stop = () => {
  console.log('\nStopping…');
  void server.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
