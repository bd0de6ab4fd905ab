/**
 * Offline stack start-up: the wall time from running `npm start`'s program (`node local/start.ts`) to its
 * first answer to the original page's request, with the default model (loading it, its vocabulary, the
 * endpoint and the handler included). Target: at most 1.5 s. Median of fresh starts.
 *
 *   node bench/offline-start.ts [--runs 5]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './harness.ts';

/** The target, ms from the command to the first answer. */
const TARGET_START_MS = 1_500;

const START = fileURLToPath(new URL('../local/start.ts', import.meta.url));

/** Medians of the start-up, ms. */
export interface OfflineStartResult {
  readonly runs: number;
  /** From spawning the process to the first answer's body. */
  readonly firstAnswerMs: number;
  /** Each run's, in order. */
  readonly samplesMs: readonly number[];
  readonly targetMs: number;
  readonly meetsTarget: boolean;
}

/** One start: spawn, wait for the printed URL, POST a review, stop. */
async function timeOneStart(): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [START, '--port', '0', '--endpoint-port', '0'], {
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
    child.kill('SIGINT');
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
