/**
 * Model scoring benchmark: what the local endpoint spends on one 5,000-column CSV row (the Lambda's request
 * for one review) with an XGBoost model: parse the body, walk the trees, format the reply, in process (the
 * HTTP around it is the warm-path benchmark's). Beside it, in the same run, xgboost's own
 * `Booster.inplace_predict` on the same rows (a /usr/bin/python3 child, or XGBOOST_PYTHON's, bench/xgboost-inplace-predict.py:
 * a float32 numpy row, no parsing, nthread=1 as SageMaker's container sets), rounds interleaved so both see the
 * same machine. Target: p50 <= 1 ms. Beside both, the model in the function scoring the same rows as the
 * Lambda's in-process backend does, from the review's word counts (no CSV written or parsed). Target: its p50
 * <= 0.10x xgboost's. Before anything is timed, every row's score is checked against xgboost's, bit for bit,
 * on both paths: a benchmark of wrong output is worthless.
 *
 * `npm run bench:model [-- --model FILE] [--rows 500] [--rounds 6] [--quick]`.
 * Without `--model`: the default model (default-model/model.ubj, 329 trees over 5,000 features). Rows:
 * seeded synthetic bag-of-words rows of the model's width (5-30 words a row, Zipf-distributed columns,
 * counts 1-3).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL_FILE } from '../default-model/files.ts';
import { formatScores, parseCsv } from '../local/endpoint/payload-parser.ts';
import { loadXGBoostModel } from '../src/xgboost/load.ts';
import { Random } from './corpus.ts';
import {
  hasPythonModules,
  modelRowsArgs,
  type PythonRounds,
  quantile,
  startPythonRounds,
  summarize,
} from './harness.ts';

/** The target: the local endpoint scores one row in at most this, at the median. */
const TARGET_P50_MS = 1;
/** The target: the model in the function scores one row's counts in at most this share of xgboost's time. */
const TARGET_IN_PROCESS_RATIO = 0.1;
const INPLACE_SCRIPT = fileURLToPath(new URL('./xgboost-inplace-predict.py', import.meta.url));
const DEFAULT_MODEL = fileURLToPath(DEFAULT_MODEL_FILE);

/** Options of {@link runModelScoringBenchmark}; every one is optional. */
export interface ModelScoringOptions {
  /** The model file (any form the endpoint reads). Default: the default model. */
  readonly model?: string;
  /** Distinct rows timed per round. Default 500 (200 quick). */
  readonly rows?: number;
  /** Rounds per side, interleaved. Default 6 (3 quick). */
  readonly rounds?: number;
  /** Fewer rows and rounds: a smoke run of a few seconds. */
  readonly quick?: boolean;
  /** Seed of the rows. */
  readonly seed?: number;
}

/** One side's per-row latency, ms. */
export interface ScoringLatency {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  /** Each round's p50, ms. */
  readonly roundP50Ms: readonly number[];
}

/** What {@link runModelScoringBenchmark} measured (`npm run bench` writes it into bench/results/latest.json). */
export interface ModelScoringResult {
  readonly model: {
    readonly file: string;
    /** Whether it is the default model. */
    readonly isDefault: boolean;
    readonly description: string;
    readonly featureCount: number;
    readonly trees: number;
  };
  /** Distinct rows timed per round. */
  readonly rows: number;
  /** Rounds per side. */
  readonly rounds: number;
  /** Bytes of the median CSV body. */
  readonly medianBodyBytes: number;
  /** parse + predict + format of one CSV row, as the local endpoint does per invocation. */
  readonly ours: ScoringLatency;
  /** `Booster.inplace_predict` of one float32 numpy row; `undefined` when xgboost is missing. */
  readonly xgboost: (ScoringLatency & { readonly version: string }) | undefined;
  /** ours / xgboost at p50 (above 1: ours is slower). */
  readonly ratioP50: number | undefined;
  /** The model in the function: `predictCounts` of the row's word counts, as the in-process backend scores. */
  readonly inProcess: ScoringLatency;
  /** inProcess / xgboost at p50; target at most {@link TARGET_IN_PROCESS_RATIO}. */
  readonly inProcessRatioP50: number | undefined;
  /** {@link TARGET_IN_PROCESS_RATIO}. */
  readonly inProcessTargetRatio: number;
  /** Rows whose score equals xgboost's bit for bit (all of them, or the run fails). */
  readonly verifiedRows: number;
  /** {@link TARGET_P50_MS}. */
  readonly targetP50Ms: number;
  /** Whether our p50 is within the target. */
  readonly meetsTarget: boolean;
  /** The Node version measured. */
  readonly node: string;
  /** A shortened run (`--quick`, `npm run bench:quick`). */
  readonly quick: boolean;
}

