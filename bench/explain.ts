/**
 * Explanation benchmark: what one review's explanation costs the function (`treeShap` of its word counts,
 * src/xgboost/tree-shap.ts) beside xgboost's own `predict(pred_contribs=True)` on one row, as an online request
 * is served: a one-row `DMatrix` of the float32 row, then the prediction (a /usr/bin/python3 child, or XGBOOST_PYTHON's,
 * scripts/xgboost-contributions.py --bench, nthread=1 as SageMaker's container sets), rounds interleaved so both
 * see the same machine. Target: our p50 <= 1.0x xgboost's on review rows. Before anything is timed, every row's
 * explanation is checked against xgboost's (the bias and every contribution within 1e-5, the margin the
 * model's own): a benchmark of wrong output is worthless.
 *
 * Two row sets, both of the model's width (the default model: 5,000 columns):
 * - reviews: seeded reviews of 1 to 12 real movie-review sentences (default-model/labelled-sentences.jsonl),
 *   counted by the function's own counter (6 to 70 vocabulary words a row): the target's rows;
 * - every tree: every column the model splits on holds a count of 1 to 3, so that every tree's walk
 *   depends on the row and none reuses the empty row's (the worst case; reported, not held to the target).
 *
 * `npm run bench:explain [-- --model FILE] [--rows 300] [--rounds 5] [--quick]`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLabelledSentences } from '../default-model/accuracy.ts';
import { DEFAULT_MODEL_FILE, DEFAULT_VOCABULARY_FILE } from '../default-model/files.ts';
import { bagOfWordsFor } from '../src/encoder/bag-of-words.ts';
import { Vocabulary } from '../src/encoder/vocabulary.ts';
import { loadXGBoostModel } from '../src/xgboost/load.ts';
import type { XGBoostModel } from '../src/xgboost/model.ts';
import { treeShap } from '../src/xgboost/tree-shap.ts';
import { Random } from './corpus.ts';
import { hasPythonModules, modelRowsArgs, type PythonRounds, startPythonRounds, summarize } from './harness.ts';

/** The target: our explanation of a review row in at most this share of xgboost's time, at the median. */
const TARGET_RATIO = 1;
/** How far a value may be from xgboost's (test/xgboost/tree-shap.test.ts says why). */
const TOLERANCE = 1e-5;
const SCRIPT = fileURLToPath(new URL('../scripts/xgboost-contributions.py', import.meta.url));
const DEFAULT_MODEL = fileURLToPath(DEFAULT_MODEL_FILE);

/** Options of {@link runExplainBenchmark}; every one is optional. */
export interface ExplainOptions {
  /** The model file. Default: the default model (its vocabulary counts the reviews). */
  readonly model?: string;
  /** Review rows timed per round (the every-tree set is a fifth of it). Default 300 (100 quick). */
  readonly rows?: number;
  /** Rounds per side, interleaved. Default 5 (2 quick). */
  readonly rounds?: number;
  /** Fewer rows and rounds: a smoke run of a few seconds. */
  readonly quick?: boolean;
  /** Seed of the rows. */
  readonly seed?: number;
}

/** One side's per-row latency, ms. */
export interface ExplainLatency {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
}

/** One row set's figures. */
export interface ExplainRowSet {
  readonly rows: number;
  /** Median distinct columns a row holds. */
  readonly medianColumns: number;
  readonly ours: ExplainLatency;
  /** `undefined` when xgboost is missing. */
  readonly xgboost: ExplainLatency | undefined;
  /** ours / xgboost at p50 (above 1: ours is slower). */
  readonly ratioP50: number | undefined;
}

/** What {@link runExplainBenchmark} measured. */
export interface ExplainResult {
  readonly model: {
    readonly file: string;
    readonly description: string;
    readonly featureCount: number;
    readonly trees: number;
  };
  readonly rounds: number;
  /** xgboost's version, when measured. */
  readonly xgboostVersion: string | undefined;
  /** Review rows: what the target holds. */
  readonly reviews: ExplainRowSet;
  /** Every tree's walk depends on the row: the worst case. */
  readonly everyTree: ExplainRowSet;
  /** Values compared with xgboost's (the bias and every contribution of every row). */
  readonly verifiedValues: number;
  /** Of them, equal to xgboost's float32 bit for bit. */
  readonly bitExactValues: number;
  /** The largest difference from xgboost's. */
  readonly largestDifference: number;
  /** {@link TARGET_RATIO}. */
  readonly targetRatio: number;
  /** Whether the review rows' p50 ratio is within the target (true when xgboost is missing: nothing to hold). */
  readonly meetsTarget: boolean;
  readonly node: string;
  readonly quick: boolean;
}

