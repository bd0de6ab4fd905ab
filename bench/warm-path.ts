/**
 * Warm-path benchmark: what the framework costs per request.
 *
 * - Full chain (`createHandler`, every middleware, logger at WARN) vs. a bare hand-written handler that
 *   does the same encode (`payloadEncoderFor`) and `InvokeEndpointCommand` with the SAME client, against
 *   the same local endpoint (its own process), on the same requests (the original page's `text/plain`
 *   events carrying corpus reviews). The two are interleaved in alternating blocks, so machine noise hits
 *   both. Target: full chain p50 at most 1.10x the bare handler. A third arm, the chain with
 *   `metrics: false`, shows what the metrics (Powertools' EMF, one line per request) add to it.
 * - The model in the function: the full chain (`createHandler({ model, vocabulary })`, metrics on) scoring
 *   the same requests with an XGBoost model as wide as the vocabulary (the default model), interleaved
 *   with the others. Target: its p50 at most 0.30x the bare SageMaker handler's.
 * - csv vs. libsvm: payload bytes and full-chain p50 for the median-length review, interleaved.
 * - A batch of 50 reviews in one call vs. 50 single calls, interleaved.
 *
 *   npm run bench:warm [-- --quick]
 */
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { DEFAULT_MODEL_FILE } from '../default-model/files.ts';
import { payloadEncoderFor } from '../src/encoder/payload.ts';
import { Vocabulary } from '../src/encoder/vocabulary.ts';
import { createHandler } from '../src/pipeline.ts';
import { lambdaContext } from '../src/testing/events.ts';
import { loadXGBoostModel } from '../src/xgboost/load.ts';
import { generateReviews, generateVocabulary } from './corpus.ts';
import {
  BENCH_ENDPOINT_NAME,
  batchEvent,
  benchClient,
  DEFAULT_SEED,
  elapsedMs,
  fullChain,
  type Invoke,
  interleave,
  type LatencySummary,
  median,
  quietLogger,
  startEndpointProcess,
  summarize,
  textEvent,
  timed,
  withEmfToDevNull,
} from './harness.ts';

/** Full chain p50 / bare p50 must not exceed this. */
export const TARGET_CHAIN_RATIO = 1.1;
/** In-process full chain p50 / bare SageMaker handler p50 must not exceed this. */
export const TARGET_IN_PROCESS_RATIO = 0.3;

export interface WarmPathOptions {
  /** A short pass (about 2 s): fewer requests, same design. */
  readonly quick?: boolean;
  /** Also measure csv vs libsvm and batch vs single (default true). */
  readonly extras?: boolean;
  readonly seed?: number;
}

export interface WarmPathResult {
  readonly quick: boolean;
  readonly design: string;
  readonly vocabularySize: number;
  readonly reviews: number;
  readonly chain: {
    readonly full: LatencySummary;
    readonly bare: LatencySummary;
    /** full p50 / bare p50. */
    readonly ratioP50: number;
    readonly ratioP99: number;
    /** Median over blocks of (full block median / bare block median): a second, noise-robust estimate. */
    readonly ratioBlockMedian: number;
    readonly overheadP50Ms: number;
    /** The same chain created with `metrics: false`, interleaved with the other two. */
    readonly withoutMetrics: LatencySummary;
    /** withoutMetrics p50 / bare p50. */
    readonly withoutMetricsRatioP50: number;
    /** full p50 - withoutMetrics p50: what the metrics cost a request. */
    readonly metricsP50Ms: number;
    readonly target: number;
    readonly meetsTarget: boolean;
  };
  /** The full chain with the model in the function, against the bare SageMaker handler. */
  readonly inProcess: {
    readonly full: LatencySummary;
    /** inProcess p50 / bare p50. */
    readonly ratioP50: number;
    readonly target: number;
    readonly meetsTarget: boolean;
  };
  readonly formats?: {
    readonly reviewChars: number;
    readonly csv: { readonly bytes: number; readonly latency: LatencySummary };
    readonly libsvm: { readonly bytes: number; readonly latency: LatencySummary };
    /** libsvm bytes / csv bytes. */
    readonly bytesRatio: number;
    /** libsvm p50 / csv p50. */
    readonly p50Ratio: number;
  };
  readonly batch?: {
    readonly size: number;
    readonly rounds: number;
    readonly payloadBytes: number;
    /** Median wall time of one call carrying all the reviews, ms. */
    readonly batchMs: number;
    /** Median wall time of the same reviews sent as sequential single calls, ms. */
    readonly singlesMs: number;
    /** singlesMs / batchMs. */
    readonly speedup: number;
    readonly batchPerReviewMs: number;
    readonly singlePerReviewMs: number;
  };
}

