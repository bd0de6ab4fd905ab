/**
 * What explanations cost a request that does not ask for one: nothing, or the feature is not free.
 *
 * The model-in-the-function chain of this checkout is timed against the same chain at
 * {@link BASELINE_REVISION}, the last commit before explanations existed (its sources, extracted with
 * `git archive`, run with this checkout's node_modules). A third arm, this checkout again, is the control:
 * its distance from the first is the benchmark's noise. Each arm is one handler alone in its own process
 * (bench/without-explain-child.ts), as in Lambda: two handlers in one process share the JIT's state, and
 * either may bill the other for it. The arms run the same requests (the original page's `text/plain` events
 * carrying corpus reviews) in interleaved blocks, and every answer of the warm-up is compared byte for byte
 * (status, headers and body) with the baseline's.
 *
 * Target: this checkout's p50 at most the baseline's times (1 + noise), the noise being the control's
 * distance from this checkout at p50, and at least {@link NOISE_FLOOR}.
 *
 *   npm run bench:without-explain [-- --quick]
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyRepository } from '../scripts/working-tree.ts';
import { blockOrder, DEFAULT_SEED, type LatencySummary, summarize } from './harness.ts';

/** The last commit without explanations ("Formatting: README's tables and the compose example as Biome writes them"). */
export const BASELINE_REVISION = '79710b7fca26fe614d475cf08eaf770faad444f4';
/** The smallest noise band the target allows, whatever the control measured. */
export const NOISE_FLOOR = 0.02;

const CHILD = fileURLToPath(new URL('./without-explain-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BLOCK_SIZE = 50;

export interface WithoutExplainOptions {
  /** Fewer blocks: a smoke run of a few seconds. */
  readonly quick?: boolean;
  readonly seed?: number;
}

export interface WithoutExplainResult {
  readonly baselineRevision: string;
  readonly requests: number;
  /** The chain at {@link BASELINE_REVISION}. */
  readonly baseline: LatencySummary;
  /** This checkout's chain. */
  readonly current: LatencySummary;
  /** This checkout's chain in a third process (the control). */
  readonly control: LatencySummary;
  /** current p50 / baseline p50. */
  readonly ratioP50: number;
  /** control p50 / current p50: what noise alone shows. */
  readonly controlRatioP50: number;
  /** max(|controlRatioP50 - 1|, NOISE_FLOOR). */
  readonly noise: number;
  /** Warm-up answers compared with the baseline's, all equal (or the benchmark throws). */
  readonly identicalAnswers: number;
  readonly meetsTarget: boolean;
}

/** An arm's process; `ask` sends one message and resolves to the reply. */
interface Arm {
  readonly child: ChildProcess;
  ask<T>(message: object): Promise<T>;
}

async function startArm(root: string, seed: number): Promise<Arm> {
  const child = fork(CHILD, [root, String(seed)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const reply = <T>(): Promise<T> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`without-explain: an arm exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message as T);
      });
    });
  await reply<'ready'>();
  return {
    child,
    ask<T>(message: object) {
      const answer = reply<T>();
      child.send(message);
      return answer;
    },
  };
}

const ratio = (a: number, b: number): number => Math.round((a / b) * 1000) / 1000;

/** Runs the benchmark (see the module); throws when an answer differs from the baseline's. */
export async function runWithoutExplainBenchmark(options: WithoutExplainOptions = {}): Promise<WithoutExplainResult> {
  const quick = options.quick ?? false;
  const seed = options.seed ?? DEFAULT_SEED;
  const dir = mkdtempSync(join(tmpdir(), 'without-explain-'));
  const arms: Arm[] = [];
  try {
    copyRepository(dir, BASELINE_REVISION);
    for (const root of [dir, ROOT, ROOT]) arms.push(await startArm(root, seed));
    const [baseline, current, control] = arms as [Arm, Arm, Arm];

    // Byte for byte the answers the baseline gives; also the warm-up.
    const warmUp = quick ? 300 : 1000;
    const [before, now] = await Promise.all([baseline, current].map((arm) => arm.ask<string[]>({ warmUp })));
    await control.ask({ warmUp });
    (now as string[]).forEach((answer, i) => {
      if (answer !== (before as string[])[i]) {
        throw new Error(`without-explain: request ${i} answered ${answer}, the baseline ${(before as string[])[i]}`);
      }
    });

    // Blocks one arm at a time, in the order bench/harness.ts interleave() runs its arms.
    const samples: number[][] = [[], [], []];
    const blocks = quick ? 60 : 600;
    for (let b = 0; b < blocks; b++) {
      for (const a of blockOrder(b, arms.length)) {
        const latencies = await (arms[a] as Arm).ask<number[]>({ from: b * BLOCK_SIZE, count: BLOCK_SIZE });
        (samples[a] as number[]).push(...latencies);
      }
    }
    const [beforeSummary, nowSummary, againSummary] = samples.map((s) => summarize(s, 4)) as [
      LatencySummary,
      LatencySummary,
      LatencySummary,
    ];
    const ratioP50 = ratio(nowSummary.p50, beforeSummary.p50);
    const controlRatioP50 = ratio(againSummary.p50, nowSummary.p50);
    const noise = Math.round(Math.max(Math.abs(controlRatioP50 - 1), NOISE_FLOOR) * 1000) / 1000;
    return {
      baselineRevision: BASELINE_REVISION,
      requests: nowSummary.samples,
      baseline: beforeSummary,
      current: nowSummary,
      control: againSummary,
      ratioP50,
      controlRatioP50,
      noise,
      identicalAnswers: warmUp,
      meetsTarget: ratioP50 <= 1 + noise,
    };
  } finally {
    for (const arm of arms) arm.child.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lines for the console. */
export function formatWithoutExplain(result: WithoutExplainResult): string {
  const p50 = (s: LatencySummary) => `${s.p50.toFixed(4)} ms`;
  return [
    `A request without explain, model in the function (${result.requests} requests an arm, interleaved, a process each):`,
    `  before explanations (${result.baselineRevision.slice(0, 7)}) p50 ${p50(result.baseline)}, now ${p50(result.current)}: ${result.ratioP50.toFixed(3)}x`,
    `  control (now, another process) ${p50(result.control)}: noise ${(100 * result.noise).toFixed(1)}%; ${result.identicalAnswers} answers identical to the baseline's`,
    `  target <= 1 + noise: ${result.meetsTarget ? 'met' : 'MISSED'}`,
  ].join('\n');
}

if (import.meta.main) {
  const result = await runWithoutExplainBenchmark({ quick: process.argv.includes('--quick') });
  console.log(formatWithoutExplain(result));
}
