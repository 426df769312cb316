import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import type { WorkerInit, WorkerRequest } from './worker.js';

const source = fileURLToPath(new URL('./worker.ts', import.meta.url));
const outDir = fileURLToPath(new URL(`../../../test-output/postgres-worker-${process.pid}/`, import.meta.url));

// Bundled once per test process: a plain JS worker starts in a fraction of the time a
// TypeScript loader needs, which matters with 8 processes starting on 2 cores. The bundle lives
// inside the repository so that `pg` and the other packages resolve from node_modules.
let bundled: Promise<string> | null = null;
function workerScript(): Promise<string> {
  bundled ??= build({
    entry: { worker: source },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    sourcemap: false,
    silent: true,
    config: false,
    // Everything but pg inlined and tree-shaken: loading whole packages dominates start-up.
    noExternal: [/^(?!pg$)/],
    external: ['pg'],
  }).then(() => `${outDir}worker.js`);
  return bundled;
}

/** A forked engine process and a typed way to talk to it. */
export interface Worker {
  readonly process: ChildProcess;
  call<T = unknown>(request: WorkerRequest): Promise<T>;
  /** Messages the worker pushes on its own (events, acks). */
  onPush(listener: (message: Record<string, unknown>) => void): void;
  /** Resolves when the process has exited (after `close`, or a kill). */
  readonly exited: Promise<number | null>;
}

/** Deletes this test process's worker bundle. */
export function removeWorkerScript(): void {
  rmSync(outDir, { recursive: true, force: true });
}

/** Starts a worker process on `init` and resolves once it is ready for requests. */
export async function startWorker(init: WorkerInit): Promise<Worker> {
  const worker = await spawn();
  await worker.call({ cmd: 'open', ...init });
  return worker;
}

/** Starts a worker process with no engine yet (send it `open`). */
export async function spawn(): Promise<Worker> {
  const child = fork(await workerScript(), [], {
    env: process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const pushListeners: Array<(message: Record<string, unknown>) => void> = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => {
    for (const p of pending.values()) p.reject(new Error(`worker ${child.pid} exited`));
    pending.clear();
  });
  return new Promise<Worker>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (raw) => {
      const message = raw as Record<string, unknown>;
      if (message.ready) {
        resolve({
          process: child,
          exited,
          call<T>(request: WorkerRequest) {
            const id = (next += 1);
            return new Promise<T>((res, rej) => {
              pending.set(id, { resolve: res as (v: unknown) => void, reject: rej });
              child.send({ ...request, id });
            });
          },
          onPush(listener) {
            pushListeners.push(listener);
          },
        });
      } else if (typeof message.id === 'number') {
        const p = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) p?.resolve(message.value);
        else p?.reject(new Error(String(message.error)));
      } else {
        for (const listener of pushListeners) listener(message);
      }
    });
    void exited.then((code) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });
}

/** A deterministic shuffle (mulberry32), so a failing order can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
