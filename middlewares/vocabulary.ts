/**
 * Provides the training-time vocabulary as `context.vocabulary`, loaded once and cached across warm
 * invocations, in the idiom of Middy's data-fetching middlewares (`@middy/ssm`, `@middy/s3`).
 *
 * - Sources: a JSON file bundled with the function, an S3 object (`s3://bucket/key`), or a vocabulary
 *   passed in code.
 * - Prefetch: the load starts when the middleware is created, i.e. at module load, inside Lambda's
 *   init phase, so the first request rarely waits for it.
 * - Cache: `cacheKey`/`cacheExpiry` as in Middy (`-1` forever, `0` never, else ms). A refresh keeps
 *   serving the vocabulary already loaded until the new one is ready, and an S3 refresh downloads the
 *   object only when its ETag changed (`IfNoneMatch`).
 * - Errors are never cached: a failed load is dropped from the cache, so the next invocation retries.
 *   A request that has no vocabulary to use gets a 503 saying so; the cause is in the log. A failed
 *   refresh is retried after a backoff (`refreshBackoffMs`, doubling per failure, at most a minute),
 *   not on every request: the previous vocabulary serves meanwhile, and a source that is down is not
 *   asked again by every invocation.
 */

import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { MiddlewareObj } from '@middy/core';
import { canPrefetch, getCache, modifyCache, processCache } from '@middy/util';
import type { Context } from 'aws-lambda';
import { Vocabulary, type VocabularyInput } from '../src/encoder/vocabulary.ts';
import { clientError } from '../src/http/errors.ts';
import { type OptionSchema, resolveOptions } from '../src/options.ts';
import { RETRY_AFTER_SECONDS } from '../src/sagemaker/errors.ts';

/**
 * Where the vocabulary comes from: a file path (relative paths resolve against `LAMBDA_TASK_ROOT`, the
 * function's root, or the working directory), a `file://` URL, an `s3://bucket/key` URL, or a
 * vocabulary (or `{word: index}` object) passed in code.
 */
export type VocabularySource = string | URL | Vocabulary | VocabularyInput;

/** Options of {@link vocabularyMiddleware}. */
export interface VocabularyMiddlewareOptions {
  /** Where to load the vocabulary from. Required. */
  source: VocabularySource;
  /** S3 client class, for an `s3://` source (e.g. one instrumented for X-Ray). Default: `S3Client`, loaded on first use. */
  AwsClient?: new (
    config: S3ClientConfig,
  ) => Pick<S3Client, 'send'>;
  /** Options for the S3 client. Default: 2 s connect and 5 s request timeouts, the rest the SDK's. */
  awsClientOptions?: S3ClientConfig;
  /** Do not start loading at creation (module load); load on the first request instead. Default `false`. */
  disablePrefetch?: boolean;
  /** Cache key shared by middlewares that load the same vocabulary. Default: derived from the source. */
  cacheKey?: string;
  /**
   * How long a loaded vocabulary is used before it is refreshed: `-1` forever (default), `0` never cached,
   * else ms, at most 86,400,000 (a day).
   */
  cacheExpiry?: number;
  /**
   * After a refresh fails, how long the previous vocabulary serves before the next attempt, in ms;
   * doubled after each further failure, up to a minute. Default 1000.
   */
  refreshBackoffMs?: number;
  /**
   * Called with each newly loaded vocabulary before any request uses it: for work that depends on it
   * and belongs in the load (at init, with the prefetch), not in a request. If it throws, the load
   * counts as failed. Default: none.
   */
  onLoad?: (vocabulary: Vocabulary) => void;
  /** Where refresh failures are reported while the previous vocabulary keeps serving. Default: none. */
  logger?: { warn: (message: string, error: Error) => void };
  /**
   * Time kept back before Lambda's timeout (`context.getRemainingTimeInMillis()`) when a request has to wait
   * for a load: past it the request gets the 503 instead of hanging until Lambda kills it, and the load
   * carries on for the next request. Middy's own `timeoutEarlyInMillis` only covers the handler, not the
   * `before` hooks. Default 0; `createHandler` passes its `timeoutEarlyInMillis`.
   */
  timeoutEarlyInMillis?: number;
}

/** What {@link vocabularyMiddleware} adds to the Lambda context. */
export interface VocabularyContext {
  vocabulary: Vocabulary;
}