interface Row {
  readonly indices: Uint32Array;
  readonly counts: Uint32Array;
}

/** Reviews of 1-12 real sentences, counted as the function counts them. */
function reviewRows(model: XGBoostModel, count: number, random: Random): Row[] {
  const vocabulary = Vocabulary.fromJSON(readFileSync(DEFAULT_VOCABULARY_FILE, 'utf8'));
  if (vocabulary.size !== model.featureCount) {
    throw new Error(
      `the model has ${model.featureCount} features but the default vocabulary ${vocabulary.size}: ` +
        'review rows need the default model (or one of its width)',
    );
  }
  const sentences = loadLabelledSentences().map(({ text }) => text);
  const counter = bagOfWordsFor(vocabulary);
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(random.next() * 12);
    const review = Array.from({ length }, () => sentences[Math.floor(random.next() * sentences.length)]).join(' ');
    const { indices, counts } = counter.count(review);
    return { indices, counts };
  });
}

/** Rows where every column the model splits on holds 1-3: no tree's walk is the empty row's. */
function everyTreeRows(model: XGBoostModel, count: number, random: Random): Row[] {
  const { feature } = model.forest;
  const used = [...new Set(Array.from(feature).filter((f) => f >= 0))].sort((a, b) => a - b);
  return Array.from({ length: count }, () => ({
    indices: Uint32Array.from(used),
    counts: Uint32Array.from(used, () => 1 + Math.floor(random.next() * 3)),
  }));
}

/** Explanation takes about a millisecond: four decimals (0.1 µs). */
function latency(samplesMs: readonly number[]): ExplainLatency {
  const { samples, p50, p90, p99 } = summarize(samplesMs, 4);
  return { samples, p50Ms: p50, p90Ms: p90, p99Ms: p99 };
}

