/**
 * vocabularyMiddleware: where the vocabulary comes from (file, inline, S3), when it is loaded (prefetch
 * at creation), how long it is kept (cacheExpiry, ETag-conditional refresh that keeps serving the old
 * one), and what a request gets when none can be loaded (503, the cause in the log only).
 */
import { unlinkSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { GetObjectCommand, type GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import middy from '@middy/core';
import { clearCache, getCache } from '@middy/util';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { type ReviewRequest, type ReviewRequestContext, reviewRequest } from '../../middlewares/review-request.ts';
import {
  VOCABULARY_UNAVAILABLE_MESSAGE,
  type VocabularyContext,
  type VocabularyMiddlewareOptions,
  vocabularyMiddleware,
} from '../../middlewares/vocabulary.ts';
import { Vocabulary } from '../../src/encoder/vocabulary.ts';
import { lambdaContext, restApiEvent } from '../../src/testing/events.ts';
import {
  flushPromises,
  headerOf,
  modelReply,
  TINY_VOCABULARY,
  tempDir,
  tinyRow,
  usePipelineHarness,
} from '../helpers/pipeline.ts';
import { noSuchKey, notModified, s3Object } from '../helpers/s3-replies.ts';

const s3 = mockClient(S3Client);
const S3_SOURCE = 's3://vocab-bucket/models/vocabulary.json';
const { sageMaker, newHandler: newPipelineHandler, output, sentBodies } = usePipelineHarness();
let temp: ReturnType<typeof tempDir>;

/** A tiny chain that answers the column of `word`, so a test sees which vocabulary a request used. */
function columnOf(word: string, options: VocabularyMiddlewareOptions) {
  return middy()
    .use(vocabularyMiddleware({ awsClientOptions: { region: 'us-east-1' }, ...options }))
    .handler(async (_event, context) => context.vocabulary.indexOf(word) ?? null);
}

/**
 * A Lambda context for a chain composed with the middleware: Middy types the chain's context as what the
 * middlewares add (`context.vocabulary`), which Lambda's own context lacks until the middleware runs.
 */
const context = () => lambdaContext() as Context & VocabularyContext;

/** Runs pending callbacks until `condition` holds (real setImmediate, so it works with fake timers). */
async function until(condition: () => boolean, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds && !condition(); i++) await flushPromises(1);
  expect(condition()).toBe(true);
}

const getObjectCalls = () => s3.commandCalls(GetObjectCommand);

beforeEach(() => {
  s3.reset();
  temp = tempDir();
});

afterEach(() => {
  vi.useRealTimers();
  clearCache();
  temp.cleanup();
});

describe('sources', () => {
  it('loads a JSON file given by path', async () => {
    // Prepare
    const path = temp.write('vocabulary.json', JSON.stringify({ alpha: 0, beta: 1 }));
    const handler = columnOf('beta', { source: path });

    // Act
    const column = await handler({}, context());

    // Assess
    expect(column).toBe(1);
  });

  it('loads a file:// URL', async () => {
    // Prepare
    const path = temp.write('vocabulary.json', JSON.stringify({ alpha: 0, beta: 1 }));
    const handler = columnOf('alpha', { source: pathToFileURL(path) });

    // Act
    const column = await handler({}, context());

    // Assess
    expect(column).toBe(0);
  });

  it('resolves a relative path against LAMBDA_TASK_ROOT, the function root', async () => {
    // Prepare
    temp.write('bundled.json', JSON.stringify({ alpha: 0, beta: 1, gamma: 2 }));
    vi.stubEnv('LAMBDA_TASK_ROOT', temp.dir);
    const handler = columnOf('gamma', { source: 'bundled.json', cacheKey: 'relative-path-test' });
    vi.unstubAllEnvs();

    // Act
    const column = await handler({}, context());

    // Assess
    expect(column).toBe(2);
  });

  it('uses an inline {word: index} object, where constructor and __proto__ are ordinary words', async () => {
    // Prepare
    const inline = JSON.parse('{"good": 0, "constructor": 1, "__proto__": 2}') as Record<string, number>;
    const handler = middy()
      .use(vocabularyMiddleware({ source: inline }))
      .handler(async (_event, context) =>
        ['__proto__', 'constructor', 'toString'].map((w) => context.vocabulary.indexOf(w)),
      );

    // Act
    const columns = await handler({}, context());

    // Assess
    expect(columns).toEqual([2, 1, undefined]);
  });

  it('uses a Vocabulary instance as it is', async () => {
    // Prepare
    const vocabulary = new Vocabulary(TINY_VOCABULARY);
    const handler = middy()
      .use(vocabularyMiddleware({ source: vocabulary }))
      .handler(async (_event, context) => context.vocabulary);

    // Act
    const used = await handler({}, context());

    // Assess
    expect(used).toBe(vocabulary);
  });

  it('loads an s3://bucket/key object with GetObject', async () => {
    // Prepare
    s3.on(GetObjectCommand).resolves(s3Object({ alpha: 0, beta: 1 }, '"etag-1"'));
    const handler = columnOf('beta', { source: S3_SOURCE });

    // Act
    const column = await handler({}, context());

    // Assess
    expect(column).toBe(1);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'vocab-bucket', Key: 'models/vocabulary.json' });
  });

  it('refuses a missing source and an unsupported URL scheme at creation', () => {
    // Act
    const missing = () => vocabularyMiddleware({ source: '' });
    const https = () => vocabularyMiddleware({ source: 'https://example.com/vocabulary.json' });

    // Assess
    expect(missing).toThrow(/Option 'source' must be a file path, .* got an empty string/);
    expect(https).toThrow(/Option 'source' "https:\/\/example\.com\/vocabulary\.json" is not supported/);
  });
});