const utf8 = new TextDecoder();

/**
 * The bare handler a user might write instead: read the text body, encode, one InvokeEndpoint, round the
 * score. No method/content-type/size checks, no CORS or security headers, no structured log.
 */
export function bareHandler(client: SageMakerRuntimeClient, vocabulary: Vocabulary, endpointName: string): Invoke {
  return async (event) => {
    const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
    const payload = payloadEncoderFor(vocabulary, 'csv').encode([text]);
    const reply = await client.send(
      new InvokeEndpointCommand({
        EndpointName: endpointName,
        ContentType: payload.contentType,
        Accept: 'text/csv',
        Body: Buffer.from(payload.body, 'utf8'),
      }),
    );
    const score = Number(utf8.decode(reply.Body));
    return { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: score > 0.5 ? '1' : '0' };
  };
}

const ratio = (a: number, b: number): number => Math.round((a / b) * 1000) / 1000;

/**
 * Runs the warm-path benchmark against a local endpoint it starts (and stops) in a child process. The
 * full chain's metrics go to /dev/null ({@link withEmfToDevNull}): written, as in Lambda, not shown.
 */
export async function runWarmPathBenchmark(options: WarmPathOptions = {}): Promise<WarmPathResult> {
  const { result, emfLines } = await withEmfToDevNull(() => measureWarmPath(options));
  // The full arm must have written its metrics, or it measured a chain without them.
  if (emfLines < result.chain.full.samples) {
    throw new Error(
      `warm-path: the full chain wrote ${emfLines} EMF lines for ${result.chain.full.samples} requests; is POWERTOOLS_METRICS_DISABLED set?`,
    );
  }
  return result;
}

