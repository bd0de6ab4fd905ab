/**
 * The vocabulary from a real S3-compatible server (s3rver on loopback), read by the real S3 SDK inside
 * the real pipeline (`createHandler`), which calls the local SageMaker endpoint. Covers the first load,
 * a missing object or bucket, a slow server (within and past the request's deadline), malformed JSON,
 * a replaced object picked up after `cacheExpiry`, an unchanged object not downloaded again (304), and a
 * server that is down at cold start and comes back: 503 first, then recovery without a new handler.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { clearCache } from '@middy/util';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EndpointServer, startEndpointServer } from '../../local/endpoint/server.ts';
import { LinearModel } from '../../local/model/model.ts';
import { VOCABULARY_UNAVAILABLE_MESSAGE, type VocabularyMiddlewareOptions } from '../../middlewares/vocabulary.ts';
import { createHandler } from '../../src/pipeline.ts';
import { lambdaContext } from '../../src/testing/events.ts';
import { freePort, until } from '../helpers/net.ts';
import { captureOutput, headerOf, type OutputCapture, pageRequest } from '../helpers/pipeline.ts';
import { type S3TestServer, s3ClientOptions, startS3Server, startTcpProxy, type TcpProxy } from './s3-server.ts';

const BUCKET = 'vocab-bucket';
const ENDPOINT = 'tiny-model';
/** Columns the model gives weight; filler columns make the object big enough to see a download. */
const FILLER = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`filler${i}`, i + 5]));
/** `good` is column 0 (positive weight): "good" is classified 1. */
const VOCABULARY_A = { good: 0, great: 1, bad: 2, boring: 3, movie: 4, ...FILLER };
/** `good` and `bad` swapped: "good" now lands in the negative column and is classified 0. */
const VOCABULARY_B = { bad: 0, great: 1, good: 2, boring: 3, movie: 4, ...FILLER };
const TEXT_A = JSON.stringify(VOCABULARY_A);
const TEXT_B = JSON.stringify(VOCABULARY_B);

let endpoint: EndpointServer;
let s3: S3TestServer;
let output: OutputCapture;
let keys = 0;

/** A key no other test uses, so each test has its own cache entry (the cache key derives from the source). */
const freshKey = (name: string): string => `vocabularies/${++keys}-${name}.json`;

/** Where a test's handler reads its vocabulary from. */
interface VocabularySetup {
  /** Default: s3rver directly. */
  s3Url?: string;
  /** Default {@link BUCKET}. */
  bucket?: string;
  cacheExpiry?: VocabularyMiddlewareOptions['cacheExpiry'];
}

function newHandler(key: string, { s3Url = s3.url, bucket = BUCKET, cacheExpiry }: VocabularySetup = {}) {
  return createHandler({
    endpointName: ENDPOINT,
    vocabulary: { source: `s3://${bucket}/${key}`, awsClientOptions: s3ClientOptions(s3Url), cacheExpiry },
    clientConfig: {
      endpoint: endpoint.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    },
    logger: new Logger({ serviceName: 's3-vocabulary-test', logLevel: 'INFO' }),
  });
}

type Handler = ReturnType<typeof newHandler>;

/** Classifies `review` as the original page would send it. */
async function classify(handler: Handler, review = 'good', remainingTimeMs = 10_000): Promise<APIGatewayProxyResult> {
  return (await handler(pageRequest(review), lambdaContext({ remainingTimeMs }))) as APIGatewayProxyResult;
}

/** The GETs s3rver answered for `key`. */
const getsOf = (key: string, bucket = BUCKET) =>
  s3.requests.filter((request) => request.method === 'GET' && request.path === `/${bucket}/${key}`);

function expectUnavailable(reply: APIGatewayProxyResult): void {
  expect(reply.statusCode).toBe(503);
  expect(reply.body).toBe(VOCABULARY_UNAVAILABLE_MESSAGE);
  expect(Number(headerOf(reply, 'Retry-After'))).toBeGreaterThan(0);
  expect(headerOf(reply, 'Access-Control-Allow-Origin')).toBe('*');
}

/** The request log line of the last failed request. */
function lastFailure(): Record<string, unknown> | undefined {
  return output
    .requestLines()
    .filter((line) => line.message === 'request failed')
    .at(-1);
}