describe('prefetch and cache', () => {
  it('starts the S3 fetch at creation, before the first request', async () => {
    // Prepare
    s3.on(GetObjectCommand).resolves(s3Object({ alpha: 0 }, '"etag-1"'));

    // Act
    columnOf('alpha', { source: S3_SOURCE });
    await until(() => getObjectCalls().length === 1);

    // Assess
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
  });

  it('reads the file at creation: the request succeeds after the file is gone', async () => {
    // Prepare
    const path = temp.write('vocabulary.json', JSON.stringify({ alpha: 0, beta: 1 }));
    const handler = columnOf('beta', { source: path });
    // The prefetch started at creation; wait for that load itself (the cached promise), not for a guess of ticks.
    await (getCache(`vocabulary:${path}`) as { value: { vocabulary: Promise<unknown> } }).value.vocabulary;
    unlinkSync(path);

    // Act
    const column = await handler({}, context());

    // Assess
    expect(column).toBe(1);
  });

  it('does not fetch before the first request with disablePrefetch', async () => {
    // Prepare
    s3.on(GetObjectCommand).resolves(s3Object({ alpha: 0 }, '"etag-1"'));
    const handler = columnOf('alpha', { source: S3_SOURCE, disablePrefetch: true });
    await flushPromises(20);
    const beforeRequest = getObjectCalls().length;

    // Act
    const column = await handler({}, context());

    // Assess
    expect(beforeRequest).toBe(0);
    expect(column).toBe(0);
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
  });

  it('loads once for many requests with cacheExpiry -1 (the default)', async () => {
    // Prepare
    s3.on(GetObjectCommand).resolves(s3Object({ alpha: 0 }, '"etag-1"'));
    const handler = columnOf('alpha', { source: S3_SOURCE, cacheExpiry: -1 });

    // Act
    const columns: unknown[] = [];
    for (let i = 0; i < 5; i++) columns.push(await handler({}, context()));

    // Assess
    expect(columns).toEqual([0, 0, 0, 0, 0]);
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
  });

  it('loads on every request with cacheExpiry 0', async () => {
    // Prepare
    s3.on(GetObjectCommand).resolves(s3Object({ alpha: 0 }, '"etag-1"'));
    const handler = columnOf('alpha', { source: S3_SOURCE, cacheExpiry: 0 });

    // Act
    await handler({}, context());
    await handler({}, context());

    // Assess
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 2);
  });

  it('refreshes after cacheExpiry with IfNoneMatch, and keeps the vocabulary on 304 Not Modified', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    s3.on(GetObjectCommand)
      .resolvesOnce(s3Object({ alpha: 0, beta: 1 }, '"etag-1"'))
      .rejectsOnce(notModified());
    const handler = columnOf('beta', { source: S3_SOURCE, cacheExpiry: 60_000 });
    expect(await handler({}, context())).toBe(1);

    // Act
    vi.advanceTimersByTime(60_001);
    await until(() => getObjectCalls().length === 2);
    await flushPromises();
    const afterRefresh = await handler({}, context());

    // Assess
    expect(getObjectCalls()[0]?.args[0].input.IfNoneMatch).toBeUndefined();
    expect(s3).toHaveReceivedNthCommandWith(GetObjectCommand, 2, { IfNoneMatch: '"etag-1"' });
    expect(afterRefresh).toBe(1);
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 2);
  });

  it('picks up a changed object at the refresh and sends its new ETag next time', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    s3.on(GetObjectCommand)
      .resolvesOnce(s3Object({ alpha: 0, beta: 1 }, '"etag-1"'))
      .resolvesOnce(s3Object({ beta: 0, alpha: 1 }, '"etag-2"'))
      .rejects(notModified());
    const handler = columnOf('beta', { source: S3_SOURCE, cacheExpiry: 60_000 });
    const before = await handler({}, context());

    // Act
    vi.advanceTimersByTime(60_001);
    await until(() => getObjectCalls().length === 2);
    await flushPromises();
    const after = await handler({}, context());
    vi.advanceTimersByTime(60_001);
    await until(() => getObjectCalls().length === 3);

    // Assess
    expect(before).toBe(1);
    expect(after).toBe(0);
    expect(s3).toHaveReceivedNthCommandWith(GetObjectCommand, 3, { IfNoneMatch: '"etag-2"' });
  });

  it('keeps serving the old vocabulary while the refresh is in flight', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let finishRefresh: (value: GetObjectCommandOutput) => void = () => undefined;
    s3.on(GetObjectCommand)
      .resolvesOnce(s3Object({ alpha: 0, beta: 1 }, '"etag-1"'))
      .callsFakeOnce(() => new Promise<GetObjectCommandOutput>((resolve) => (finishRefresh = resolve)));
    const handler = columnOf('beta', { source: S3_SOURCE, cacheExpiry: 60_000 });
    await handler({}, context());
    vi.advanceTimersByTime(60_001);
    await until(() => getObjectCalls().length === 2);

    // Act
    const during = await handler({}, context());
    finishRefresh(s3Object({ beta: 0, alpha: 1 }, '"etag-2"'));
    await flushPromises();
    const after = await handler({}, context());

    // Assess
    expect(during).toBe(1);
    expect(after).toBe(0);
  });

  it('keeps the old vocabulary and warns when a refresh fails', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const logger = { warn: vi.fn() };
    s3.on(GetObjectCommand)
      .resolvesOnce(s3Object({ alpha: 0, beta: 1 }, '"etag-1"'))
      .rejectsOnce(noSuchKey())
      .resolves(s3Object({ beta: 0, alpha: 1 }, '"etag-2"'));
    const handler = columnOf('beta', { source: S3_SOURCE, cacheExpiry: 60_000, logger });
    await handler({}, context());

    // Act
    vi.advanceTimersByTime(60_001);
    await until(() => getObjectCalls().length === 2);
    await flushPromises();
    const whileBroken = await handler({}, context());
    vi.advanceTimersByTime(1_000); // the refresh's backoff after one failure
    await handler({}, context());
    await until(() => getObjectCalls().length === 3);
    await flushPromises();
    const repaired = await handler({}, context());

    // Assess
    expect(whileBroken).toBe(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/refresh failed/), expect.any(Error));
    expect(repaired).toBe(0);
  });

  it('calls onLoad once per newly loaded vocabulary, at the prefetch, not per request nor on a 304', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const onLoad = vi.fn();
    s3.on(GetObjectCommand)
      .resolvesOnce(s3Object({ alpha: 0, beta: 1 }, '"etag-1"'))
      .rejectsOnce(notModified())
      .resolves(s3Object({ beta: 0, alpha: 1 }, '"etag-2"'));
    const handler = columnOf('beta', { source: S3_SOURCE, cacheExpiry: 60_000, onLoad });
    await until(() => onLoad.mock.calls.length === 1);
    const atPrefetch = onLoad.mock.calls.length;

    // Act
    for (let i = 0; i < 3; i++) await handler({}, context());
    vi.advanceTimersByTime(60_001);
    await handler({}, context()); // refresh answered 304
    await until(() => getObjectCalls().length === 2);
    await flushPromises();
    const afterNotModified = onLoad.mock.calls.length;
    vi.advanceTimersByTime(60_001);
    await handler({}, context()); // refresh with a changed object
    await until(() => getObjectCalls().length === 3);
    await flushPromises();

    // Assess
    expect(atPrefetch).toBe(1);
    expect(afterNotModified).toBe(1);
    expect(onLoad).toHaveBeenCalledTimes(2);
    expect(onLoad.mock.calls[1]?.[0].indexOf('beta')).toBe(0);
  });

  it('counts a load whose onLoad throws as failed: 503, then a retry', async () => {
    // Prepare
    const onLoad = vi.fn().mockImplementationOnce(() => {
      throw new Error('encoder set-up failed');
    });
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.9\n'));
    const handler = newPipelineHandler({ vocabulary: { source: { good: 0, bad: 1 }, onLoad } });

    // Act
    const first = await handler(restApiEvent({ body: 'good' }), lambdaContext());
    const second = await handler(restApiEvent({ body: 'good' }), lambdaContext());

    // Assess
    expect(first.statusCode).toBe(503);
    expect(second).toMatchObject({ statusCode: 200, body: '1' });
    expect(onLoad).toHaveBeenCalledTimes(2);
  });

  it('backs off after a failed refresh instead of asking the source on every request', async () => {
    // Prepare: the first load works, then the source stays down.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const logger = { warn: vi.fn() };
    s3.on(GetObjectCommand)
      .resolvesOnce(s3Object({ alpha: 0, beta: 1 }, '"etag-1"'))
      .rejects(noSuchKey());
    const handler = columnOf('beta', { source: S3_SOURCE, cacheExpiry: 60_000, logger });
    await handler({}, context());
    vi.advanceTimersByTime(60_001);
    await handler({}, context());
    await until(() => getObjectCalls().length === 2);
    await flushPromises();

    // Act: many requests inside the first backoff (1 s), then past it, then inside the doubled one (2 s).
    const answers: number[] = [];
    for (let i = 0; i < 20; i++) answers.push(await handler({}, context()));
    const duringFirstBackoff = getObjectCalls().length;
    vi.advanceTimersByTime(1_001);
    answers.push(await handler({}, context()));
    await until(() => getObjectCalls().length === 3);
    await flushPromises();
    vi.advanceTimersByTime(1_500);
    answers.push(await handler({}, context()));
    await flushPromises();
    const duringSecondBackoff = getObjectCalls().length;

    // Assess: the old vocabulary answered throughout; the source was asked once per backoff.
    expect(answers.every((column) => column === 1)).toBe(true);
    expect(duringFirstBackoff).toBe(2);
    expect(duringSecondBackoff).toBe(3);
    expect(logger.warn).toHaveBeenLastCalledWith(expect.stringMatching(/next attempt in 2000 ms/), expect.any(Error));
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a negative refreshBackoffMs', { refreshBackoffMs: -1 }, "Option 'refreshBackoffMs' must be >= 0"],
    ['a cacheExpiry below -1', { cacheExpiry: -2 }, "Option 'cacheExpiry' must be >= -1"],
    ['a cacheExpiry in text', { cacheExpiry: '60000' }, "Option 'cacheExpiry' must be integer"],
    // Middy's cache would read it as a timestamp long past, and reload at every request.
    ['a cacheExpiry over a day', { cacheExpiry: 86_400_001 }, "Option 'cacheExpiry' must be <= 86400000"],
    ['a misspelt option', { cacheExpiryMs: 60_000 }, "Unknown option 'cacheExpiryMs'"],
    ['an AwsClient that is no class', { AwsClient: {} }, "Option 'AwsClient' must be instanceof Function"],
    ['a logger without warn', { logger: { info() {} } }, "Option 'logger' must have a warn(message, error) method"],
    ['a number as source', { source: 42 }, "Option 'source' must be a file path"],
  ])('refuses %s at creation, naming the option', (_case, options, message) => {
    // Act
    const create = () => vocabularyMiddleware({ source: { good: 0 }, ...options } as never);

    // Assess
    expect(create).toThrow(TypeError);
    expect(create).toThrow(`vocabularyMiddleware: ${message}`);
  });
});

