/**
 * Memory benchmark: does the function stay flat under load, and does it fit the smallest Lambda size?
 *
 * 20,000 sequential invocations of the built handler (dist/lambda/index.mjs, what Lambda runs, configured
 * from the environment; a 5,000-word vocabulary loaded from a JSON file as a bundled one is) against the
 * local endpoint. Three processes, so only the "Lambda" is measured: this one (builds, orchestrates), the
 * endpoint (bench/endpoint-process.ts), and the measured child (bench/memory-child.mjs, plain JavaScript
 * started with `--expose-gc`), which holds only the bundle and 500 review texts.
 *
 * In the child: RSS and heapUsed every 100 invocations (no GC: the peaks), and after a forced full GC at
 * invocation 0, at the warm-up mark (invocation 2,000, or half way in shorter runs) and every 2,000 after (the
 * growth). Peak RSS is the kernel's high-water mark (`VmHWM`) when readable, else the sampled peak.
 * Targets: peak RSS under 128 MB; growth of the post-GC heap and RSS between the warm-up mark and the
 * last invocation at most 5 MB.
 *
 * The child runs with the V8 flags Lambda's runtime uses at 128 MB (see {@link lambdaHeapFlags});
 * `--node-defaults` runs it with Node's defaults instead, for comparison. `--in-process` runs the same
 * artifact scoring the model it bundles (no endpoint named, no endpoint process), with the same
 * 5,000-word vocabulary.
 *
 *   npm run bench:memory -- [--invocations 20000] [--no-build] [--node-defaults] [--in-process]
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateReviews, generateVocabulary } from './corpus.ts';
import { BENCH_ENDPOINT_NAME, buildArtifact, DEFAULT_SEED, startEndpointProcess } from './harness.ts';

export const TARGET_PEAK_RSS_MB = 128;
export const TARGET_GROWTH_MB = 5;

export interface MemorySample {
  readonly invocation: number;
  readonly rssMB: number;
  readonly heapUsedMB: number;
  readonly heapTotalMB: number;
  readonly externalMB: number;
}

export interface MemoryResult {
  /** What was measured. */
  readonly handler: string;
  /** Whether the handler scored with the model it bundles rather than calling the endpoint. */
  readonly inProcess: boolean;
  /** The Lambda memory size whose V8 flags the child ran with, or `undefined` for Node's defaults. */
  readonly lambdaMemoryMB: number | undefined;
  readonly nodeFlags: readonly string[];
  readonly invocations: number;
  readonly vocabularySize: number;
  readonly distinctReviews: number;
  /** Invocation whose post-GC figures are the baseline of the growth. */
  readonly warmupInvocation: number;
  readonly exposeGc: boolean;
  /** Kernel high-water mark of the measured process (VmHWM), or the sampled peak. */
  readonly peakRssMB: number;
  readonly peakRssSource: 'VmHWM' | 'sampled';
  readonly peakSampledRssMB: number;
  readonly peakHeapUsedMB: number;
  /** Post-GC heapUsed at the last invocation minus at the warm-up mark. */
  readonly heapGrowthMB: number;
  /** Post-GC RSS at the last invocation minus at the warm-up mark. */
  readonly rssGrowthMB: number;
  /** Post-GC samples: invocation 0, the warm-up mark, then every tenth. */
  readonly afterGc: readonly MemorySample[];
  readonly elapsedSeconds: number;
  readonly invocationsPerSecond: number;
  readonly targets: { readonly peakRssMB: number; readonly growthMB: number };
  readonly meetsPeakRss: boolean;
  readonly meetsGrowth: boolean;
}

const _MB = 1024 * 1024;
const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * The V8 heap limits Lambda's Node.js runtime bootstrap passes for a function of `memoryMB`
 * (aws-lambda-base-images, nodejs `bootstrap`): new space a tenth of the memory, split in two semi-spaces,
 * old space the rest. Without them V8's young generation grows to its 64-bit default (tens of MB of RSS
 * that a 128 MB function never gets).
 */
