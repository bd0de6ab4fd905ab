/**
 * vocabularyMiddleware on the edges its main suite does not reach: 304 recognised by status or by name,
 * the request deadline while a load hangs, options given as `undefined`, cache keys of inline sources,
 * the S3 client options. Written from the surviving mutants of `npm run test:mutation`.
 */
import { clearCache } from '@middy/util';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type VocabularyMiddlewareOptions, vocabularyMiddleware } from '../../middlewares/vocabulary.ts';
import type { Vocabulary } from '../../src/encoder/vocabulary.ts';
import { lambdaContext } from '../../src/testing/events.ts';
import { noSuchKey, notModified, s3Object } from '../helpers/s3-replies.ts';

afterEach(() => {
  vi.useRealTimers();
  clearCache();
});

/** Runs the middleware's `before` once: the vocabulary it set, or the error it threw. */
async function runBefore(
  options: VocabularyMiddlewareOptions,
  context: Partial<Context> = lambdaContext(),
  middleware = vocabularyMiddleware(options),
): Promise<{ vocabulary?: Vocabulary; error?: Error & { statusCode?: number; cause?: unknown } }> {
  const request = { event: {}, context: { ...context }, response: undefined, error: undefined, internal: {} };
  try {
    await middleware.before?.(request as never);
    return { vocabulary: (request.context as { vocabulary?: Vocabulary }).vocabulary };
  } catch (error) {
    return { error: error as Error };
  }
}

/** An S3 client class whose `send` answers each call with the next of `replies` (an Error is thrown). */
function fakeS3(replies: Array<unknown>) {
  const configs: unknown[] = [];
  const inputs: Array<Record<string, unknown>> = [];
  class FakeS3 {
    constructor(config: unknown) {
      configs.push(config);
    }
    async send(command: { input: Record<string, unknown> }) {
      inputs.push(command.input);
      const reply = replies.shift();
      if (reply instanceof Error) throw reply;
      if (reply instanceof Promise) return reply;
      return reply;
    }
  }
  return { AwsClient: FakeS3 as never, configs, inputs };
}

const error = (name: string, httpStatusCode?: number) =>
  Object.assign(new Error(name), { name }, httpStatusCode === undefined ? {} : { $metadata: { httpStatusCode } });

describe('S3 refresh answered "not modified"', () => {
  it.each([
    ['a 304 status whatever the error name', error('UnknownError', 304)],
    ['the NotModified name without metadata', error('NotModified')],
  ])('keeps the vocabulary it has on %s', async (_case, notModifiedError) => {
    // Prepare
    const s3 = fakeS3([s3Object({ alpha: 0, beta: 1 }, '"e1"'), notModifiedError]);
    const options = { source: 's3://bucket/key.json', AwsClient: s3.AwsClient, cacheExpiry: 0, disablePrefetch: true };
    const middleware = vocabularyMiddleware(options);

    // Act
    const first = await runBefore(options, lambdaContext(), middleware);
    const second = await runBefore(options, lambdaContext(), middleware);

    // Assess
    expect(second.error).toBeUndefined();
    expect(second.vocabulary).toBe(first.vocabulary);
    expect(s3.inputs.map((input) => input.IfNoneMatch)).toEqual([undefined, '"e1"']);
  });

  it('answers 503 when the first load is answered 304 (there is nothing to keep)', async () => {
    // Prepare
    const s3 = fakeS3([notModified()]);

    // Act
    const { error: failure } = await runBefore({
      source: 's3://bucket/key.json',
      AwsClient: s3.AwsClient,
      disablePrefetch: true,
    });

    // Assess
    expect(failure?.statusCode).toBe(503);
  });

  it('gives the S3 client the configured options', async () => {
    // Prepare
    const s3 = fakeS3([s3Object({ alpha: 0 }, '"e1"')]);

    // Act
    await runBefore({
      source: 's3://bucket/key.json',
      AwsClient: s3.AwsClient,
      awsClientOptions: { region: 'eu-west-1' },
      disablePrefetch: true,
    });

    // Assess
    expect(s3.configs).toHaveLength(1);
    expect(s3.configs[0]).toMatchObject({ region: 'eu-west-1' });
  });
});

