/**
 * The measured "Lambda" of the memory benchmark (bench/memory.ts starts it with `--expose-gc`): plain
 * JavaScript, so no TypeScript stripping runs in it, importing only the built handler
 * (dist/lambda/index.mjs, configured from the environment as in Lambda) and the review texts.
 *
 * Env: HANDLER_PATH, BENCH_REVIEWS (JSON array of strings), BENCH_INVOCATIONS, BENCH_REPORT (where to
 * write the raw measurements, as JSON), plus the handler's own (SAGEMAKER_ENDPOINT_NAME, VOCABULARY_SOURCE,
 * AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME, ...).
 */
import { readFileSync, writeFileSync } from 'node:fs';

const MB = 1024 * 1024;
const round2 = (value) => Math.round(value * 100) / 100;
const invocations = Number(process.env.BENCH_INVOCATIONS);
const reviews = JSON.parse(readFileSync(process.env.BENCH_REVIEWS, 'utf8'));
const { handler } = await import(process.env.HANDLER_PATH);
const gc = globalThis.gc;
const collect = () => {
  gc?.();
  gc?.();
};

// The original page's request (REST API event, text/plain) and a Lambda context, fresh per invocation.
const event = (body) => ({
  resource: '/',
  path: '/',
  httpMethod: 'POST',
  headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
  multiValueHeaders: { 'Content-Type': ['text/plain;charset=UTF-8'] },
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  pathParameters: null,
  stageVariables: null,
  body,
  isBase64Encoded: false,
  requestContext: { httpMethod: 'POST', path: '/prod/', stage: 'prod', requestId: 'bench' },
});
const context = (i) => {
  const deadline = Date.now() + 10_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'sentiment-lambda',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:sentiment-lambda',
    memoryLimitInMB: '128',
    awsRequestId: `mem-${i}`,
    logGroupName: '/aws/lambda/sentiment-lambda',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
};
const sample = (invocation) => {
  const usage = process.memoryUsage();
  return {
    invocation,
    rssMB: round2(usage.rss / MB),
    heapUsedMB: round2(usage.heapUsed / MB),
    heapTotalMB: round2(usage.heapTotal / MB),
    externalMB: round2(usage.external / MB),
  };
};

// Growth is measured from here: invocation 2,000, or half way in a shorter run.
const warmupInvocation = Math.min(2000, Math.round(invocations / 2));
const afterGc = [];
let peakSampledRss = 0;
let peakHeap = 0;
let vocabularySize = 0;
const started = process.hrtime.bigint();
for (let i = 0; i <= invocations; i++) {
  if (i === 0 || i === warmupInvocation || (i > warmupInvocation && i % 2000 === 0) || i === invocations) {
    collect();
    afterGc.push(sample(i));
  }
  if (i % 100 === 0) {
    const usage = process.memoryUsage();
    peakSampledRss = Math.max(peakSampledRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }
  if (i === invocations) break;
  const ctx = context(i);
  const response = await handler(event(reviews[i % reviews.length]), ctx);
  if (response.statusCode !== 200) throw new Error(`invocation ${i}: ${response.statusCode} ${response.body}`);
  if (i === 0) vocabularySize = ctx.vocabulary?.size ?? 0;
}
const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
let kernelPeakMB;
try {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  if (match !== null) kernelPeakMB = round2(Number(match[1]) / 1024);
} catch {
  // not Linux: the sampled peak is used
}
writeFileSync(
  process.env.BENCH_REPORT,
  `${JSON.stringify({
    invocations,
    vocabularySize,
    distinctReviews: reviews.length,
    warmupInvocation,
    exposeGc: gc !== undefined,
    kernelPeakMB,
    peakSampledRssMB: round2(peakSampledRss / MB),
    peakHeapUsedMB: round2(peakHeap / MB),
    afterGc,
    elapsedSeconds: round2(elapsedSeconds),
  })}\n`,
);
