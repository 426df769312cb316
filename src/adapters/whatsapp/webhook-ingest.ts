import type { LiveChat } from '../../engine/create-live-chat.js';
import type { ReceiveInput, StatusInput } from '../../engine/inputs.js';
import type { IngestPlan } from './webhook-plan.js';

/**
 * What one webhook POST did: messages stored (and how many were redeliveries), receipts that
 * moved a message forward, account errors announced, updates ignored.
 * @public
 */
export interface IngestSummary {
  /** Messages taken in (redeliveries included). */
  received: number;
  /** Of those, redeliveries that changed nothing. */
  duplicates: number;
  /** Status receipts applied. */
  statuses: number;
  /** Of those, receipts that moved a message forward. */
  statusesChanged: number;
  /** Account or app errors announced as `channel.error` events. */
  errors: number;
  /** Updates of fields the engine does not handle, acknowledged and ignored. */
  ignored: number;
}

/** Groups items by key, keeping their order inside each group. */
function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

/**
 * Runs each group's items in order, up to `limit` groups at a time. Every group runs to its
 * end or its first failure, whatever the others do; the first failure is rethrown after all
 * settled, so a store outage leaves no work in flight behind the answer.
 */
async function eachGroup<T>(groups: T[][], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < groups.length) {
      const group = groups[next++]!;
      try {
        for (const item of group) await run(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, groups.length) }, worker));
  if (failures.length > 0) throw failures[0];
}

/**
 * Ingests a validated plan into the engine and resolves once every update is committed.
 * One customer's messages go in timestamp order (so the conversation reads right); different
 * customers, and different messages' receipts, go in parallel up to `concurrency`. Bots answer
 * after the commit, in the background: the webhook acknowledges durable ingest, not bot work.
 * Idempotent: a redelivered message or receipt changes nothing.
 */
export async function ingestPlan(engine: LiveChat, plan: IngestPlan, concurrency: number): Promise<IngestSummary> {
  const summary: IngestSummary = { received: 0, duplicates: 0, statuses: 0, statusesChanged: 0, errors: 0, ignored: plan.ignored };
  await eachGroup(groupBy(plan.receives, (r) => r.from), concurrency, async (input: ReceiveInput) => {
    const result = await engine.receive(input, { waitForBot: false });
    if (result.duplicate) summary.duplicates += 1;
    else summary.received += 1;
  });
  await eachGroup(groupBy(plan.statuses, (s) => s.externalId), concurrency, async (input: StatusInput) => {
    const result = await engine.updateStatus(input);
    summary.statuses += 1;
    if (result.changed) summary.statusesChanged += 1;
  });
  for (const error of plan.errors) {
    engine.reportChannelError(error);
    summary.errors += 1;
  }
  return summary;
}
