/**
 * Offline stack start-up: the wall time from running `npm start`, the command README.md gives, to its
 * first answer to a page's request (a `text/plain` review), with the default model. Everything the user
 * waits for counts: npm's own start-up, then Node, the default model, its vocabulary, the local endpoint
 * and the handler. Target: at most 1.5 s. Median of fresh starts.
 *
 *   npm run bench:start [-- --runs 5]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './harness.ts';

/** The target, ms from the command to the first answer. */
const TARGET_START_MS = 1_500;

/** The project root, where `npm start` is run. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** npm as a shell finds it on the PATH (npm scripts put the project's node_modules/.bin first). */
const NPM = 'npm';

/** How long a stopped `npm start` may take to exit before it is killed. */
const STOP_GRACE_MS = 5_000;

/** Medians of the start-up, ms. */
export interface OfflineStartResult {
  readonly runs: number;
  /** From running `npm start` to the first answer's body. */
  readonly firstAnswerMs: number;
  /** Each run's, in order. */
  readonly samplesMs: readonly number[];
  readonly targetMs: number;
  readonly meetsTarget: boolean;
}

/**
 * Stops `npm start` and the Node process it started, and waits until they are gone, so that no run
 * overlaps the next. They form a process group of their own (`detached`), which gets Ctrl+C's SIGINT as a
 * terminal's foreground job would; a group still there after {@link STOP_GRACE_MS} gets SIGKILL.
 */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), STOP_GRACE_MS);
  });
  if ((await Promise.race([exited, late])) === 'late') {
    signalGroup('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

/** One start: run `npm start`, wait for the printed URL, POST a review, stop. */
async function timeOneStart(): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn(NPM, ['start', '--', '--port', '0', '--endpoint-port', '0'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '', ENDPOINT_PORT: '', POWERTOOLS_METRICS_DISABLED: 'true' },
  });
  let output = '';
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        const match = /Web page\s+(http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1] as string);
      });
      child.once('error', (error) => reject(new Error(`cannot run ${NPM} start: ${error.message}`)));
      child.once('exit', (code) => reject(new Error(`npm start exited ${code}: ${errors}`)));
    });
    const reply = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: 'What a wonderful, moving film',
    });
    const body = await reply.text();
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (reply.status !== 200 || body !== '1') throw new Error(`npm start answered ${reply.status} ${body}`);
    return elapsed;
  } finally {
    await stopGroup(child);
  }
}

/** Runs the benchmark: `runs` fresh starts, one after the other. */
export async function runOfflineStartBenchmark({ runs = 5 } = {}): Promise<OfflineStartResult> {
  await timeOneStart(); // fills the OS file cache, as a second `npm start` would find it
  const samplesMs: number[] = [];
  for (let i = 0; i < runs; i++) samplesMs.push(Math.round(await timeOneStart()));
  const firstAnswerMs = median(samplesMs);
  return { runs, firstAnswerMs, samplesMs, targetMs: TARGET_START_MS, meetsTarget: firstAnswerMs <= TARGET_START_MS };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const result = await runOfflineStartBenchmark({ runs: Number(values.runs) });
  console.log(
    `npm start to its first answer: ${result.firstAnswerMs} ms, median of ${result.runs} (target <= ${result.targetMs} ms)`,
  );
  console.log(JSON.stringify(result));
}
