/**
 * `classify` benchmark: reviews per second of `sentiment-lambda classify` (worker threads on every core, the
 * default model) against the original's Python path over the same file (bench/classify-original.py: the
 * original's `review_to_words` and bag of words from scripts/original_preprocessing.py, then xgboost's
 * `Booster.predict` on DMatrix batches of 1,000 rows, /usr/bin/python3 unless XGBOOST_PYTHON names another
 * interpreter). Target: classify >= 10x Python.
 *
 * Both are timed as a user runs them, as whole processes from start to exit, reading the corpus file
 * (bench/corpus.ts, IMDb-like reviews, one JSON string a line) and writing one JSON result a review to a
 * file; runs alternate, Python then ours, so drift on a shared machine touches both, and each side's
 * median is compared. Python's scoring loop alone (after its imports and model load) is reported too,
 * with the ratio to it: the stricter comparison, which does not count Python's start-up against it.
 * Before any figure is kept, every result of ours is checked equal to Python's (score and sentiment):
 * a benchmark of wrong output is worthless.
 *
 * `npm run bench:classify [-- --quick]` prints a table and the JSON result; `runClassifyBenchmark()` returns it.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL_FILE, DEFAULT_VOCABULARY_FILE } from '../default-model/files.ts';
import { xgboostPython } from '../default-model/scorers.ts';
import { writeCorpus } from './corpus.ts';
import { hasPythonModules, median } from './harness.ts';

/** Minimum speed-up of `classify` over the original's Python path. */
export const TARGET_RATIO = 10;
/** Rows per DMatrix on the Python side. */
export const PYTHON_BATCH_ROWS = 1000;

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const PYTHON_SCRIPT = fileURLToPath(new URL('./classify-original.py', import.meta.url));

/** Options of {@link runClassifyBenchmark}. */
export interface ClassifyBenchOptions {
  /** 2,000 reviews and 2 rounds: a smoke run of several seconds. */
  readonly quick?: boolean;
  /** Reviews in the corpus; default 20,000 (2,000 with `quick`). */
  readonly reviews?: number;
  /** Runs of each side; default 3 (2 with `quick`). */
  readonly rounds?: number;
  readonly seed?: number;
}

/** One side's runs. */
export interface SideThroughput {
  /** Median of the runs, reviews per second, whole process (start-up included). */
  readonly reviewsPerSecond: number;
  /** Every run's reviews per second, whole process. */
  readonly rounds: readonly number[];
  /** Every run's wall time, seconds. */
  readonly seconds: readonly number[];
}

/** What {@link runClassifyBenchmark} returns. */
export interface ClassifyBenchResult {
  readonly corpus: { readonly reviews: number; readonly bytes: number; readonly medianChars: number };
  readonly model: { readonly file: string; readonly vocabulary: string };
  /** `sentiment-lambda classify --quiet FILE`, from the sources (src/cli/main.ts, as `npm run classify` runs it). */
  readonly ours: SideThroughput & { readonly threads: number };
  /** The original's path; `undefined` when the interpreter has no numpy or xgboost (then no ratio). */
  readonly python:
    | (SideThroughput & {
        /** Median reviews per second of the scoring loop alone (after imports and loading the model). */
        readonly scoringReviewsPerSecond: number;
        /** Median start-up (imports, model and vocabulary), seconds. */
        readonly startSeconds: number;
        readonly batchRows: number;
        readonly python: string;
        readonly xgboost: string;
      })
    | undefined;
  /** Results of ours compared with Python's, all equal (or the benchmark throws). */
  readonly checkedResults: number;
  /** ours / python, whole processes both. */
  readonly ratio: number | undefined;
  /** ours (whole process) / Python's scoring loop alone: the stricter ratio. */
  readonly ratioToScoringLoop: number | undefined;
  readonly targetRatio: number;
  /** Whether the stricter ratio meets the target. */
  readonly meetsTarget: boolean | undefined;
  readonly cpus: number;
  readonly node: string;
  readonly quick: boolean;
}