export function lambdaHeapFlags(memoryMB: number): string[] {
  const newSpace = Math.floor(memoryMB / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMB - newSpace}`];
}

/** Raw measurements the child prints. */
type ChildReport = Omit<
  MemoryResult,
  | 'peakRssMB'
  | 'peakRssSource'
  | 'heapGrowthMB'
  | 'rssGrowthMB'
  | 'invocationsPerSecond'
  | 'targets'
  | 'meetsPeakRss'
  | 'meetsGrowth'
  | 'handler'
  | 'inProcess'
  | 'lambdaMemoryMB'
  | 'nodeFlags'
> & { kernelPeakMB?: number };

const root = fileURLToPath(new URL('..', import.meta.url));
const HANDLER = join(root, 'dist/lambda/index.mjs');
const CHILD = fileURLToPath(new URL('./memory-child.mjs', import.meta.url));

/** Builds dist/lambda (as the cold-start benchmark does) unless `build` is false and the bundle exists. */
function buildHandler(build: boolean): void {
  if (!build && existsSync(HANDLER)) return;
  buildArtifact(dirname(HANDLER));
}

/**
 * Runs the benchmark: builds the handler bundle (unless `build: false` and it exists), starts the
 * endpoint process and the measured child with `--expose-gc`.
 */
export async function runMemoryBenchmark({
  invocations = 20_000,
  build = true,
  /** Run the child with Node's default V8 heap flags instead of Lambda's for 128 MB. */
  nodeDefaults = false,
  /** Score with the model the artifact bundles (the demo model, as wide as the vocabulary) instead of the endpoint. */
  inProcess = false,
} = {}): Promise<MemoryResult> {
  buildHandler(build);
  const lambdaMemoryMB = nodeDefaults ? undefined : 128;
  const nodeFlags = ['--expose-gc', ...(lambdaMemoryMB === undefined ? [] : lambdaHeapFlags(lambdaMemoryMB))];
  const vocabulary = generateVocabulary(DEFAULT_SEED);
  const dir = mkdtempSync(join(tmpdir(), 'memory-bench-'));
  const endpoint = inProcess ? undefined : await startEndpointProcess(DEFAULT_SEED);
  try {
    const vocabularyPath = join(dir, 'vocabulary.json');
    const reviewsPath = join(dir, 'reviews.json');
    writeFileSync(vocabularyPath, JSON.stringify(vocabulary));
    writeFileSync(reviewsPath, JSON.stringify(generateReviews(500, DEFAULT_SEED, vocabulary)));
    const reportPath = join(dir, 'report.json');
    // The handler's stdout (its EMF lines, thousands a second) goes to /dev/null: a reader of a pipe that
    // falls behind makes the writer buffer them on its heap, a growth that would be the reader's. Its
    // report comes in a file.
    const devNull = openSync('/dev/null', 'w');
    const child = spawn(process.execPath, [...nodeFlags, CHILD], {
      stdio: ['ignore', devNull, 'inherit'],
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        ...(endpoint === undefined
          ? {}
          : { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: endpoint.url, SAGEMAKER_ENDPOINT_NAME: BENCH_ENDPOINT_NAME }),
        VOCABULARY_SOURCE: vocabularyPath,
        POWERTOOLS_LOG_LEVEL: 'WARN',
        LAMBDA_TASK_ROOT: join(root, 'dist/lambda'),
        HANDLER_PATH: HANDLER,
        BENCH_REVIEWS: reviewsPath,
        BENCH_INVOCATIONS: String(invocations),
        BENCH_REPORT: reportPath,
      },
    });
    closeSync(devNull);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`memory bench child failed (${code}); its stderr is above`);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as ChildReport;
    const { kernelPeakMB, ...raw } = report;
    const peakRssMB = kernelPeakMB ?? raw.peakSampledRssMB;
    const base = raw.afterGc.find((s) => s.invocation === raw.warmupInvocation) as MemorySample;
    const last = raw.afterGc[raw.afterGc.length - 1] as MemorySample;
    const heapGrowthMB = round2(last.heapUsedMB - base.heapUsedMB);
    const rssGrowthMB = round2(last.rssMB - base.rssMB);
    return {
      ...raw,
      handler: `dist/lambda/index.mjs (the built artifact, configured from the environment as in Lambda${
        inProcess ? ', scoring the model it bundles' : ', calling the local endpoint'
      })`,
      inProcess,
      lambdaMemoryMB,
      nodeFlags,
      peakRssMB,
      peakRssSource: kernelPeakMB === undefined ? 'sampled' : 'VmHWM',
      heapGrowthMB,
      rssGrowthMB,
      invocationsPerSecond: Math.round(raw.invocations / raw.elapsedSeconds),
      targets: { peakRssMB: TARGET_PEAK_RSS_MB, growthMB: TARGET_GROWTH_MB },
      meetsPeakRss: peakRssMB < TARGET_PEAK_RSS_MB,
      meetsGrowth: heapGrowthMB <= TARGET_GROWTH_MB && rssGrowthMB <= TARGET_GROWTH_MB,
    };
  } finally {
    await endpoint?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The human-readable summary `bench:memory` and `bench` print. */
export function formatMemory(result: MemoryResult): string {
  return [
    `Memory${result.inProcess ? ', model in the function' : ''} (${result.invocations} sequential invocations, ${result.vocabularySize}-word vocabulary, measured process only, ` +
      `${result.invocationsPerSecond} inv/s; ${result.nodeFlags.join(' ')})`,
    `  peak RSS ${result.peakRssMB} MB (${result.peakRssSource}; sampled ${result.peakSampledRssMB} MB), peak heapUsed ` +
      `${result.peakHeapUsedMB} MB; target < ${result.targets.peakRssMB} MB: ${result.meetsPeakRss ? 'met' : 'NOT met'}`,
    `  growth ${result.warmupInvocation} -> ${result.invocations} (after GC): heap ${result.heapGrowthMB} MB, RSS ` +
      `${result.rssGrowthMB} MB; target <= ${result.targets.growthMB} MB: ${result.meetsGrowth ? 'met' : 'NOT met'}`,
    `  after GC: ${result.afterGc.map((s) => `#${s.invocation} ${s.heapUsedMB}/${s.rssMB}`).join(', ')} (heap/RSS MB)`,
  ].join('\n');
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      invocations: { type: 'string', default: '20000' },
      'no-build': { type: 'boolean', default: false },
      'node-defaults': { type: 'boolean', default: false },
      'in-process': { type: 'boolean', default: false },
    },
  });
  const result = await runMemoryBenchmark({
    invocations: Number(values.invocations),
    build: !values['no-build'],
    nodeDefaults: values['node-defaults'],
    inProcess: values['in-process'],
  });
  console.log(formatMemory(result));
  console.log(JSON.stringify(result, null, 2));
}
