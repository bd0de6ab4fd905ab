/**
 * `classify`'s worker threads (tinypool): one per core by default, each holding its own model and
 * vocabulary (classify-worker.ts), scoring the batches it is given. Results come back per batch; the
 * caller keeps them in input order.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import type { ClassifyWorkerData } from './classify-worker.ts';

/** Scores batches of reviews in worker threads. */
export interface ScoringPool {
  /** One JSON result line per review of `reviews`, in their order. */
  score(reviews: readonly string[]): Promise<string>;
  /** Ends the threads. */
  close(): Promise<void>;
}

/** Options of {@link startScoringPool}. */
export interface ScoringPoolOptions extends ClassifyWorkerData {
  /** Worker threads, all started at once. */
  readonly threads: number;
}

/** A worker thread that failed: unexpected, since the main thread read the same model and vocabulary first. */
export class WorkerFailure extends Error {
  override readonly name = 'WorkerFailure';
}

// The worker beside this module: `.ts` when run from the sources, `.js` in the built library.
const WORKER_FILE = fileURLToPath(
  new URL(`./classify-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

/** Starts the threads; each reads the model and the vocabulary from `options` once. */
export function startScoringPool({ threads, ...workerData }: ScoringPoolOptions): ScoringPool {
  const pool = new Tinypool({
    filename: WORKER_FILE,
    minThreads: threads,
    maxThreads: threads,
    workerData: workerData satisfies ClassifyWorkerData,
  });
  // A worker that fails while it holds tasks fails them; one that fails holding none is reported here
  // instead, and when every worker fails as it starts, the tasks still queued would wait forever. So the
  // first such failure fails every task waiting, and every later one.
  let failure: Error | undefined;
  const waiting = new Set<(error: Error) => void>();
  pool.on('error', (error: Error) => {
    failure ??= workerFailure(error);
    for (const reject of waiting) reject(failure);
    waiting.clear();
  });
  return {
    score: (reviews) => {
      if (failure !== undefined) return Promise.reject(failure);
      return new Promise<string>((resolve, reject) => {
        waiting.add(reject);
        (pool.run(reviews) as Promise<string>)
          .then(resolve, (error: Error) => reject(workerFailure(error)))
          .finally(() => waiting.delete(reject));
      });
    },
    close: async () => {
      if (failure !== undefined) await workersGone(pool);
      await pool.destroy();
    },
  };
}

/** How long {@link workersGone} waits, ms. */
const FAILED_WORKERS_WAIT_MS = 2_000;

/**
 * Resolves once the pool holds no worker, or after {@link FAILED_WORKERS_WAIT_MS}. After a failure, a worker
 * may still be starting (tinypool replaces a failed worker once), to fail in turn: one that fails while the
 * pool is being destroyed makes tinypool 2.2 throw from an event listener (its `destroy` awaits
 * `events.once(worker, 'exit')` on a wrapper without `removeListener`), an uncaught TypeError. So the pool is
 * destroyed once its workers have failed and gone. test/cli/classify.test.ts fails when this comes back.
 */
async function workersGone(pool: Tinypool): Promise<void> {
  const deadline = Date.now() + FAILED_WORKERS_WAIT_MS;
  while (pool.threads.length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

function workerFailure(error: Error): WorkerFailure {
  return error instanceof WorkerFailure ? error : new WorkerFailure(error.message, { cause: error });
}
