// One engine instance in its own process, driven over IPC by multi-process.test.ts: each
// request `{ id, cmd, ... }` gets one reply `{ id, ok, value | error }`; events and acks are
// pushed as they happen. workers.ts bundles it to plain JS before forking.
import { appendFileSync } from 'node:fs';
import pg from 'pg';
import { postgresEvents, postgresStore, type PostgresEvents, type PostgresStore } from '../../../src/adapters/postgres/index.js';
import {
  createLiveChat,
  keywordBot,
  LiveChatError,
  silentLogger,
  systemClock,
  type Clock,
  type LiveChat,
  type ReceiveInput,
  type SendResult,
  type Transport,
} from '../../../src/index.js';

export interface WorkerInit {
  schema: string;
  /** Added to the wall clock: a process started "later", when earlier leases have lapsed. */
  clockOffsetMs?: number;
  /** Appends `sent <messageId> <pid>` before a send is acknowledged and `done <messageId> <pid>` once committed. */
  sendLog?: string;
  /** A bot that never answers: every turn stays owed, as in a process killed while its bot thinks. */
  silentBot?: boolean;
}

export type WorkerRequest =
  | ({ cmd: 'open' } & WorkerInit)
  | { cmd: 'receive'; messages: ReceiveInput[]; concurrency: number; ack?: boolean; waitForBot?: boolean }
  | { cmd: 'intervene'; conversationId: string; agentId: string }
  | { cmd: 'sweep' }
  | { cmd: 'listen' }
  | { cmd: 'flush' }
  | { cmd: 'resume' }
  | { cmd: 'sent' }
  | { cmd: 'close' };

/** The bot every worker runs: exactly one reply per customer message, whatever the order. */
export const workerBot = () =>
  keywordBot({
    rules: [{ keywords: ['price'], reply: 'Plans start at $9.' }],
    handoffKeywords: ['agent'],
    handoffReply: 'Connecting you to an agent.',
    fallback: 'Noted, thank you.',
  });

let pool: pg.Pool | null = null;
let store: PostgresStore;
let chat: LiveChat;
let sent: string[] = [];
let events: PostgresEvents | null = null;

/** (Re)opens the engine on a schema: one worker process serves several tests in turn. */
async function open(init: WorkerInit): Promise<void> {
  await events?.close();
  events = null;
  await pool?.end();
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 6 });
  store = postgresStore({ client: pool, schema: init.schema });
  const offset = init.clockOffsetMs ?? 0;
  const clock: Clock = { ...systemClock, now: () => new Date(Date.now() + offset) };
  sent = [];
  const log = init.sendLog;
  const transport: Transport = {
    channel: 'whatsapp',
    async send(message): Promise<SendResult> {
      // Written before the send counts as accepted, as the channel would have it at this point.
      if (log) appendFileSync(log, `sent ${message.messageId} ${process.pid}\n`);
      sent.push(message.messageId);
      return { ok: true, externalId: `out.${message.messageId}` };
    },
  };
  const bot = init.silentBot ? { respond: () => new Promise<never>(() => {}) } : workerBot();
  chat = createLiveChat({ store, clock, transport, bot, logger: silentLogger });
  if (log) chat.on('message.status', (event) => appendFileSync(log, `done ${event.message!.id} ${process.pid}\n`));
}

const send = (message: unknown) => process.send!(message);

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.cmd) {
    case 'open':
      return open(request);
    case 'receive': {
      const queue = [...request.messages];
      const results: Array<{ externalId: string; duplicate: boolean }> = [];
      const lane = async () => {
        for (let input = queue.shift(); input; input = queue.shift()) {
          const result = await chat.receive(input, { waitForBot: request.waitForBot ?? true });
          results.push({ externalId: input.externalId, duplicate: result.duplicate });
          if (request.ack) send({ ack: input.externalId });
        }
      };
      await Promise.all(Array.from({ length: request.concurrency }, lane));
      // As a webhook answers: once the messages are committed, the bot's turns still to come.
      if (request.waitForBot !== false) await chat.idle();
      return results;
    }
    case 'intervene':
      await chat.agents.upsert({ id: request.agentId, name: request.agentId, role: 'agent' });
      try {
        const conversation = await chat.intervene(request.conversationId, { agentId: request.agentId });
        return { won: true, assignee: conversation.assignee };
      } catch (error) {
        if (error instanceof LiveChatError) return { won: false, code: error.code, details: error.details };
        throw error;
      }
    case 'sweep':
      return chat.sweep();
    case 'listen': {
      events = await postgresEvents({ chat, store, logger: silentLogger });
      events.on('*', (event) => send({ event: { type: event.type, messageId: event.message?.id ?? null, pid: process.pid } }));
      return events.instanceId;
    }
    case 'flush': {
      const count = await chat.flush();
      await chat.idle();
      return count;
    }
    case 'resume': {
      const result = await chat.resumeBotTurns();
      await chat.idle();
      return result;
    }
    case 'sent':
      return sent;
    case 'close':
      await chat?.idle();
      await events?.close();
      await pool?.end();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (message: { id: number } & WorkerRequest) => {
  handle(message).then(
    (value) => send({ id: message.id, ok: true, value }),
    (error: unknown) => send({ id: message.id, ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
  );
});
send({ ready: true });