/** Runs the benchmark; throws when an explanation differs from xgboost's. */
export async function runExplainBenchmark(options: ExplainOptions = {}): Promise<ExplainResult> {
  const quick = options.quick ?? false;
  const reviewCount = options.rows ?? (quick ? 100 : 300);
  const everyTreeCount = Math.max(10, Math.floor(reviewCount / 5));
  const rounds = options.rounds ?? (quick ? 2 : 5);
  const file = options.model ?? DEFAULT_MODEL;
  const model = await loadXGBoostModel(file);
  const random = new Random(options.seed ?? 20_240_601);
  const reviews = reviewRows(model, reviewCount, random);
  const everyTree = everyTreeRows(model, everyTreeCount, random);
  const rows = [...reviews, ...everyTree];
  const width = model.featureCount + 1;

  const dir = mkdtempSync(join(tmpdir(), 'explain-bench-'));
  let xgboost: PythonRounds | undefined;
  try {
    let verifiedValues = 0;
    let bitExactValues = 0;
    let largestDifference = 0;
    if (hasPythonModules('xgboost')) {
      const dense = rows.map(({ indices, counts }) => {
        const cells = new Array<number>(model.featureCount).fill(0);
        indices.forEach((column, k) => {
          cells[column] = counts[k] as number;
        });
        return `${cells.join(',')}\n`;
      });
      writeFileSync(join(dir, 'rows.csv'), dense.join(''));
      xgboost = await startPythonRounds('scripts/xgboost-contributions.py --bench', SCRIPT, [
        '--bench',
        file,
        join(dir, 'rows.csv'),
        join(dir, 'contributions.f32'),
      ]);
      // Correctness first: every row's explanation against xgboost's.
      const expected = new Float32Array(readFileSync(join(dir, 'contributions.f32')).buffer.slice(0));
      if (expected.length !== rows.length * width) {
        throw new Error(`xgboost wrote ${expected.length} values for ${rows.length} rows of ${width}`);
      }
      rows.forEach((row, r) => {
        const { bias, contributions, margin } = treeShap(model, row);
        if (margin !== model.marginCounts(row.indices, row.counts)) throw new Error(`row ${r}: margin ${margin}`);
        for (let c = 0; c < width; c++) {
          const ours = c === model.featureCount ? bias : (contributions[c] as number);
          const theirs = expected[r * width + c] as number;
          const difference = Math.abs(ours - theirs);
          if (!(difference <= TOLERANCE)) {
            throw new Error(`row ${r}, column ${c}: our explanation gives ${ours}, xgboost ${theirs}`);
          }
          largestDifference = Math.max(largestDifference, difference);
          verifiedValues++;
          if (ours === theirs) bitExactValues++;
        }
      });
    }

    let sink = 0;
    const ourRound = (): number[] => {
      const samples: number[] = [];
      for (const row of rows) {
        const start = process.hrtime.bigint();
        sink += treeShap(model, row).bias;
        samples.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      return samples;
    };
    for (let w = 0; w < 3; w++) ourRound(); // warm-up: let the JIT settle on these rows
    if (xgboost !== undefined) await xgboost.round();
    const ours: number[][] = [];
    const theirs: number[][] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(ourRound());
      if (xgboost !== undefined) theirs.push(await xgboost.round());
    }
    if (Number.isNaN(sink)) process.stdout.write('');

    const rowSet = (from: number, to: number): ExplainRowSet => {
      const oursLatency = latency(ours.flatMap((round) => round.slice(from, to)));
      const theirLatency =
        xgboost === undefined ? undefined : latency(theirs.flatMap((round) => round.slice(from, to)));
      const columns = rows
        .slice(from, to)
        .map((row) => row.indices.length)
        .sort((a, b) => a - b);
      return {
        rows: to - from,
        medianColumns: columns[columns.length >> 1] as number,
        ours: oursLatency,
        xgboost: theirLatency,
        ratioP50:
          theirLatency === undefined ? undefined : Math.round((oursLatency.p50Ms / theirLatency.p50Ms) * 1000) / 1000,
      };
    };
    const reviewSet = rowSet(0, reviews.length);
    return {
      model: { file, description: model.description, featureCount: model.featureCount, trees: model.trees },
      rounds,
      xgboostVersion: xgboost?.ready.xgboost as string | undefined,
      reviews: reviewSet,
      everyTree: rowSet(reviews.length, rows.length),
      verifiedValues,
      bitExactValues,
      largestDifference,
      targetRatio: TARGET_RATIO,
      meetsTarget: reviewSet.ratioP50 === undefined || reviewSet.ratioP50 <= TARGET_RATIO,
      node: process.version,
      quick,
    };
  } finally {
    xgboost?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lines for the console. */
export function formatExplain(result: ExplainResult): string {
  const line = (name: string, set: ExplainRowSet): string => {
    const theirs =
      set.xgboost === undefined
        ? 'xgboost not measured (python3-xgboost missing)'
        : `xgboost ${result.xgboostVersion} pred_contribs p50 ${set.xgboost.p50Ms.toFixed(4)} ms: ratio ${set.ratioP50?.toFixed(3)}x`;
    return `  ${name} (${set.rows} rows, median ${set.medianColumns} columns): treeShap p50 ${set.ours.p50Ms.toFixed(4)} ms, p99 ${set.ours.p99Ms.toFixed(4)} ms; ${theirs}`;
  };
  return [
    `Explanation (${result.model.featureCount} features, ${result.model.trees} trees), target p50 <= ${result.targetRatio}x xgboost's on reviews: ${result.meetsTarget ? 'met' : 'MISSED'}`,
    line('reviews', result.reviews),
    line('every tree', result.everyTree),
    `  checked: ${result.verifiedValues} values against xgboost's, ${result.bitExactValues} bit for bit, largest difference ${result.largestDifference}`,
  ].join('\n');
}

if (import.meta.main) {
  const result = await runExplainBenchmark(modelRowsArgs());
  console.log(formatExplain(result));
  console.log(JSON.stringify(result, null, 2));
}
