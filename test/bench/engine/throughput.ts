import { register } from 'node:module';
import * as engine from '../../../src/index.js';
import { num, section, timed } from '../report.js';
import { formatTable } from '../../../examples/demo/table.js';
import { floorEngine } from './floor.js';
import { addressOf, inbound, makeBot, type Workload } from './workload.js';

/** The part of the engine API the throughput run drives. */
type EngineModule = Pick<typeof engine, 'createLiveChat' | 'memoryTransport'>;

/** What one run measured. */
export interface Run {
  name: string;
  messages: number;
  ms: number;
  sent: number;
  /** Journey entries of the first contact: the same in every variant, or they did different work. */
  journeyOfFirst: number;
}

/** The fastest of a variant's rounds, which stands for it; the others show how the machine wandered. */
export const fastest = (rounds: Run[]): Run => rounds.reduce((a, b) => (b.ms < a.ms ? b : a));

/**
 * The engine as built, fed through `chat.receive` one message after another (each call resolves
 * after the bot's turn), then `idle()` so the outbox dispatch of every reply is included.
 */
async function engineRun(name: string, api: EngineModule, w: Workload, runId: string): Promise<Run> {
  const transport = api.memoryTransport();
  const chat = api.createLiveChat({ bot: makeBot(), transport });
  let messages = 0;
  const { ms } = await timed(async () => {
    for (const input of inbound(w, runId)) {
      await chat.receive(input);
      messages += 1;
    }
    await chat.idle();
  });
  const first = await chat.store.findContact('whatsapp', addressOf(0));
  const journey = first ? await chat.journey(first.id, { limit: 500 }) : { items: [] };
  return { name, messages, ms, sent: transport.sent.length, journeyOfFirst: journey.items.length };
}

/** The hand-written floor over the same bot, transport, clock and id generator. */
async function floorRun(w: Workload, runId: string): Promise<Run> {
  const transport = engine.memoryTransport();
  const floor = floorEngine({
    bot: makeBot(),
    transport,
    clock: engine.systemClock,
    ids: engine.sortableIds(),
    historyAfterMs: 24 * 60 * 60 * 1000,
    firstMessageTag: 'first-message',
  });
  let messages = 0;
  const { ms } = await timed(async () => {
    for (const input of inbound(w, runId)) {
      await floor.receive(input);
      messages += 1;
    }
  });
  return { name: 'floor', messages, ms, sent: transport.sent.length, journeyOfFirst: floor.journeyOf('whatsapp', addressOf(0)) };
}

/**
 * A second copy of the engine whose lifecycle step is the actor-per-event pattern; every other
 * module is the same source (see actor-variant-hooks.mjs).
 */
async function actorVariant(): Promise<EngineModule> {
  register(new URL('./actor-variant-hooks.mjs', import.meta.url));
  return (await import(`${new URL('../../../src/index.ts', import.meta.url).href}?variant=actor`)) as EngineModule;
}

export const variantNames = { engine: 'engine', actor: 'engine, actor per event', floor: 'floor' } as const;

/**
 * Inbound messages per second through the engine, through the same engine with the actor
 * pattern in place of `lifecycleStep`, and through the hand-written floor, `rounds` times each.
 * The order rotates every round so that no variant always runs after the same one (and inherits
 * its garbage), and each variant's fastest round stands for it, as the sweep's best of 3 does:
 * on a shared machine a slow round measures the neighbours, not the code.
 */
export async function throughput(w: Workload, rounds: number): Promise<Map<string, Run[]>> {
  const total = w.contacts * w.perContact;
  section(`inbound throughput: ${num(w.contacts)} contacts x ${w.perContact} messages (${num(total)}), round robin`);
  console.log('  memory store, memory transport, keywordBot replying to every message, system clock, sortable ids;');
  console.log('  each receive awaited (it resolves after the bot turn), then idle() for the outbox dispatch.');
  console.log('  floor: a minimal engine of its own (test/bench/engine/floor.ts): the same bookkeeping per message');
  console.log('  (contact upsert, open conversation, idempotency, journey, bot reply via outbox, send, status) over');
  console.log('  plain Maps, a switch reducer, no zod, no xstate, no change sets.');
  console.log('  actor per event: the same engine source, with src/lifecycle/transition.ts swapped for');
  console.log('  test/bench/engine/actor-transition.ts by a module hook.');
  const actor = await actorVariant();
  const warm: Workload = { contacts: Math.min(500, w.contacts), perContact: w.perContact };
  const runs = new Map<string, Run[]>();
  const plan: Array<[string, (w: Workload, id: string) => Promise<Run>]> = [
    [variantNames.floor, (x, id) => floorRun(x, id)],
    [variantNames.engine, (x, id) => engineRun(variantNames.engine, engine, x, id)],
    [variantNames.actor, (x, id) => engineRun(variantNames.actor, actor, x, id)],
  ];
  // A warm-up of each first, so that no variant pays for another's JIT compilation.
  for (const [, run] of plan) await run(warm, 'warm');
  let reference: Run | undefined;
  for (let round = 0; round < rounds; round += 1) {
    for (let k = 0; k < plan.length; k += 1) {
      const [name, run] = plan[(round + k) % plan.length]!;
      const r = await run(w, `main${round}`);
      reference ??= r;
      if (r.journeyOfFirst !== reference.journeyOfFirst || r.sent !== reference.sent)
        throw new Error(`the variants did different work: ${JSON.stringify([reference, r])}`);
      runs.set(name, [...(runs.get(name) ?? []), r]);
    }
  }
  console.log(`  ${rounds} round${rounds === 1 ? '' : 's'}, the order rotating; each variant's fastest round is its figure.`);
  console.log(
    formatTable(
      [
        { header: 'variant' },
        { header: 'messages', align: 'right' },
        { header: 'wall time', align: 'right' },
        { header: 'messages/s', align: 'right' },
        { header: 'per message', align: 'right' },
        { header: 'replies sent', align: 'right' },
        { header: 'journey of 1st contact', align: 'right' },
        { header: 'every round (ms)', align: 'right' },
      ],
      [...runs.values()].map((all) => {
        const r = fastest(all);
        return [
          r.name,
          num(r.messages),
          `${num(r.ms)} ms`,
          num((r.messages * 1000) / r.ms),
          `${num((r.ms * 1000) / r.messages, 1)} µs`,
          num(r.sent),
          r.journeyOfFirst,
          all.map((x) => num(x.ms)).join(' / '),
        ];
      }),
    ),
  );
  return runs;
}