describe('request deadline while the vocabulary loads', () => {
  const hanging = () => fakeS3([new Promise(() => undefined)]);

  it('answers 503 once the remaining time less timeoutEarlyInMillis has passed, not at Lambda timeout', async () => {
    // Prepare
    const started = performance.now();

    // Act
    const { error: failure } = await runBefore(
      {
        source: 's3://bucket/key.json',
        AwsClient: hanging().AwsClient,
        disablePrefetch: true,
        timeoutEarlyInMillis: 950,
      },
      lambdaContext({ remainingTimeMs: 1_000 }),
    );

    // Assess
    expect(failure?.statusCode).toBe(503);
    expect((failure?.cause as Error | undefined)?.name).toBe('TimeoutError');
    expect(performance.now() - started).toBeLessThan(800);
  });

  it.each([
    ['without getRemainingTimeInMillis', {}],
    ['with an infinite remaining time', { getRemainingTimeInMillis: () => Number.POSITIVE_INFINITY }],
  ])('waits for a slow load %s', async (_case, context) => {
    // Prepare
    const slow = new Promise((resolve) => setTimeout(() => resolve(s3Object({ alpha: 0 }, '"e1"')), 30));
    const s3 = fakeS3([slow]);

    // Act
    const { vocabulary, error: failure } = await runBefore(
      { source: 's3://bucket/key.json', AwsClient: s3.AwsClient, disablePrefetch: true },
      context,
    );

    // Assess
    expect(failure).toBeUndefined();
    expect(vocabulary?.indexOf('alpha')).toBe(0);
  });

  it('leaves no deadline timer behind once the vocabulary is there', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const options = { source: { alpha: 0 }, cacheExpiry: 0 };

    // Act
    const { vocabulary } = await runBefore(options, lambdaContext({ remainingTimeMs: 10_000 }));

    // Assess
    expect(vocabulary?.indexOf('alpha')).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('options', () => {
  it('refuses a missing or null source, naming it', () => {
    // Act
    const none = () => vocabularyMiddleware(undefined as never);
    const isNull = () => vocabularyMiddleware({ source: null as never });

    // Assess
    expect(none).toThrow(/^vocabularyMiddleware: Option 'source' must be .*; got undefined\.$/);
    expect(isNull).toThrow(/^vocabularyMiddleware: Option 'source' must be .*; got null\.$/);
  });

  it('refuses an s3 look-alike scheme instead of reading it from S3', () => {
    // Act
    const create = () => vocabularyMiddleware({ source: 'xs3://bucket/key.json' });

    // Assess
    expect(create).toThrow(/Option 'source' "xs3:\/\/bucket\/key\.json" is not supported/);
  });

  it('takes the default cacheExpiry (forever) for cacheExpiry: undefined', async () => {
    // Prepare
    const options = { source: { alpha: 0 }, cacheExpiry: undefined };
    const middleware = vocabularyMiddleware(options);

    // Act
    const first = await runBefore(options, lambdaContext(), middleware);
    const second = await runBefore(options, lambdaContext(), middleware);

    // Assess
    expect(second.vocabulary).toBe(first.vocabulary);
  });

  it('keeps two inline sources apart: each middleware serves its own vocabulary', async () => {
    // Prepare
    const one = { source: { alpha: 0 } };
    const two = { source: { beta: 0 } };
    const first = vocabularyMiddleware(one);
    const second = vocabularyMiddleware(two);

    // Act
    const a = await runBefore(one, lambdaContext(), first);
    const b = await runBefore(two, lambdaContext(), second);

    // Assess
    expect(a.vocabulary?.indexOf('alpha')).toBe(0);
    expect(b.vocabulary?.indexOf('beta')).toBe(0);
  });

  it('warns through the logger only when a refresh fails, not when the first load does', async () => {
    // Prepare
    const logger = { warn: vi.fn() };
    const s3 = fakeS3([noSuchKey()]);

    // Act
    const { error: failure } = await runBefore({
      source: 's3://bucket/key.json',
      AwsClient: s3.AwsClient,
      disablePrefetch: true,
      logger,
    });

    // Assess
    expect(failure?.statusCode).toBe(503);
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