interface PythonRun {
  readonly seconds: number;
  readonly report: {
    readonly reviews: number;
    readonly startSeconds: number;
    readonly scoreSeconds: number;
    readonly python: string;
    readonly xgboost: string;
  };
}

/** Runs a command with stdout to `outFile`; returns its wall time in seconds and its stderr. */
function timed(command: string, args: readonly string[], outFile: string): { seconds: number; stderr: string } {
  const out = openSync(outFile, 'w');
  try {
    const start = process.hrtime.bigint();
    const run = spawnSync(command, args, { stdio: ['ignore', out, 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
    return { seconds, stderr: run.stderr };
  } finally {
    closeSync(out);
  }
}

function runOurs(model: string, vocabulary: string, reviewsPath: string, outFile: string): number {
  return timed(process.execPath, [MAIN, 'classify', '--quiet', '-m', model, '-v', vocabulary, reviewsPath], outFile)
    .seconds;
}

function runPython(model: string, vocabulary: string, reviewsPath: string, outFile: string, reportFile: string) {
  const { seconds } = timed(
    xgboostPython(),
    [PYTHON_SCRIPT, model, vocabulary, reviewsPath, outFile, String(PYTHON_BATCH_ROWS)],
    reportFile,
  );
  return { seconds, report: JSON.parse(readFileSync(reportFile, 'utf8')) as PythonRun['report'] };
}

/** Throws unless every result line of ours has Python's score and sentiment; returns how many were compared. */
function checkSameResults(oursFile: string, pythonFile: string, expected: number): number {
  const lines = (file: string) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
  const ours = lines(oursFile);
  const python = lines(pythonFile);
  if (ours.length !== expected || python.length !== expected) {
    throw new Error(`Expected ${expected} results from both, got ${ours.length} (ours) and ${python.length} (Python).`);
  }
  ours.forEach((line, i) => {
    const a = JSON.parse(line) as { sentiment: number; label: string; score: number };
    const b = JSON.parse(python[i] as string) as typeof a;
    if (a.score !== b.score || a.sentiment !== b.sentiment || a.label !== b.label) {
      throw new Error(`Result ${i} differs: ours ${line}, Python ${python[i]}: refusing to benchmark wrong output.`);
    }
  });
  return ours.length;
}

/** Runs the benchmark (see the module); throws when our results differ from the Python path's. */
export async function runClassifyBenchmark(options: ClassifyBenchOptions = {}): Promise<ClassifyBenchResult> {
  const quick = options.quick ?? false;
  const reviewCount = options.reviews ?? (quick ? 2000 : 20_000);
  const rounds = options.rounds ?? (quick ? 2 : 3);
  const model = fileURLToPath(DEFAULT_MODEL_FILE);
  const vocabulary = fileURLToPath(DEFAULT_VOCABULARY_FILE);
  const dir = mkdtempSync(join(tmpdir(), 'classify-bench-'));
  try {
    const { reviewsPath, reviews } = writeCorpus(dir, reviewCount, options.seed);
    const oursOut = join(dir, 'ours.jsonl');
    const pythonOut = join(dir, 'python.jsonl');
    const withPython = hasPythonModules('numpy, xgboost');

    const oursSeconds: number[] = [];
    const pythonRuns: PythonRun[] = [];
    let checkedResults = 0;
    for (let r = 0; r < rounds; r++) {
      if (withPython) pythonRuns.push(runPython(model, vocabulary, reviewsPath, pythonOut, join(dir, 'report.json')));
      oursSeconds.push(runOurs(model, vocabulary, reviewsPath, oursOut));
      if (r === 0 && withPython) checkedResults = checkSameResults(oursOut, pythonOut, reviews.length);
    }

    const rate = (seconds: number): number => reviews.length / seconds;
    const ours = {
      reviewsPerSecond: median(oursSeconds.map(rate)),
      rounds: oursSeconds.map(rate),
      seconds: oursSeconds,
      threads: availableParallelism(),
    };
    const python: ClassifyBenchResult['python'] =
      pythonRuns.length === 0
        ? undefined
        : {
            reviewsPerSecond: median(pythonRuns.map((run) => rate(run.seconds))),
            rounds: pythonRuns.map((run) => rate(run.seconds)),
            seconds: pythonRuns.map((run) => run.seconds),
            scoringReviewsPerSecond: median(pythonRuns.map((run) => rate(run.report.scoreSeconds))),
            startSeconds: median(pythonRuns.map((run) => run.report.startSeconds)),
            batchRows: PYTHON_BATCH_ROWS,
            python: (pythonRuns[0] as PythonRun).report.python,
            xgboost: (pythonRuns[0] as PythonRun).report.xgboost,
          };
    const ratio = python === undefined ? undefined : ours.reviewsPerSecond / python.reviewsPerSecond;
    const ratioToScoringLoop =
      python === undefined ? undefined : ours.reviewsPerSecond / python.scoringReviewsPerSecond;
    return {
      corpus: {
        reviews: reviews.length,
        bytes: statSync(reviewsPath).size,
        medianChars: median(reviews.map((review) => review.length)),
      },
      model: { file: 'default-model/model.ubj', vocabulary: 'default-model/vocabulary.json' },
      ours,
      python,
      checkedResults,
      ratio,
      ratioToScoringLoop,
      targetRatio: TARGET_RATIO,
      meetsTarget: ratioToScoringLoop === undefined ? undefined : ratioToScoringLoop >= TARGET_RATIO,
      cpus: availableParallelism(),
      node: process.version,
      quick,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function printTable(result: ClassifyBenchResult): void {
  const { corpus, ours, python } = result;
  const row = (name: string, rate: string, vs: string) => `${name.padEnd(52)}${rate.padStart(12)}${vs.padStart(10)}`;
  const lines = [
    `Corpus: ${fmt(corpus.reviews)} reviews (${(corpus.bytes / 1e6).toFixed(1)} MB, median ${fmt(corpus.medianChars)} chars); ` +
      `model ${result.model.file}; ${result.cpus} CPUs; medians of ${ours.rounds.length} runs each, alternating`,
    '',
    row('', 'reviews/s', 'vs python'),
  ];
  if (python === undefined) {
    lines.push(row(`${xgboostPython()} with xgboost`, 'not run', ''));
  } else {
    lines.push(
      row(`python ${python.python}, xgboost ${python.xgboost}: whole process`, fmt(python.reviewsPerSecond), '1.0x'),
      row(
        `  its scoring loop alone (start-up ${python.startSeconds.toFixed(2)} s left out)`,
        fmt(python.scoringReviewsPerSecond),
        `${(python.scoringReviewsPerSecond / python.reviewsPerSecond).toFixed(1)}x`,
      ),
    );
  }
  const vs = python === undefined ? 'n/a' : `${(ours.reviewsPerSecond / python.reviewsPerSecond).toFixed(1)}x`;
  lines.push(row(`sentiment-lambda classify (${ours.threads} threads): whole process`, fmt(ours.reviewsPerSecond), vs));
  lines.push('');
  if (python === undefined) {
    lines.push(
      `${xgboostPython()} with numpy and xgboost not found: the Python path was NOT measured and no ratio is given.`,
    );
  } else {
    lines.push(
      `Checked ${fmt(result.checkedResults)} results equal to the Python path's. Ratio ${(result.ratio as number).toFixed(1)}x ` +
        `(whole processes), ${(result.ratioToScoringLoop as number).toFixed(1)}x against Python's scoring loop alone ` +
        `(target >= ${result.targetRatio}x on that one): ${result.meetsTarget ? 'met' : 'NOT met'}.`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n${JSON.stringify(result, null, 2)}\n`);
}

if (import.meta.main) {
  printTable(await runClassifyBenchmark({ quick: process.argv.includes('--quick') }));
}