/** Seeded bag-of-words rows: 5-30 words, columns Zipf-distributed over a shuffled vocabulary, counts 1-3. */
function benchRows(width: number, count: number, seed: number): string[] {
  const random = new Random(seed);
  const order = Array.from({ length: width }, (_, i) => i);
  for (let i = width - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  // Zipf(1) over ranks: the cumulative weights, for inverse-transform sampling.
  const cumulative = new Float64Array(width);
  let total = 0;
  for (let rank = 0; rank < width; rank++) cumulative[rank] = total += 1 / (rank + 1);
  const pick = (): number => {
    const u = random.next() * total;
    let lo = 0;
    let hi = width - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return order[lo] as number;
  };
  const rows: string[] = [];
  for (let r = 0; r < count; r++) {
    const counts = new Uint8Array(width);
    const words = 5 + Math.floor(random.next() * 26);
    for (let w = 0; w < words; w++) {
      const u = random.next();
      const column = pick();
      counts[column] = (counts[column] as number) + (u < 0.85 ? 1 : u < 0.97 ? 2 : 3);
    }
    rows.push(counts.join(','));
  }
  return rows;
}

/** Scoring takes a tenth of a millisecond: its figures keep four decimals (0.1 µs). */
function latency(samplesMs: readonly number[], rounds: readonly (readonly number[])[]): ScoringLatency {
  const { samples, p50, p90, p99 } = summarize(samplesMs, 4);
  return { samples, p50Ms: p50, p90Ms: p90, p99Ms: p99, roundP50Ms: rounds.map((round) => summarize(round, 4).p50) };
}

/** Runs the benchmark; throws when a score differs from xgboost's. */
export async function runModelScoringBenchmark(options: ModelScoringOptions = {}): Promise<ModelScoringResult> {
  const quick = options.quick ?? false;
  const rowCount = options.rows ?? (quick ? 200 : 500);
  const rounds = options.rounds ?? (quick ? 3 : 6);
  const python = hasPythonModules('xgboost');
  const file = options.model ?? DEFAULT_MODEL;
  const model = await loadXGBoostModel(file);
  const rows = benchRows(model.featureCount, rowCount, options.seed ?? 20_240_601);
  const bodies = rows.map((row) => `${row}\n`);
  // The same rows as the in-process backend holds them: each review's columns and counts.
  const counted = rows.map((row) => {
    const values = row.split(',').map(Number);
    const indices = values.flatMap((value, column) => (value > 0 ? [column] : []));
    return {
      indices: Uint32Array.from(indices),
      counts: Uint32Array.from(indices.map((column) => values[column] as number)),
    };
  });

  const dir = mkdtempSync(join(tmpdir(), 'model-scoring-'));
  let xgboost: PythonRounds | undefined;
  try {
    if (python) {
      writeFileSync(join(dir, 'rows.csv'), bodies.join(''));
      xgboost = await startPythonRounds('bench/xgboost-inplace-predict.py', INPLACE_SCRIPT, [
        file,
        join(dir, 'rows.csv'),
      ]);
    }
    // Correctness first: every row's score against xgboost's.
    let verifiedRows = 0;
    if (xgboost !== undefined) {
      const predictions = xgboost.ready.predictions as number[];
      for (let i = 0; i < bodies.length; i++) {
        const [ours] = model.predictDense(parseCsv(bodies[i] as string, model.featureCount));
        if (Math.fround(ours as number) !== predictions[i]) {
          throw new Error(`row ${i}: the endpoint scores ${ours}, xgboost ${predictions[i]}`);
        }
        const { indices, counts } = counted[i] as (typeof counted)[number];
        const inProcess = model.predictCounts(indices, counts);
        if (inProcess !== predictions[i]) {
          throw new Error(`row ${i}: the model in the function scores ${inProcess}, xgboost ${predictions[i]}`);
        }
        verifiedRows++;
      }
    }

    let sink = 0;
    const ourRound = (): number[] => {
      const samples: number[] = [];
      for (const body of bodies) {
        const start = process.hrtime.bigint();
        const reply = formatScores(model.predictDense(parseCsv(body, model.featureCount)), 'csv');
        sink ^= reply.body.charCodeAt(2); // the reply is used, as sending it would
        samples.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      return samples;
    };
    let scoreSink = 0;
    const inProcessRound = (): number[] => {
      const samples: number[] = [];
      for (const { indices, counts } of counted) {
        const start = process.hrtime.bigint();
        scoreSink += model.predictCounts(indices, counts);
        samples.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      return samples;
    };
    for (let w = 0; w < 3; w++) {
      ourRound(); // warm-up: let the JIT settle on these rows
      inProcessRound();
    }
    if (xgboost !== undefined) await xgboost.round();

    const ours: number[][] = [];
    const inProcess: number[][] = [];
    const theirs: number[][] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(ourRound());
      inProcess.push(inProcessRound());
      if (xgboost !== undefined) theirs.push(await xgboost.round());
    }
    if (Number.isNaN(scoreSink)) process.stdout.write('');
    if (sink === -1) process.stdout.write('');

    const oursLatency = latency(ours.flat(), ours);
    const inProcessLatency = latency(inProcess.flat(), inProcess);
    const xgboostLatency =
      xgboost === undefined
        ? undefined
        : { ...latency(theirs.flat(), theirs), version: xgboost.ready.xgboost as string };
    const sizes = bodies.map((body) => Buffer.byteLength(body));
    return {
      model: {
        file,
        isDefault: file === DEFAULT_MODEL,
        description: model.description,
        featureCount: model.featureCount,
        trees: model.trees,
      },
      rows: rowCount,
      rounds,
      medianBodyBytes: quantile(sizes, 0.5),
      ours: oursLatency,
      xgboost: xgboostLatency,
      ratioP50:
        xgboostLatency === undefined ? undefined : Math.round((oursLatency.p50Ms / xgboostLatency.p50Ms) * 100) / 100,
      inProcess: inProcessLatency,
      inProcessRatioP50:
        xgboostLatency === undefined
          ? undefined
          : Math.round((inProcessLatency.p50Ms / xgboostLatency.p50Ms) * 1000) / 1000,
      inProcessTargetRatio: TARGET_IN_PROCESS_RATIO,
      verifiedRows,
      targetP50Ms: TARGET_P50_MS,
      meetsTarget: oursLatency.p50Ms <= TARGET_P50_MS,
      node: process.version,
      quick,
    };
  } finally {
    xgboost?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line for the console. */
export function formatModelScoring(result: ModelScoringResult): string {
  const { ours, xgboost } = result;
  const theirs =
    xgboost === undefined
      ? 'xgboost not measured (python3-xgboost missing)'
      : `xgboost ${xgboost.version} inplace_predict p50 ${xgboost.p50Ms.toFixed(4)} ms, p99 ${xgboost.p99Ms.toFixed(4)} ms: ratio ${result.ratioP50?.toFixed(2)}x`;
  return (
    `Model scoring (${result.model.featureCount}-column CSV row, ${result.model.trees} trees): ` +
    `p50 ${ours.p50Ms.toFixed(4)} ms, p99 ${ours.p99Ms.toFixed(4)} ms (target p50 <= ${result.targetP50Ms} ms); ${theirs}\n` +
    `Model in the function (the row's word counts): p50 ${result.inProcess.p50Ms.toFixed(4)} ms, ` +
    `${result.inProcessRatioP50?.toFixed(3) ?? 'n/a'}x xgboost's (target <= ${result.inProcessTargetRatio}x)`
  );
}

if (import.meta.main) {
  const result = await runModelScoringBenchmark(modelRowsArgs());
  console.log(formatModelScoring(result));
  console.log(JSON.stringify(result, null, 2));
}