beforeAll(async () => {
  const weights = Array.from({ length: 5 + 2000 }, (_, i) => [2, 2, -2, -2, 0][i] ?? 0);
  const model = new LinearModel({
    name: 'tiny',
    description: 'five words and filler',
    vocabulary: VOCABULARY_A,
    weights,
    bias: 0,
  });
  endpoint = await startEndpointServer({ port: 0, models: { [ENDPOINT]: model } });
  s3 = await startS3Server({ buckets: [BUCKET] });
});

afterAll(async () => {
  await s3?.close();
  await endpoint?.close();
});

beforeEach(() => {
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  // Drops every cached vocabulary and cancels Middy's refresh timers.
  clearCache();
});

describe('vocabulary from a real S3-compatible server (s3rver)', () => {
  it('first load: downloads the object once, at init, and classifies with it', async () => {
    // Prepare
    const key = freshKey('first');
    await s3.putObject(BUCKET, key, TEXT_A);
    const handler = newHandler(key);

    // Act
    const positive = await classify(handler, 'good');
    const negative = await classify(handler, 'bad boring');

    // Assess
    expect(positive.statusCode).toBe(200);
    expect(positive.body).toBe('1');
    expect(negative.statusCode).toBe(200);
    expect(negative.body).toBe('0');
    expect(getsOf(key)).toHaveLength(1);
    expect(getsOf(key)[0]?.status).toBe(200);
  });

  it('object missing: 503 with the vocabulary-unavailable message, then recovery once it is put (same handler)', async () => {
    // Prepare
    const key = freshKey('missing');
    const handler = newHandler(key);
    const prefetched = await until(() => getsOf(key).length === 1);

    // Act: the prefetch failed; the request tries again (errors are not cached) and fails too.
    const before = await classify(handler);
    await s3.putObject(BUCKET, key, TEXT_A);
    const after = await classify(handler);

    // Assess
    expect(prefetched).toBe(true);
    expectUnavailable(before);
    expect(lastFailure()).toMatchObject({ status: 503, cause: 'NoSuchKey' });
    expect(after.statusCode).toBe(200);
    expect(after.body).toBe('1');
    expect(getsOf(key).map((request) => request.status)).toEqual([404, 404, 200]);
  });

  it('bucket missing: 503, then recovery once the bucket and object exist', async () => {
    // Prepare
    const bucket = `no-such-bucket-${++keys}`;
    const key = 'vocabulary.json';
    const handler = newHandler(key, { bucket });

    // Act
    const before = await classify(handler);
    await s3.createBucket(bucket);
    await s3.putObject(bucket, key, TEXT_A);
    const after = await classify(handler);

    // Assess
    expectUnavailable(before);
    expect(lastFailure()).toMatchObject({ status: 503, cause: 'NoSuchBucket' });
    expect(after.statusCode).toBe(200);
    expect(after.body).toBe('1');
  });

  it('malformed JSON: 503, the log names the problem and the response does not; a fixed object is then used', async () => {
    // Prepare
    const key = freshKey('malformed');
    await s3.putObject(BUCKET, key, '{"good": 0, "great": ');
    const handler = newHandler(key);

    // Act
    const broken = await classify(handler);
    const logged = lastFailure();
    await s3.putObject(BUCKET, key, TEXT_A);
    const fixed = await classify(handler);

    // Assess
    expectUnavailable(broken);
    expect(logged).toMatchObject({ cause: 'VocabularyError', causeMessage: expect.stringMatching(/not valid JSON/) });
    expect(broken.body).not.toMatch(/JSON|VocabularyError|s3:|vocab-bucket/);
    expect(fixed.statusCode).toBe(200);
    expect(fixed.body).toBe('1');
  });

  it('object replaced: with cacheExpiry the refresh picks up the new object (conditional GET answered 200)', async () => {
    // Prepare
    const key = freshKey('replaced');
    const etagA = await s3.putObject(BUCKET, key, TEXT_A);
    const handler = newHandler(key, { cacheExpiry: 300 });
    const first = await classify(handler);

    // Act
    const etagB = await s3.putObject(BUCKET, key, TEXT_B);
    const rightAfter = await classify(handler);
    const switched = await until(async () => (await classify(handler)).body === '0');

    // Assess
    expect(first.body).toBe('1');
    expect(rightAfter.body).toBe('1'); // cached until it expires
    expect(switched).toBe(true);
    expect(etagB).not.toBe(etagA);
    const refresh = getsOf(key).find((request) => request.ifNoneMatch === etagA && request.status === 200);
    expect(refresh?.bodyBytes).toBe(Buffer.byteLength(TEXT_B));
  });

  it('unchanged object: the refresh gets a 304 and no body, and the vocabulary keeps serving', async () => {
    // Prepare
    const key = freshKey('unchanged');
    const etag = await s3.putObject(BUCKET, key, TEXT_A);
    const proxy = await startTcpProxy(s3.port);
    try {
      const handler = newHandler(key, { cacheExpiry: 200, s3Url: proxy.url });
      const first = await classify(handler);
      const bytesAfterLoad = proxy.bytesToClient;

      // Act
      // Traffic keeps coming, as in production: a refresh also restarts after a failed one.
      const refreshed = await until(async () => {
        await classify(handler);
        return getsOf(key).filter((request) => request.status === 304).length >= 2;
      });
      const later = await classify(handler);

      // Assess
      expect(first.body).toBe('1');
      expect(refreshed).toBe(true);
      const [load, ...refreshes] = getsOf(key);
      expect(load).toMatchObject({ status: 200, ifNoneMatch: undefined, bodyBytes: Buffer.byteLength(TEXT_A) });
      for (const refresh of refreshes) expect(refresh).toMatchObject({ status: 304, ifNoneMatch: etag, bodyBytes: 0 });
      // What crossed the wire for all the refreshes together: headers only, far less than one object.
      expect(bytesAfterLoad).toBeGreaterThan(Buffer.byteLength(TEXT_A));
      expect(proxy.bytesToClient - bytesAfterLoad).toBeLessThan(Buffer.byteLength(TEXT_A) / 10);
      expect(later.statusCode).toBe(200);
      expect(later.body).toBe('1');
    } finally {
      await proxy.close();
    }
  });

  describe('a slow server', () => {
    let proxy: TcpProxy;

    beforeAll(async () => {
      proxy = await startTcpProxy(s3.port);
    });

    afterAll(async () => {
      await proxy?.close();
    });

    it('slower than usual but within the deadline: the first request waits for the load and succeeds', async () => {
      // Prepare
      const key = freshKey('slow');
      await s3.putObject(BUCKET, key, TEXT_A);
      proxy.latencyMs = 300;
      const started = performance.now();
      const handler = newHandler(key, { s3Url: proxy.url });

      // Act
      const reply = await classify(handler);
      const elapsed = performance.now() - started;

      // Assess
      expect(reply.statusCode).toBe(200);
      expect(reply.body).toBe('1');
      expect(elapsed).toBeGreaterThanOrEqual(290);
    });

    it('slower than the deadline: 503 before the Lambda timeout, and the load, once done, serves the next request', async () => {
      // Prepare: 1 s left, 500 ms kept back, S3 answers after 1.5 s.
      const key = freshKey('too-slow');
      await s3.putObject(BUCKET, key, TEXT_A);
      proxy.latencyMs = 1500;
      const handler = newHandler(key, { s3Url: proxy.url });
      const started = performance.now();

      // Act
      const late = await classify(handler, 'good', 1000);
      const elapsed = performance.now() - started;
      const loaded = await until(() => getsOf(key).some((request) => request.status === 200));
      proxy.latencyMs = 0;
      const next = await classify(handler);

      // Assess
      expectUnavailable(late);
      expect(elapsed).toBeLessThan(1000);
      expect(lastFailure()).toMatchObject({ status: 503, cause: 'TimeoutError' });
      expect(loaded).toBe(true);
      expect(next.statusCode).toBe(200);
      expect(next.body).toBe('1');
      expect(getsOf(key)).toHaveLength(1); // the slow load was reused, not started again
    });
  });

  it('server down at cold start, then back: 503, then recovery without recreating the handler', async () => {
    // Prepare
    const port = await freePort();
    const key = freshKey('down');
    const handler = newHandler(key, { s3Url: `http://127.0.0.1:${port}` });

    // Act
    const down = await classify(handler);
    const later = await startS3Server({ port, buckets: [BUCKET] });
    try {
      await later.putObject(BUCKET, key, TEXT_A);
      const up = await classify(handler);

      // Assess
      expectUnavailable(down);
      expect(lastFailure()?.causeMessage).toMatch(/ECONNREFUSED/);
      expect(up.statusCode).toBe(200);
      expect(up.body).toBe('1');
      expect(later.requests.filter((request) => request.method === 'GET')).toHaveLength(1);
    } finally {
      await later.close();
    }
  });
});