async function measureWarmPath(options: WarmPathOptions): Promise<WarmPathResult> {
  const quick = options.quick ?? false;
  const extras = options.extras ?? true;
  const seed = options.seed ?? DEFAULT_SEED;
  const vocabularyObject = generateVocabulary(seed);
  const reviews = generateReviews(quick ? 200 : 1000, seed, vocabularyObject);
  const endpoint = await startEndpointProcess(seed);
  try {
    const client = benchClient(endpoint.url);
    const vocabulary = new Vocabulary(vocabularyObject);
    const full = fullChain(client, vocabulary) as unknown as Invoke;
    const bare = bareHandler(client, vocabulary, BENCH_ENDPOINT_NAME);
    const withoutMetrics = fullChain(client, vocabulary, { metrics: false }) as unknown as Invoke;
    // The default model is as wide as the corpus vocabulary (5,000): what it answers does not matter here.
    const model = await loadXGBoostModel(DEFAULT_MODEL_FILE);
    const inProcess = createHandler({
      model: { source: model },
      vocabulary: { source: vocabulary },
      logger: quietLogger(),
    }) as unknown as Invoke;
    const byIndex = (i: number) => textEvent(reviews[i % reviews.length] as string);

    // Same answers, or the comparison is meaningless; also the warm-up (JIT, sockets, encoder templates).
    for (let i = 0; i < (quick ? 100 : 300); i++) {
      const a = await full(byIndex(i), lambdaContext());
      const b = await bare(byIndex(i), lambdaContext());
      const c = await withoutMetrics(byIndex(i), lambdaContext());
      const d = await inProcess(byIndex(i), lambdaContext());
      if (d.statusCode !== 200)
        throw new Error(`warm-path: the model in the function answered ${d.statusCode} ${d.body}`);
      if (a.statusCode !== 200 || a.body !== b.body || c.statusCode !== 200 || c.body !== b.body) {
        throw new Error(
          `warm-path: full chain answered ${a.statusCode} ${a.body}, without metrics ${c.statusCode} ${c.body}, bare ${b.statusCode} ${b.body}`,
        );
      }
    }

    const blockSize = 25;
    const run = await interleave([full, bare, withoutMetrics, inProcess], byIndex, quick ? 24 : 200, blockSize);
    const fullSummary = summarize(run.samples[0] as number[]);
    const bareSummary = summarize(run.samples[1] as number[]);
    const withoutMetricsSummary = summarize(run.samples[2] as number[]);
    const inProcessSummary = summarize(run.samples[3] as number[]);
    const inProcessRatio = ratio(inProcessSummary.p50, bareSummary.p50);
    const blockRatios = (run.blockMedians[0] as number[]).map(
      (m, i) => m / ((run.blockMedians[1] as number[])[i] as number),
    );
    const ratioP50 = ratio(fullSummary.p50, bareSummary.p50);
    const result: WarmPathResult = {
      quick,
      design:
        `interleaved blocks of ${blockSize} requests (the arms' order turned and reversed from block to block), one request in ` +
        'flight, fresh event and context per request, local endpoint in a separate process, same ' +
        'SageMakerRuntimeClient for every arm; the metrics written to /dev/null',
      vocabularySize: vocabulary.size,
      reviews: reviews.length,
      chain: {
        full: fullSummary,
        bare: bareSummary,
        ratioP50,
        ratioP99: ratio(fullSummary.p99, bareSummary.p99),
        ratioBlockMedian: ratio(median(blockRatios), 1),
        overheadP50Ms: Math.round((fullSummary.p50 - bareSummary.p50) * 1000) / 1000,
        withoutMetrics: withoutMetricsSummary,
        withoutMetricsRatioP50: ratio(withoutMetricsSummary.p50, bareSummary.p50),
        metricsP50Ms: Math.round((fullSummary.p50 - withoutMetricsSummary.p50) * 1000) / 1000,
        target: TARGET_CHAIN_RATIO,
        meetsTarget: ratioP50 <= TARGET_CHAIN_RATIO,
      },
      inProcess: {
        full: inProcessSummary,
        ratioP50: inProcessRatio,
        target: TARGET_IN_PROCESS_RATIO,
        meetsTarget: inProcessRatio <= TARGET_IN_PROCESS_RATIO,
      },
    };
    if (!extras) return result;

    // csv vs libsvm on the median-length review, full chain both, interleaved.
    const byLength = [...reviews].sort((a, b) => a.length - b.length);
    const medianReview = byLength[byLength.length >> 1] as string;
    const libsvmChain = fullChain(client, vocabulary, { payloadFormat: 'libsvm' }) as unknown as Invoke;
    for (let i = 0; i < 50; i++) await timed(libsvmChain, textEvent(medianReview));
    const formatRun = await interleave([full, libsvmChain], () => textEvent(medianReview), quick ? 6 : 40, blockSize);
    const csvBytes = Buffer.byteLength(payloadEncoderFor(vocabulary, 'csv').encode([medianReview]).body);
    const libsvmBytes = Buffer.byteLength(payloadEncoderFor(vocabulary, 'libsvm').encode([medianReview]).body);
    const csvLatency = summarize(formatRun.samples[0] as number[]);
    const libsvmLatency = summarize(formatRun.samples[1] as number[]);

    // 50 reviews in one JSON call vs the same 50 as sequential text/plain calls, interleaved per round.
    const size = 50;
    const batchReviews = reviews.slice(0, size);
    const batchRounds = quick ? 4 : 30;
    const batchTimes: number[] = [];
    const singleTimes: number[] = [];
    const oneBatch = async (): Promise<number> => timed(full, batchEvent(batchReviews));
    const fiftySingles = async (): Promise<number> => {
      const start = process.hrtime.bigint();
      for (const review of batchReviews) await timed(full, textEvent(review));
      return elapsedMs(start);
    };
    await oneBatch();
    await fiftySingles();
    for (let r = 0; r < batchRounds; r++) {
      if (r % 2 === 0) {
        batchTimes.push(await oneBatch());
        singleTimes.push(await fiftySingles());
      } else {
        singleTimes.push(await fiftySingles());
        batchTimes.push(await oneBatch());
      }
    }
    const batchMs = median(batchTimes);
    const singlesMs = median(singleTimes);
    const round3 = (value: number): number => Math.round(value * 1000) / 1000;

    return {
      ...result,
      formats: {
        reviewChars: medianReview.length,
        csv: { bytes: csvBytes, latency: csvLatency },
        libsvm: { bytes: libsvmBytes, latency: libsvmLatency },
        bytesRatio: ratio(libsvmBytes, csvBytes),
        p50Ratio: ratio(libsvmLatency.p50, csvLatency.p50),
      },
      batch: {
        size,
        rounds: batchRounds,
        payloadBytes: Buffer.byteLength(payloadEncoderFor(vocabulary, 'csv').encode(batchReviews).body),
        batchMs: round3(batchMs),
        singlesMs: round3(singlesMs),
        speedup: ratio(singlesMs, batchMs),
        batchPerReviewMs: round3(batchMs / size),
        singlePerReviewMs: round3(singlesMs / size),
      },
    };
  } finally {
    await endpoint.close();
  }
}

