/**
 * What the benchmarks share: the bench model (a linear model over the corpus's 5,000-word vocabulary), the
 * local endpoint run in a child process so its CPU time and memory are not the measured "Lambda"'s, the
 * client, the full chain and the events, the artifact build, the interleaving of arms, xgboost's side in a
 * Python child, and the statistics.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { xgboostPython } from '../default-model/scorers.ts';
import type { LinearModelDocument } from '../local/model/model.ts';
import type { Vocabulary } from '../src/encoder/vocabulary.ts';
import { createHandler, type SageMakerHandlerOptions, type SentimentHandler } from '../src/pipeline.ts';
import { createSageMakerClient } from '../src/sagemaker/client.ts';
import { lambdaContext, restApiEvent } from '../src/testing/events.ts';
import { generateVocabulary, Random, type VocabularyObject } from './corpus.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the deployable artifact of the checkout at `cwd` into `outdir` (relative to `cwd`, or
 * absolute), as `npm run build` makes it.
 */
export function buildArtifact(outdir: string, cwd = root): void {
  const result = spawnSync(process.execPath, ['build.mjs', '--quiet', '--outdir', outdir], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed in ${cwd}: ${result.stderr}`);
}

/** The endpoint name the bench model is served under (the local endpoint's default name). */
export const BENCH_ENDPOINT_NAME = 'sentiment-local';
export const DEFAULT_SEED = 20_240_601;

/**
 * A linear model over `vocabulary` with seeded weights in [-1, 1]: the endpoint's feature count must equal
 * the encoder's vocabulary width, so the default model (a different vocabulary) cannot serve the corpus.
 */
export function benchModelDocument(
  vocabulary: VocabularyObject = generateVocabulary(DEFAULT_SEED),
  seed = DEFAULT_SEED,
): LinearModelDocument {
  const random = new Random(seed ^ 0x3e1);
  const size = Object.keys(vocabulary).length;
  const weights = Array.from({ length: size }, () => 2 * random.next() - 1);
  return {
    name: 'bench-linear-5000',
    description: 'Seeded random weights over the benchmark corpus vocabulary (bench/corpus.ts).',
    vocabulary,
    weights,
    bias: 0,
  };
}

/** The local endpoint, running in its own process. */
export interface EndpointProcess {
  readonly url: string;
  readonly pid: number | undefined;
  close(): Promise<void>;
}

const ENDPOINT_SCRIPT = fileURLToPath(new URL('./endpoint-process.ts', import.meta.url));

/** Starts `bench/endpoint-process.ts` (the local endpoint serving the bench model) and waits for its URL. */
export async function startEndpointProcess(seed = DEFAULT_SEED): Promise<EndpointProcess> {
  const child: ChildProcess = spawn(process.execPath, [ENDPOINT_SCRIPT, '--seed', String(seed)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench endpoint process exited (${code}) before listening`)));
    child.once('error', reject);
    lines.once('line', (line) => {
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch {
        reject(new Error(`bench endpoint process printed ${line}`));
      }
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid,
    close: async () => {
      lines.close();
      child.stdin?.end(); // the child exits when its stdin closes
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A client for the local endpoint, with the production defaults (keep-alive, retries, timeouts). */
export function benchClient(url: string): SageMakerRuntimeClient {
  return createSageMakerClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
}

/** A Powertools logger at WARN: the per-request INFO line is built but not written. */
export function quietLogger(): Logger {
  return new Logger({ serviceName: 'bench', logLevel: 'WARN' });
}

/** The full chain (`createHandler`, every middleware) against the local endpoint. */
export function fullChain(
  client: SageMakerRuntimeClient,
  vocabulary: Vocabulary,
  options: Partial<SageMakerHandlerOptions> = {},
): SentimentHandler {
  return createHandler({
    endpointName: BENCH_ENDPOINT_NAME,
    vocabulary: { source: vocabulary },
    client,
    logger: quietLogger(),
    ...options,
  });
}

/**
 * Runs `run` with the EMF lines written to stdout (Powertools Metrics writes one per invocation, as
 * Lambda expects) sent to /dev/null instead, and everything else to stdout as usual. Each line still
 * costs its serialisation and a write, as in Lambda, and a run of thousands of invocations keeps a
 * readable output. Resolves to `run`'s result and the number of EMF lines.
 */
export async function withEmfToDevNull<T>(run: () => Promise<T>): Promise<{ result: T; emfLines: number }> {
  const stdoutWrite = process.stdout.write;
  const devNull = openSync('/dev/null', 'w');
  let emfLines = 0;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (!text.startsWith('{"_aws":')) return stdoutWrite.call(process.stdout, chunk, ...rest);
    emfLines++;
    writeSync(devNull, text);
    return true;
  }) as typeof process.stdout.write;
  try {
    return { result: await run(), emfLines };
  } finally {
    process.stdout.write = stdoutWrite;
    closeSync(devNull);
  }
}

/** The original page's request: the raw review, `text/plain`. A fresh event each time (middlewares mutate it). */
export function textEvent(review: string): APIGatewayProxyEvent {
  return restApiEvent({ body: review });
}

/** A JSON batch request, `{"reviews": [...]}`. */
export function batchEvent(reviews: readonly string[]): APIGatewayProxyEvent {
  return restApiEvent({ body: JSON.stringify({ reviews }), headers: { 'Content-Type': 'application/json' } });
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Linear-interpolated quantile (`q` in [0, 1]). */
export function quantile(values: readonly number[], q: number): number {
  return quantileOfSorted(
    [...values].sort((a, b) => a - b),
    q,
  );
}

function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

/** Latency summary of one arm, ms. */
export interface LatencySummary {
  readonly samples: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Sequential requests per second: 1 / mean latency (one request in flight, as one Lambda instance). */
  readonly requestsPerSecond: number;
  /** `[percentile, ms]` points for the chart, percentile in [0, 99.9]. */
  readonly curve: readonly (readonly [number, number])[];
}

const CURVE_PERCENTILES = (() => {
  // Dense where the tail is: evenly spaced in -log10(1 - p), 0 .. 3 (p = 0 .. 99.9 %).
  const points: number[] = [];
  for (let i = 0; i <= 60; i++) points.push(100 * (1 - 10 ** (-(3 * i) / 60)));
  return points;
})();

/** The summary of `samplesMs`, each figure rounded to `digits` decimals (µs by default). */
export function summarize(samplesMs: readonly number[], digits = 3): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  const round = (value: number): number => Math.round(value * 10 ** digits) / 10 ** digits;
  const at = (q: number): number => round(quantileOfSorted(sorted, q));
  return {
    samples: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    p999: at(0.999),
    min: round(sorted[0] as number),
    max: round(sorted[sorted.length - 1] as number),
    mean: round(mean),
    requestsPerSecond: Math.round(1000 / mean),
    curve: CURVE_PERCENTILES.map((p) => [Math.round(p * 1000) / 1000, at(p / 100)] as const),
  };
}

/** Milliseconds since `start` (a `process.hrtime.bigint()` reading). */
export const elapsedMs = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

/** A handler as the benchmarks call it. */
export type Invoke = (event: APIGatewayProxyEvent, context: Context) => Promise<{ statusCode: number; body?: string }>;

/** One request's wall time, ms; throws unless the answer is a 200. */
export async function timed(invoke: Invoke, event: APIGatewayProxyEvent): Promise<number> {
  const context = lambdaContext();
  const start = process.hrtime.bigint();
  const response = await invoke(event, context);
  const ms = elapsedMs(start);
  if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}: ${response.body}`);
  return ms;
}

/**
 * Runs `arms` on the same requests in blocks, every arm once a round, in {@link blockOrder}; returns every
 * arm's latencies and each block's median per arm. Arms in one process still share the JIT's state:
 * bench/without-explain.ts, where a few percent matter, runs each arm in its own process (in the same order).
 */
export async function interleave(
  arms: readonly Invoke[],
  events: (index: number) => APIGatewayProxyEvent,
  blocks: number,
  blockSize: number,
): Promise<{ samples: number[][]; blockMedians: number[][] }> {
  const samples = arms.map(() => [] as number[]);
  const blockMedians = arms.map(() => [] as number[]);
  for (let b = 0; b < blocks; b++) {
    for (const a of blockOrder(b, arms.length)) {
      const block: number[] = [];
      for (let r = 0; r < blockSize; r++) block.push(await timed(arms[a] as Invoke, events(b * blockSize + r)));
      (samples[a] as number[]).push(...block);
      (blockMedians[a] as number[]).push(median(block));
    }
  }
  return { samples, blockMedians };
}

/**
 * The order of `arms` arms in block `block` of an interleaved run. It turns and reverses from block to block
 * (A B C, C B A, B C A, A C B, ...), so each arm takes every place, and follows itself, as often as the others:
 * an arm that ran right after another pays for the switch (caches), and a fixed order would bill the middle
 * arms for it.
 */
export function blockOrder(block: number, arms: number): number[] {
  const turn = Math.floor(block / 2) % arms;
  const order = Array.from({ length: arms }, (_, i) => (i + turn) % arms);
  return block % 2 === 1 ? order.reverse() : order;
}

/** Whether the interpreter with xgboost (`xgboostPython()`, default /usr/bin/python3) imports `modules` (`'numpy, xgboost'`). */
export function hasPythonModules(modules: string): boolean {
  return spawnSync(xgboostPython(), ['-c', `import ${modules}`], { stdio: 'ignore' }).status === 0;
}

/** xgboost's side of a benchmark, in a Python child that times one round of every row per request. */
export interface PythonRounds {
  /** The fields of the line the child prints once ready (its xgboost version, ...). */
  readonly ready: Readonly<Record<string, unknown>>;
  /** Times one round: every row's time, ms, in order. */
  round(): Promise<number[]>;
  /** Ends the child. */
  close(): void;
}

/**
 * Starts `script` with `args` under `xgboostPython()`, and waits for its ready line. The protocol: the child
 * prints one JSON line once ready; then for each `round` line on its stdin, `{"samplesNs": [...]}`; `quit` ends
 * it. Rounds are asked one at a time, so the caller interleaves them with its own.
 * @param name How messages name the child (`bench/xgboost-inplace-predict.py`).
 */
export async function startPythonRounds(name: string, script: string, args: readonly string[]): Promise<PythonRounds> {
  const child = spawn(xgboostPython(), [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const { value, done } = await iterator.next();
    if (done) throw new Error(`${name} exited early`);
    return JSON.parse(value as string) as Record<string, unknown>;
  };
  const ready = await next();
  return {
    ready,
    round: async () => {
      child.stdin.write('round\n');
      return ((await next()).samplesNs as number[]).map((ns) => ns / 1e6);
    },
    close: () => {
      child.stdin.end('quit\n');
      lines.close();
    },
  };
}

/**
 * The options of a benchmark over a model's rows, from the command line:
 * `[--model FILE] [--rows N] [--rounds N] [--quick]`.
 */
export function modelRowsArgs(): { model?: string; rows?: number; rounds?: number; quick: boolean } {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      rows: { type: 'string' },
      rounds: { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
  });
  return {
    ...(values.model === undefined ? {} : { model: values.model }),
    ...(values.rows === undefined ? {} : { rows: Number(values.rows) }),
    ...(values.rounds === undefined ? {} : { rounds: Number(values.rounds) }),
    quick: values.quick,
  };
}