const defaults = {
  awsClientOptions: {},
  disablePrefetch: false,
  cacheExpiry: -1,
  refreshBackoffMs: 1_000,
  timeoutEarlyInMillis: 0,
} satisfies Partial<VocabularyMiddlewareOptions>;

const optionSchema: OptionSchema = {
  type: 'object',
  required: ['source'],
  properties: {
    source: { oneOf: [{ type: 'string', minLength: 1 }, { type: 'object' }, { type: 'array' }] },
    AwsClient: { instanceof: 'Function' },
    awsClientOptions: { type: 'object' },
    disablePrefetch: { type: 'boolean' },
    cacheKey: { type: 'string', minLength: 1 },
    // At most a day: Middy's cache reads a larger number as a point in time (ms since 1970), long past.
    cacheExpiry: { type: 'integer', minimum: -1, maximum: 86_400_000 },
    refreshBackoffMs: { type: 'number', minimum: 0 },
    onLoad: { instanceof: 'Function' },
    logger: { type: 'object' },
    timeoutEarlyInMillis: { type: 'number', minimum: 0 },
  },
  additionalProperties: false,
};

/** What `source` may be; anything else is refused at setup with this message. */
const SOURCE_KINDS = 'a file path, a file:// or s3:// URL, a Vocabulary, or a {"word": index} object';

/** The message of the 503 a client gets when no vocabulary can be used. */
export const VOCABULARY_UNAVAILABLE_MESSAGE =
  "The model's vocabulary is unavailable, so the review could not be classified. Try again shortly.";

const S3_URL = /^s3:\/\/([^/]+)\/(.+)$/;

/** The longest wait between two attempts at a failing refresh. */
const MAX_REFRESH_BACKOFF_MS = 60_000;

/**
 * Bounded connect and request times for the S3 client: without them a connection that never answers
 * holds a load forever, and with the default `cacheExpiry` (-1) nothing would ever retry it.
 */
const S3_CLIENT_DEFAULTS = { requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 } };
let inlineSources = 0;

type Loader = (previous: LoadedVocabulary | undefined) => Promise<LoadedVocabulary>;
interface LoadedVocabulary {
  vocabulary: Vocabulary;
  etag?: string;
}

function describeSource(source: VocabularySource): string {
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.href;
  return `inline:${++inlineSources}`;
}

function isNotModified(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.$metadata?.httpStatusCode === 304 || e?.name === 'NotModified';
}

function s3Loader(bucket: string, key: string, options: VocabularyMiddlewareOptions): Loader {
  let client: Pick<S3Client, 'send'> | undefined;
  return async (previous) => {
    // The S3 SDK is imported only for S3 sources: a bundled vocabulary keeps it out of the cold start.
    const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
    client ??= new (options.AwsClient ?? S3Client)({ ...S3_CLIENT_DEFAULTS, ...options.awsClientOptions });
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfNoneMatch: previous?.etag }));
      const text = (await object.Body?.transformToString('utf-8')) ?? '';
      return { vocabulary: Vocabulary.fromJSON(text), etag: object.ETag };
    } catch (error) {
      if (previous !== undefined && isNotModified(error)) return previous;
      throw error;
    }
  };
}

function loaderFor(options: VocabularyMiddlewareOptions): Loader {
  const { source } = options;
  if (source instanceof Vocabulary) return async () => ({ vocabulary: source });
  const location = typeof source === 'string' ? source : source instanceof URL ? source.href : undefined;
  if (location === undefined) {
    return async () => ({ vocabulary: new Vocabulary(source as VocabularyInput) });
  }
  const s3 = S3_URL.exec(location);
  if (s3) return s3Loader(s3[1] as string, s3[2] as string, options);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith('file://')) {
    throw new TypeError(
      `vocabularyMiddleware: Option 'source' ${JSON.stringify(location)} is not supported: use a file path, a file:// URL or s3://bucket/key.`,
    );
  }
  const path = location.startsWith('file://')
    ? new URL(location)
    : isAbsolute(location)
      ? location
      : resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), location);
  // Read synchronously: the file ships with the function and is small, so one read at init costs less
  // than an asynchronous read's round trips through libuv's thread pool, which the first one also
  // starts (docs/cold-start.md has the A/B). Inside an async function, a failure still rejects.
  return async () => ({ vocabulary: Vocabulary.fromJSON(readFileSync(path, 'utf8')) });
}