describe('through createHandler', () => {
  const newHandler = (vocabulary: VocabularyMiddlewareOptions) => newPipelineHandler({ vocabulary });

  it('encodes with the S3 vocabulary, fetched once at creation', async () => {
    // Prepare
    s3.on(GetObjectCommand).resolves(s3Object({ ...TINY_VOCABULARY }, '"etag-1"'));
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.9\n'));
    const handler = newHandler({ source: S3_SOURCE, awsClientOptions: { region: 'us-east-1' } });
    await until(() => getObjectCalls().length === 1);

    // Act
    const first = await handler(restApiEvent({ body: 'good movie' }), context());
    const second = await handler(restApiEvent({ body: 'great movie' }), context());

    // Assess
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
    const bodies = sentBodies();
    expect(bodies).toEqual([tinyRow({ good: 1, movie: 1 }), tinyRow({ great: 1, movie: 1 })]);
  });

  it('does not cache a failed fetch: 503 with Retry-After, then success once the source is fixed', async () => {
    // Prepare
    s3.on(GetObjectCommand)
      .rejectsOnce(noSuchKey())
      .resolves(s3Object({ ...TINY_VOCABULARY }, '"etag-1"'));
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.9\n'));
    const handler = newHandler({ source: S3_SOURCE, awsClientOptions: { region: 'us-east-1' } });

    // Act
    const failed = await handler(restApiEvent({ body: 'good' }), context());
    const next = await handler(restApiEvent({ body: 'good' }), context());

    // Assess
    expect(failed.statusCode).toBe(503);
    expect(failed.body).toBe(VOCABULARY_UNAVAILABLE_MESSAGE);
    expect(Number(headerOf(failed, 'Retry-After'))).toBeGreaterThan(0);
    expect(headerOf(failed, 'Access-Control-Allow-Origin')).toBe('*');
    expect(failed.body).not.toContain('NoSuchKey');
    expect(next.statusCode).toBe(200);
    expect(next.body).toBe('1');
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 2);
  });

  it('does not cache a missing file: the request after the file appears succeeds', async () => {
    // Prepare
    const path = `${temp.dir}/late.json`;
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.9\n'));
    const handler = newHandler({ source: path });

    // Act
    const failed = await handler(restApiEvent({ body: 'good' }), context());
    temp.write('late.json', JSON.stringify(TINY_VOCABULARY));
    const next = await handler(restApiEvent({ body: 'good' }), context());

    // Assess
    expect(failed.statusCode).toBe(503);
    expect(failed.body).toBe(VOCABULARY_UNAVAILABLE_MESSAGE);
    expect(next.statusCode).toBe(200);
  });

  it('answers 503 for an invalid vocabulary and names the bad entry in the log only', async () => {
    // Prepare
    const path = temp.write('duplicate.json', '{"good": 0, "great": 1, "dreadful": 1}');
    const handler = newHandler({ source: path });

    // Act
    const response = await handler(restApiEvent({ body: 'good' }), context());

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.body).toBe(VOCABULARY_UNAVAILABLE_MESSAGE);
    expect(response.body).not.toContain('dreadful');
    expect(sageMaker).not.toHaveReceivedCommand(InvokeEndpointCommand);
    const [line] = output().requestLines();
    expect(line?.status).toBe(503);
    expect(line?.cause).toBe('VocabularyError');
    expect(String(line?.causeMessage)).toMatch(/"dreadful": index 1 is already used by "great"/);
  });
});

