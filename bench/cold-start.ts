/**
 * Cold-start benchmark: the wall time of a fresh Node process that imports the built handler and
 * serves its first request, next to a bare `node -e 0` and the naive bundle (bench/naive-entry.ts),
 * interleaved in one run so machine noise hits all of them. The artifact is timed in both shapes: calling
 * the local SageMaker-compatible endpoint (SAGEMAKER_ENDPOINT_NAME), and scoring the model it bundles
 * (no variable set; `npm run build` bundles the demo model).
 *
 *   npm run bench:cold-start -- [--runs N]      builds dist/lambda and dist/naive first (default COLD_START_RUNS)
 *   npm run bench:cold-start -- --compare A B [--runs N] [--in-process]
 *
 * `--compare` is the A/B of docs/cold-start.md: it builds the artifact of two revisions (anything
 * `git archive` takes; `.` is the working tree) apart from this checkout, and times both, interleaved, with
 * the bare process between them. It reports each median and the median of the paired differences B - A,
 * with a bootstrap 95% interval. docs/cold-start.md gives the rule a change is judged by.
 */

import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build as esbuild } from 'esbuild';
import { LAMBDA_ARTIFACT } from '../infra/artifact.ts';
import { startEndpointServer } from '../local/endpoint/server.ts';
import { loadDefaultModel } from '../local/model/default-model.ts';
import { loadLexiconModel } from '../local/model/model.ts';
import { ESM_REQUIRE_BANNER } from '../scripts/bundle-handler.ts';
import { copyRepository } from '../scripts/working-tree.ts';
import { Vocabulary } from '../src/encoder/vocabulary.ts';
import { Random } from './corpus.ts';
import { buildArtifact, median, quantile } from './harness.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Targets: the first response of a fresh process, at most this many times bare `node -e 0`'s. */
export const TARGET_BUILT_VS_BARE = 3.5;
export const TARGET_IN_PROCESS_VS_BARE = 2.0;

/** Fresh processes a side: a median of 15 moved by up to 0.25x between runs on this shared machine. */
export const COLD_START_RUNS = 31;
/** Rounds of `--compare`: enough to resolve a 2 ms difference on this machine (docs/cold-start.md). */
const COMPARE_RUNS = 151;

/** Medians in ms and the ratios the targets are stated in. */
export interface ColdStartResult {
  runs: number;
  bareNodeMs: number;
  builtMs: number;
  naiveMs: number;
  builtBundleBytes: number;
  naiveBundleBytes: number;
  /** built / bare; target at most {@link TARGET_BUILT_VS_BARE}. */
  builtVsBare: number;
  /** The same artifact scoring its bundled model in the function, ms. */
  inProcessMs: number;
  /** inProcess / bare; target at most {@link TARGET_IN_PROCESS_VS_BARE}. */
  inProcessVsBare: number;
  /** naive / bare, for comparison. */
  naiveVsBare: number;
}

// The child: import the handler, serve one request (the original page's), exit. Prints the status.
const CHILD = `
const { handler } = await import(process.env.HANDLER_PATH);
const event = { httpMethod: 'POST', path: '/', headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
  body: 'What a wonderful, moving film', isBase64Encoded: false, requestContext: {} };
const context = { awsRequestId: 'cold', functionName: 'cold', getRemainingTimeInMillis: () => 10000 };
const response = await handler(event, context);
process.stdout.write('\\n' + String(response.statusCode));
`;

/** Wall time of one child process, ms. Asynchronous: the local endpoint lives in this process. */
async function timeProcess(args: string[], env: NodeJS.ProcessEnv, expect?: string): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  // The status is the last line: the handler writes its metrics (EMF) to stdout before it.
  if (status !== 0 || (expect !== undefined && stdout.trim().split('\n').at(-1) !== expect)) {
    throw new Error(`cold-start child failed (${args.join(' ')}): ${stderr || stdout}`);
  }
  return elapsed;
}

