// Scratch: profile the engine variant alone.
import * as engine from '../../../src/index.js';
import { inbound, makeBot } from './workload.js';
const run = async (contacts: number, id: string) => {
  const transport = engine.memoryTransport();
  const chat = engine.createLiveChat({ bot: makeBot(), transport });
  const t = performance.now();
  const cpu = process.cpuUsage();
  let n = 0;
  for (const input of inbound({ contacts, perContact: 10 }, id)) { await chat.receive(input); n++; }
  await chat.idle();
  const ms = performance.now() - t;
  const c = process.cpuUsage(cpu);
  console.log(id, n, ms.toFixed(0), 'ms', ((ms * 1000) / n).toFixed(1), 'µs/msg', ((c.user + c.system) / n).toFixed(1), 'cpu µs/msg');
};
await run(500, 'warm');
for (let i = 0; i < Number(process.env.R ?? 1); i++) await run(Number(process.env.N ?? 5000), `main${i}`);
