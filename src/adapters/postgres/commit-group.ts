import type { ChangeSet, CommitResult, VersionedWrite } from '../../ports/store.js';

/** A change set on its way to the database, with the JSON the commit function takes. */
export interface PendingCommit {
  changes: ChangeSet;
  payload: string;
}

interface Waiting extends PendingCommit {
  resolve: (result: CommitResult) => void;
  reject: (error: unknown) => void;
}

/**
 * The most commits one transaction takes. A group is undone whole when one of its change sets
 * is refused, and each is then committed alone: a bound keeps that repeat small.
 */
export const MAX_GROUP = 32;

/**
 * Commits in groups: while `inFlight` commits (or groups) are in the database, the commits that
 * arrive wait, and then go together as one transaction (`together`, in arrival order, as they
 * would have run one after the other). Each statement and transaction has a fixed cost that the
 * group pays once: with 16 inbound messages at a time, the engine took about a third less time
 * per message on PGlite, and a PostgreSQL server spent half the CPU per change set in groups of 4.
 *
 * The outcome of each commit is its own. When the group's transaction fails (a change set was
 * refused: a version race, a duplicate message), nothing of it is written, and each of its
 * change sets is committed `alone`, in order, for its own result or error. Two change sets
 * that write one record never share a group: the commit function tells a record this change
 * set already wrote by the transaction that wrote it (see `insertRows` and `updateRows` in
 * schema.ts), and in a group a record another change set wrote would look the same. Races
 * for one record (a conversation's concurrent messages) also go apart, and the group that
 * would fail on them does not form.
 */
export function groupCommits(
  alone: (commit: PendingCommit) => Promise<CommitResult>,
  together: (commits: PendingCommit[]) => Promise<CommitResult[]>,
  inFlight = 1,
): (commit: PendingCommit) => Promise<CommitResult> {
  const waiting: Waiting[] = [];
  let running = 0;

  async function run(group: Waiting[]): Promise<void> {
    if (group.length > 1) {
      let results: CommitResult[] | undefined;
      try {
        results = await together(group);
      } catch {
        // Refused or failed as a whole: each one alone, below.
      }
      if (results) {
        group.forEach((commit, i) => commit.resolve(results[i]!));
        return;
      }
    }
    for (const commit of group) await alone(commit).then(commit.resolve, commit.reject);
  }

  /** Sends the waiting commits, a group at a time, while fewer than `inFlight` groups are in the database. */
  function next(): void {
    while (running < inFlight && waiting.length > 0) {
      let size = 1;
      try {
        size = groupSize(waiting);
      } catch {
        // A change set without the shape of one goes alone, for the database to refuse.
      }
      running += 1;
      // run settles every commit of the group itself and never rejects.
      void run(waiting.splice(0, size)).finally(() => {
        running -= 1;
        next();
      });
    }
  }

  return (commit) =>
    new Promise<CommitResult>((resolve, reject) => {
      waiting.push({ ...commit, resolve, reject });
      next();
    });
}

/** How many of the first waiting commits go together: up to the first that touches a record an earlier one writes or checks. */
function groupSize(waiting: PendingCommit[]): number {
  // Alone, as every commit is with one producer: nothing to compare.
  if (waiting.length === 1) return 1;
  const keys = new Set<string>();
  let size = 0;
  for (const { changes } of waiting) {
    if (size === MAX_GROUP) break;
    const written = writtenKeys(changes);
    if (size > 0 && written.some((key) => keys.has(key))) break;
    for (const key of written) keys.add(key);
    size += 1;
  }
  return size;
}

/**
 * Every record a change set writes (inserts, updates, deletes) or checks, by table and key. A
 * contact checked after another change set of the group wrote it would fail the whole group.
 */
function writtenKeys(changes: ChangeSet): string[] {
  const keys: string[] = [];
  const add = (table: string, key: string) => keys.push(`${table} ${key}`);
  for (const c of changes.contactChecks ?? []) add('contacts', c.id);
  const versioned = <T>(table: string, writes: VersionedWrite<T>[] | undefined, key: (record: T) => string) => {
    for (const w of writes ?? []) add(table, key(w.record));
  };
  versioned('contacts', changes.contacts, (r) => r.id);
  versioned('conversations', changes.conversations, (r) => r.id);
  versioned('attribute_definitions', changes.attributeDefinitions, (r) => r.key);
  versioned('tag_definitions', changes.tagDefinitions, (r) => r.name);
  versioned('campaigns', changes.campaigns, (r) => r.id);
  for (const m of changes.messages ?? []) add('messages', m.id);
  for (const u of changes.messageUpdates ?? []) add('messages', u.id);
  for (const e of changes.journey ?? []) add('journey', e.id);
  for (const o of changes.outboxInserts ?? []) add('outbox', o.id);
  for (const o of changes.outboxUpdates ?? []) add('outbox', o.id);
  for (const id of changes.outboxDeletes ?? []) add('outbox', id);
  for (const d of changes.tagDefinitionDeletes ?? []) add('tag_definitions', d.name);
  for (const i of changes.campaignIncrements ?? []) add('campaigns', i.id);
  return keys;
}