/**
 * The comparison bundle, into dist/naive: bench/naive-entry.ts bundled as a default esbuild set-up
 * makes it (one file, no plugins), beside the artifact's vocabulary.
 */
async function buildNaiveBundle(): Promise<void> {
  const outdir = `${root}dist/naive`;
  rmSync(outdir, { recursive: true, force: true });
  await esbuild({
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    logLevel: 'warning',
    banner: { js: ESM_REQUIRE_BANNER },
    entryPoints: [`${root}bench/naive-entry.ts`],
    outfile: `${outdir}/index.mjs`,
  });
  const vocabulary = LAMBDA_ARTIFACT.vocabularyFile;
  copyFileSync(`${root}${LAMBDA_ARTIFACT.directory}/${vocabulary}`, `${outdir}/${vocabulary}`);
}

/** One side of the comparison: an artifact directory, and whether it scores in process (no endpoint named). */
interface Arm {
  readonly dir: string;
  readonly inProcess?: boolean;
}

/** Times bare `node -e 0` and each arm, interleaved round by round; the ms of every run. */
async function interleavedRuns(arms: readonly Arm[], runs: number): Promise<{ bare: number[]; runs: number[][] }> {
  // A model as wide as each artifact's bundled vocabulary, under an endpoint name of its own: the default
  // model for the artifact `npm run build` makes; the lexicon on another revision's vocabulary.
  const { model, vocabulary } = await loadDefaultModel();
  const models = Object.fromEntries(
    arms.map(({ dir }, k) => {
      const bundled = Vocabulary.fromJSON(readFileSync(join(dir, LAMBDA_ARTIFACT.vocabularyFile), 'utf8'));
      const same = bundled.wordsByColumn.every((word, column) => vocabulary.wordsByColumn[column] === word);
      return [
        `cold-start-${k}`,
        same && bundled.size === vocabulary.size ? model : loadLexiconModel().onVocabulary(bundled),
      ];
    }),
  );
  const endpoint = await startEndpointServer({ models });
  const baseEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: endpoint.url,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
  const childArgs = ['--input-type=module', '-e', CHILD];
  const envFor = ({ dir, inProcess }: Arm, k: number) => ({
    ...baseEnv,
    ...(inProcess === true ? {} : { SAGEMAKER_ENDPOINT_NAME: `cold-start-${k}` }),
    LAMBDA_TASK_ROOT: dir,
    HANDLER_PATH: join(dir, 'index.mjs'),
  });
  const bare: number[] = [];
  const times = arms.map((): number[] => []);
  try {
    // One warm-up of each fills the OS file cache, as a Lambda host's would be.
    await timeProcess(['-e', '0'], baseEnv);
    for (const [k, arm] of arms.entries()) await timeProcess(childArgs, envFor(arm, k), '200');
    for (let i = 0; i < runs; i++) {
      bare.push(await timeProcess(['-e', '0'], baseEnv));
      for (const [k, arm] of arms.entries()) times[k]?.push(await timeProcess(childArgs, envFor(arm, k), '200'));
    }
  } finally {
    await endpoint.close();
  }
  return { bare, runs: times };
}

/** Runs the benchmark; builds both bundles first. */
export async function runColdStartBenchmark({ runs = COLD_START_RUNS } = {}): Promise<ColdStartResult> {
  buildArtifact(`${root}${LAMBDA_ARTIFACT.directory}`);
  await buildNaiveBundle();
  const built = `${root}${LAMBDA_ARTIFACT.directory}`;
  const measured = await interleavedRuns(
    [{ dir: built }, { dir: built, inProcess: true }, { dir: `${root}dist/naive` }],
    runs,
  );
  const bareNodeMs = median(measured.bare);
  const builtMs = median(measured.runs[0] as number[]);
  const inProcessMs = median(measured.runs[1] as number[]);
  const naiveMs = median(measured.runs[2] as number[]);
  return {
    runs,
    bareNodeMs,
    builtMs,
    naiveMs,
    builtBundleBytes: statSync(`${root}dist/lambda/index.mjs`).size,
    naiveBundleBytes: statSync(`${root}dist/naive/index.mjs`).size,
    builtVsBare: builtMs / bareNodeMs,
    inProcessMs,
    inProcessVsBare: inProcessMs / bareNodeMs,
    naiveVsBare: naiveMs / bareNodeMs,
  };
}