const ms = (value: number): string => `${value.toFixed(3)} ms`;

/** The human-readable summary `bench:warm` and `bench` print. */
export function formatWarmPath(result: WarmPathResult): string {
  const { chain, formats, batch } = result;
  const row = (name: string, s: LatencySummary) =>
    `  ${name.padEnd(12)} p50 ${ms(s.p50).padStart(10)}  p99 ${ms(s.p99).padStart(10)}  ${String(s.requestsPerSecond).padStart(6)} req/s  (${s.samples} requests)`;
  const lines = [
    `Warm path (${result.vocabularySize}-word vocabulary, ${result.quick ? 'quick' : 'full'} run; ${result.design})`,
    row('full chain', chain.full),
    row('bare', chain.bare),
    row('no metrics', chain.withoutMetrics),
    `  without metrics ${chain.withoutMetricsRatioP50.toFixed(3)}x bare at p50; the metrics add ${ms(chain.metricsP50Ms)} p50`,
    `  ratio p50 ${chain.ratioP50.toFixed(3)}x (block medians ${chain.ratioBlockMedian.toFixed(3)}x), p99 ${chain.ratioP99.toFixed(3)}x; ` +
      `overhead ${ms(chain.overheadP50Ms)} p50; target <= ${chain.target}x: ${chain.meetsTarget ? 'met' : 'NOT met'}`,
    row('in process', result.inProcess.full),
    `  the model in the function: ${result.inProcess.ratioP50.toFixed(3)}x the bare SageMaker handler at p50; ` +
      `target <= ${result.inProcess.target}x: ${result.inProcess.meetsTarget ? 'met' : 'NOT met'}`,
  ];
  if (formats !== undefined) {
    lines.push(
      `Median review (${formats.reviewChars} chars): csv ${formats.csv.bytes} B, p50 ${ms(formats.csv.latency.p50)}; ` +
        `libsvm ${formats.libsvm.bytes} B (${formats.bytesRatio.toFixed(3)}x), p50 ${ms(formats.libsvm.latency.p50)} (${formats.p50Ratio.toFixed(3)}x)`,
    );
  }
  if (batch !== undefined) {
    lines.push(
      `Batch of ${batch.size} (${batch.payloadBytes} B csv): one call ${ms(batch.batchMs)} (${ms(batch.batchPerReviewMs)}/review) vs ` +
        `${batch.size} single calls ${ms(batch.singlesMs)} (${ms(batch.singlePerReviewMs)}/review): ${batch.speedup.toFixed(2)}x faster batched`,
    );
  }
  return lines.join('\n');
}

if (import.meta.main) {
  const result = await runWarmPathBenchmark({ quick: process.argv.includes('--quick') });
  console.log(formatWarmPath(result));
  const { curve: _full, ...fullRest } = result.chain.full;
  const { curve: _bare, ...bareRest } = result.chain.bare;
  const { curve: _without, ...withoutRest } = result.chain.withoutMetrics;
  const { curve: _inProcess, ...inProcessRest } = result.inProcess.full;
  const chain = { ...result.chain, full: fullRest, bare: bareRest, withoutMetrics: withoutRest };
  const inProcess = { ...result.inProcess, full: inProcessRest };
  console.log(JSON.stringify({ ...result, chain, inProcess }, null, 2));
}