/** Waits for `pending`, but no longer than the request's remaining time less `reserveMs` (when known). */
async function withinDeadline<T>(pending: Promise<T>, context: Context, reserveMs: number): Promise<T> {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (typeof remaining !== 'number' || !Number.isFinite(remaining)) return pending;
  const waitMs = Math.max(0, remaining - reserveMs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`The vocabulary did not load within the request's deadline (${waitMs} ms).`);
      error.name = 'TimeoutError';
      reject(error);
    }, waitMs);
  });
  try {
    return await Promise.race([pending, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Middy middleware: loads, caches and validates the vocabulary, and sets `context.vocabulary`. */
export function vocabularyMiddleware(
  opts: VocabularyMiddlewareOptions,
): MiddlewareObj<unknown, unknown, Error, Context & VocabularyContext> {
  const source: unknown = opts?.source;
  if (
    source === undefined ||
    source === null ||
    source === '' ||
    (typeof source !== 'string' && typeof source !== 'object')
  ) {
    throw new TypeError(
      `vocabularyMiddleware: Option 'source' must be ${SOURCE_KINDS}; got ${source === '' ? 'an empty string' : String(source)}.`,
    );
  }
  const options = resolveOptions(
    'vocabularyMiddleware',
    optionSchema,
    { ...defaults, cacheKey: `vocabulary:${describeSource(opts.source)}` },
    opts,
  );
  if (options.logger !== undefined && typeof options.logger.warn !== 'function') {
    throw new TypeError("vocabularyMiddleware: Option 'logger' must have a warn(message, error) method.");
  }
  const load = loaderFor(options);
  // The newest vocabulary loaded successfully: what a request uses while a refresh is in flight.
  let latest: LoadedVocabulary | undefined;
  // Failed refreshes in a row, and until when (Date.now()) the next attempt waits.
  let refreshFailures = 0;
  let refreshBlockedUntil = 0;

  const fetchRequest = () => {
    const vocabulary = load(latest)
      .then((loaded) => {
        // Work that depends on the vocabulary happens here, once per load, not in a request; if it
        // throws, the load fails like any other (the catch below).
        if (loaded.vocabulary !== latest?.vocabulary) options.onLoad?.(loaded.vocabulary);
        latest = loaded;
        refreshFailures = 0;
        return loaded.vocabulary;
      })
      .catch((error: unknown) => {
        // Never cache a failure: drop it so the next invocation fetches again.
        const cached = ((getCache(options.cacheKey) as { value?: object }).value ?? {}) as { vocabulary?: unknown };
        cached.vocabulary = undefined;
        modifyCache(options.cacheKey, cached);
        if (latest !== undefined) {
          refreshFailures++;
          const backoff = Math.min(options.refreshBackoffMs * 2 ** (refreshFailures - 1), MAX_REFRESH_BACKOFF_MS);
          refreshBlockedUntil = Date.now() + backoff;
          options.logger?.warn(
            `Vocabulary refresh failed; still using the previous one, next attempt in ${backoff} ms`,
            error as Error,
          );
        }
        throw error;
      });
    return { vocabulary };
  };

  if (canPrefetch(options)) processCache(options, fetchRequest);

  const vocabularyMiddlewareBefore: NonNullable<
    MiddlewareObj<unknown, unknown, Error, Context & VocabularyContext>['before']
  > = async (request) => {
    if (latest !== undefined && options.cacheExpiry !== 0 && Date.now() < refreshBlockedUntil) {
      request.context.vocabulary = latest.vocabulary; // a failed refresh is backing off
      return;
    }
    const { value } = processCache(options, fetchRequest, request);
    const pending = (value as { vocabulary: Promise<Vocabulary> }).vocabulary;
    if (latest !== undefined && options.cacheExpiry !== 0) {
      request.context.vocabulary = latest.vocabulary;
      return;
    }
    try {
      request.context.vocabulary = await withinDeadline(pending, request.context, options.timeoutEarlyInMillis);
    } catch (error) {
      throw clientError(503, VOCABULARY_UNAVAILABLE_MESSAGE, {
        headers: { 'Retry-After': RETRY_AFTER_SECONDS },
        cause: error,
      });
    }
  };

  return { before: vocabularyMiddlewareBefore };
}