/** What {@link compareRevisions} reports, ms. */
interface ColdStartComparison {
  runs: number;
  bareNodeMs: number;
  aMs: number;
  bMs: number;
  /** Median of the paired differences B - A (each round runs A and B back to back). */
  differenceMs: number;
  /** Bootstrap 95% interval of that median. */
  interval: [number, number];
}

/** The A/B: the artifacts of revisions `a` and `b`, built apart from this checkout, timed interleaved. */
async function compareRevisions(a: string, b: string, runs: number, inProcess: boolean): Promise<ColdStartComparison> {
  const work = mkdtempSync(join(tmpdir(), 'cold-start-ab-'));
  try {
    const artifacts = [a, b].map((revision, k) => {
      const checkout = join(work, `rev-${k}`);
      copyRepository(checkout, revision);
      buildArtifact(join(checkout, 'artifact'), checkout);
      return join(checkout, 'artifact');
    });
    const measured = await interleavedRuns(
      artifacts.map((dir) => ({ dir, inProcess })),
      runs,
    );
    const [timesA, timesB] = measured.runs as [number[], number[]];
    const differences = timesB.map((ms, i) => ms - (timesA[i] as number));
    const random = new Random(0xab);
    const medians = Array.from({ length: 2000 }, () =>
      median(differences.map(() => differences[Math.floor(random.next() * differences.length)] as number)),
    );
    return {
      runs,
      bareNodeMs: median(measured.bare),
      aMs: median(timesA),
      bMs: median(timesB),
      differenceMs: median(differences),
      interval: [quantile(medians, 0.025), quantile(medians, 0.975)],
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      runs: { type: 'string' },
      compare: { type: 'boolean', default: false },
      'in-process': { type: 'boolean', default: false },
    },
  });
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  if (values.compare) {
    const [a, b] = positionals;
    if (a === undefined || b === undefined) {
      console.error(
        `Usage: npm run bench:cold-start -- --compare REVISION_A REVISION_B [--runs N, default ${COMPARE_RUNS}] [--in-process: the artifacts scoring the model they bundle]   (. is the working tree)`,
      );
      process.exit(2);
    }
    const result = await compareRevisions(a, b, Number(values.runs ?? COMPARE_RUNS), values['in-process']);
    console.log(`Cold start A/B, first response (${result.runs} interleaved rounds)
  bare node -e 0   ${ms(result.bareNodeMs)}
  A ${a.padEnd(14)} ${ms(result.aMs)}
  B ${b.padEnd(14)} ${ms(result.bMs)}
  B - A            ${ms(result.differenceMs)} (95% interval ${result.interval.map((v) => v.toFixed(1)).join(' to ')} ms)`);
    console.log(JSON.stringify(result));
  } else {
    const result = await runColdStartBenchmark({ runs: Number(values.runs ?? COLD_START_RUNS) });
    console.log(`Cold start, first response (median of ${result.runs} fresh processes, interleaved)
  bare node -e 0        ${ms(result.bareNodeMs)}
  built handler         ${ms(result.builtMs)}  (${result.builtVsBare.toFixed(2)}x bare; target <= ${TARGET_BUILT_VS_BARE.toFixed(1)}x)
  ... in process        ${ms(result.inProcessMs)}  (${result.inProcessVsBare.toFixed(2)}x bare; target <= ${TARGET_IN_PROCESS_VS_BARE.toFixed(1)}x)
  naive bundle          ${ms(result.naiveMs)}  (${result.naiveVsBare.toFixed(2)}x bare)`);
    console.log(JSON.stringify(result));
  }
}
