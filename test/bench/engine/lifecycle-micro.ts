import { isDeepStrictEqual } from 'node:util';
import { transition } from 'xstate';
import { conversationMachine, lifecycleStep, type ConversationState, type LifecycleEvent, type LifecycleStep } from '../../../src/index.js';
import { num, section, timed } from '../report.js';
import { formatTable } from '../../../examples/demo/table.js';
import { lifecycleStep as actorStep } from './actor-transition.js';
import { transitionStep } from '../../../src/lifecycle/transition.js';
import { floorStep } from './floor.js';

/** One recorded input of the lifecycle: the stored state and assignee, and the event. */
interface Input {
  state: ConversationState;
  assignee: string | null;
  event: LifecycleEvent;
}

/** A small seeded PRNG (mulberry32), so every run replays the same stream. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const agents = ['asha', 'bruno', 'chen'];

/**
 * A random walk of `size` events over `conversations` conversations: each event goes to a random
 * conversation in the state the previous events left it in, so the stream visits the states a
 * real inbox does (customer messages dominate, agents act now and then, some chats expire).
 */
export function eventStream(size: number, conversations: number, seed = 42): Input[] {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const open = Array.from({ length: conversations }, () => ({ state: 'active' as ConversationState, assignee: null as string | null }));
  const stream: Input[] = [];
  for (let i = 0; i < size; i += 1) {
    const slot = Math.floor(random() * conversations);
    const c = open[slot]!;
    const agentId = pick(agents);
    const admin = random() < 0.1;
    const r = random();
    const event: LifecycleEvent =
      r < 0.4
        ? { type: 'customer.message', botInRequested: random() < 0.8 }
        : r < 0.6
          ? { type: 'bot.reply', botInRequested: random() < 0.8 }
          : r < 0.67
            ? { type: 'intervention.request', by: pick(['customer', 'bot', 'api'] as const) }
            : r < 0.75
              ? { type: 'agent.intervene', agentId, admin }
              : r < 0.83
                ? { type: 'agent.reply', agentId, admin }
                : r < 0.86
                  ? { type: 'agent.transfer', agentId, admin, to: pick(agents) }
                  : r < 0.89
                    ? { type: 'agent.release', agentId, admin }
                    : r < 0.97
                      ? { type: 'agent.resolve', agentId, admin }
                      : { type: 'history.due' };
    stream.push({ state: c.state, assignee: c.assignee, event });
    const next = lifecycleStep(c.state, c.assignee, event);
    // A chat in History is replaced by a fresh one, as the next customer message would do.
    open[slot] = next.state === 'history' ? { state: 'active', assignee: null } : { state: next.state, assignee: next.assignee };
  }
  return stream;
}

type Step = (state: ConversationState, assignee: string | null, event: LifecycleEvent) => LifecycleStep;

/** xstate's own pure `transition()`, on a snapshot restored from the stored state per event. */
const xstateTransition: Step = (state, assignee, event) => {
  const before = conversationMachine.resolveState({ value: state, context: { assignee } });
  const [after, actions] = transition(conversationMachine, before, event);
  const effects = actions
    .filter((a) => (a.type as string) !== 'xstate.assign')
    .map((a) => (a.params === undefined ? { type: a.type } : { type: a.type, params: a.params })) as LifecycleStep['effects'];
  return { state: after.value as ConversationState, assignee: after.context.assignee, effects, handled: after !== before || effects.length > 0 };
};

export const contenders: Array<{ name: string; how: string; step: Step }> = [
  { name: 'lifecycleStep (engine)', how: 'steps cached by (state, assignee, event); a miss costs the next row', step: lifecycleStep },
  { name: 'lifecycleStep, cache miss', how: 'machine.transition with one inert scope, cached restored snapshots', step: transitionStep },
  { name: 'xstate transition()', how: "xstate's pure transition(), snapshot from resolveState per event", step: xstateTransition },
  { name: 'actor per event', how: 'createActor({snapshot}).start(), send, getPersistedSnapshot, stop', step: actorStep },
  { name: 'hand-written switch', how: 'the floor reducer, no xstate', step: floorStep },
];

// Through JSON, so an absent `params` and `params: undefined` compare equal.
const comparable = (s: LifecycleStep): unknown =>
  JSON.parse(JSON.stringify({ state: s.state, assignee: s.assignee, handled: s.handled, effects: s.effects }));

/** Per-event cost of each lifecycle implementation over one random event stream, in µs. */
export async function lifecycleMicro(events = 40_000): Promise<Map<string, number>> {
  section(`lifecycle micro-benchmark: ${num(events)} random events over 1,000 conversations`);
  const stream = eventStream(events, 1_000);
  // Every contender must give the same answer on every event, or the timing compares nothing.
  const expected = stream.map((i) => comparable(lifecycleStep(i.state, i.assignee, i.event)));
  for (const c of contenders) {
    stream.forEach((input, n) => {
      const got = comparable(c.step(input.state, input.assignee, input.event));
      if (!isDeepStrictEqual(got, expected[n])) {
        throw new Error(`${c.name} disagrees with lifecycleStep on ${JSON.stringify(input)}: ${JSON.stringify(got)} vs ${JSON.stringify(expected[n])}`);
      }
    });
  }
  console.log(`  all ${contenders.length} implementations agree on every event of the stream`);

  const perEvent = new Map<string, number>();
  // Two rounds, best kept: the first round also warms up every contender.
  for (let round = 0; round < 2; round += 1) {
    for (const c of contenders) {
      const { ms } = await timed(() => {
        for (const i of stream) c.step(i.state, i.assignee, i.event);
      });
      const us = (ms * 1000) / stream.length;
      perEvent.set(c.name, Math.min(perEvent.get(c.name) ?? Infinity, us));
    }
  }
  const engine = perEvent.get(contenders[0]!.name)!;
  console.log(
    formatTable(
      [{ header: 'implementation' }, { header: 'per event', align: 'right' }, { header: 'vs engine', align: 'right' }, { header: 'how', max: 70 }],
      contenders.map((c) => {
        const us = perEvent.get(c.name)!;
        return [c.name, `${num(us, 2)} µs`, `${num(us / engine, 2)}x`, c.how];
      }),
    ),
  );
  return perEvent;
}