describe('types', () => {
  it('gives a handler composed with vocabularyMiddleware a typed context.vocabulary', async () => {
    // Prepare
    const chain = middy().use(vocabularyMiddleware({ source: { ...TINY_VOCABULARY } }));

    // Act
    const handler = chain.handler(async (_event, context) => {
      // Assess (checked by tsc: without the middleware's context type, `context.vocabulary` does not compile)
      expectTypeOf(context.vocabulary).toEqualTypeOf<Vocabulary>();
      expectTypeOf(context.awsRequestId).toEqualTypeOf<string>();
      return context.vocabulary.size;
    });

    // Assess
    expect(await handler({}, context())).toBe(Object.keys(TINY_VOCABULARY).length);
  });

  it('gives a handler composed with reviewRequest a typed context.reviewRequest', async () => {
    // Prepare
    const chain = middy()
      .use(reviewRequest())
      .use(vocabularyMiddleware({ source: { ...TINY_VOCABULARY } }));

    // Act
    const handler = chain.handler(async (_event, context) => {
      // Assess (checked by tsc)
      expectTypeOf(context.reviewRequest).toEqualTypeOf<ReviewRequest>();
      expectTypeOf(context.reviewRequest.shape).toEqualTypeOf<'text' | 'review' | 'reviews'>();
      expectTypeOf(context.reviewRequest.reviews).toEqualTypeOf<readonly string[]>();
      expectTypeOf(context.reviewRequest.explain).toEqualTypeOf<boolean>();
      expectTypeOf(context.vocabulary).toEqualTypeOf<Vocabulary>();
      return context.reviewRequest;
    });

    // Assess
    const event = { ...restApiEvent({ body: 'x' }), body: { reviews: ['good', 'bad'] } };
    expect(await handler(event, context() as Context & VocabularyContext & ReviewRequestContext)).toEqual({
      shape: 'reviews',
      reviews: ['good', 'bad'],
      explain: false,
    });
  });
});
