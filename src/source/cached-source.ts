/**
 * A value loaded once from a source and kept across warm invocations: what the vocabulary and the model
 * middlewares share, in the idiom of Middy's data-fetching middlewares (`@middy/ssm`, `@middy/s3`):
 *
 * - Sources: a file shipped with the function (a path or a `file://` URL), an S3 object
 *   (`s3://bucket/key`), or a value passed in code.
 * - Prefetch: the load starts when the middleware is created, i.e. at module load, inside Lambda's init
 *   phase, so the first request rarely waits for it.
 * - Cache: `cacheKey`/`cacheExpiry` as in Middy (`-1` forever, `0` never, else ms), through Middy's own
 *   cache (`processCache`). A refresh keeps serving the value already loaded until the new one is ready,
 *   and an S3 refresh downloads the object only when its ETag changed (`IfNoneMatch`).
 * - Errors are never cached: a failed load is dropped from the cache, so the next invocation retries. A
 *   request that has no value to use gets a 503 saying so; the cause is in the log. A failed refresh is
 *   retried after a backoff (`refreshBackoffMs`, doubling per failure, at most a minute), not on every
 *   request: the previous value serves meanwhile, and a source that is down is not asked again by every
 *   invocation.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { Request } from '@middy/core';
import { canPrefetch, getCache, modifyCache, processCache } from '@middy/util';
import type { Context } from 'aws-lambda';
import { clientError, RETRY_AFTER_SECONDS } from '../http/errors.ts';
import type { OptionSchema } from '../options.ts';
import { fileErrorReason } from './file-errors.ts';
import { locate } from './location.ts';

/**
 * The options every source-loading middleware takes besides its `source`.
 *
 * @example
 * ```ts
 * import { vocabularyMiddleware } from 'sentiment-lambda';
 * // Refreshed every hour (conditional on the S3 ETag); a failed refresh is logged while the loaded one serves.
 * const vocabulary = vocabularyMiddleware({
 *   source: 's3://models.example/vocabulary.json',
 *   cacheExpiry: 3_600_000,
 *   logger: console,
 * });
 * ```
 */
export interface CachedSourceOptions<T = unknown> {
  /** S3 client class, for an `s3://` source (e.g. one instrumented for X-Ray). Default: `S3Client`, loaded on first use. */
  AwsClient?: new (
    config: S3ClientConfig,
  ) => Pick<S3Client, 'send'>;
  /** Options for the S3 client. Default: 2 s connect and 5 s request timeouts, the rest the SDK's. */
  awsClientOptions?: S3ClientConfig;
  /** Do not start loading at creation (module load); load on the first request instead. Default `false`. */
  disablePrefetch?: boolean;
  /** Cache key shared by middlewares that load the same source. Default: derived from the source. */
  cacheKey?: string;
  /**
   * How long a loaded value is used before it is refreshed: `-1` forever (default), `0` never cached,
   * else ms, at most 86,400,000 (a day).
   */
  cacheExpiry?: number;
  /**
   * After a refresh fails, how long the previous value serves before the next attempt, in ms; doubled
   * after each further failure, up to a minute. Default 1000.
   */
  refreshBackoffMs?: number;
  /**
   * Called with each newly loaded value before any request uses it: for work that depends on it and
   * belongs in the load (at init, with the prefetch), not in a request. If it throws, the load counts as
   * failed. Default: none.
   */
  onLoad?: (value: T) => void;
  /** Where refresh failures are reported while the previous value keeps serving. Default: none. */
  logger?: { warn: (message: string, error: Error) => void };
  /**
   * Time kept back before Lambda's timeout (`context.getRemainingTimeInMillis()`) when a request has to
   * wait for a load: past it the request gets the 503 instead of hanging until Lambda kills it, and the
   * load carries on for the next request. Middy's own `timeoutEarlyInMillis` only covers the handler,
   * not the `before` hooks. Default 0; `createHandler` passes its `timeoutEarlyInMillis`.
   */
  timeoutEarlyInMillis?: number;
}

/** The defaults of {@link CachedSourceOptions}. */
export const cachedSourceDefaults = {
  awsClientOptions: {},
  disablePrefetch: false,
  cacheExpiry: -1,
  refreshBackoffMs: 1_000,
  timeoutEarlyInMillis: 0,
} satisfies Partial<CachedSourceOptions>;

/** The option schema of {@link CachedSourceOptions}, for the middleware's own schema to spread. */
export const cachedSourceOptionProperties: NonNullable<OptionSchema['properties']> = {
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
};

/** What a middleware loads, and how it tells a client that it has nothing to use. */
export interface CachedSourceSpec<T> {
  /** The middleware's name, which starts its setup errors (`vocabularyMiddleware: ...`). */
  readonly owner: string;
  /** What is loaded, in messages and as its key in Middy's cache entry (`vocabulary`, `model`). */
  readonly what: string;
  /** The 503's message when a request has nothing to use. */
  readonly unavailableMessage: string;
  /**
   * The value of a source given in code, or `undefined` when `source` is a location (a string or a URL).
   * @throws when `source` is a value that cannot be used.
   */
  readonly fromValue: (source: unknown) => Promise<T> | undefined;
  /** Reads the value from a file's or an object's bytes; `label` names them in messages. */
  readonly fromBytes: (bytes: Uint8Array, label: string) => T | Promise<T>;
}

/** A value being loaded and kept; {@link CachedSource.current} gives a request its value. */
export interface CachedSource<T> {
  /**
   * The value for this request: the cached one, the one a refresh has just loaded, or, when there is
   * none yet, the pending load's (within the request's deadline).
   * @throws {HttpError} 503 with `Retry-After` when no value can be used; the cause is the load's error.
   */
  current(request: Request<unknown, unknown, Error, Context>): Promise<T>;
}

/**
 * Bounded connect and request times for the S3 client: without them a connection that never answers
 * holds a load forever, and with the default `cacheExpiry` (-1) nothing would ever retry it.
 */
const S3_CLIENT_DEFAULTS = { requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 } };

/** The longest wait between two attempts at a failing refresh. */
const MAX_REFRESH_BACKOFF_MS = 60_000;

let inlineSources = 0;

/** The default `cacheKey` of a source: its location, or a fresh name for a value given in code. */
export function defaultCacheKey(what: string, source: unknown): string {
  if (typeof source === 'string') return `${what}:${source}`;
  if (source instanceof URL) return `${what}:${source.href}`;
  return `${what}:inline:${++inlineSources}`;
}

interface Loaded<T> {
  readonly value: T;
  readonly etag?: string | undefined;
}
type Loader<T> = (previous: Loaded<T> | undefined) => Promise<Loaded<T>>;

function isNotModified(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.$metadata?.httpStatusCode === 304 || e?.name === 'NotModified';
}

function s3Loader<T>(
  bucket: string,
  key: string,
  options: CachedSourceOptions<T>,
  spec: CachedSourceSpec<T>,
): Loader<T> {
  let client: Pick<S3Client, 'send'> | undefined;
  return async (previous) => {
    // The S3 SDK is imported only for S3 sources: a bundled source keeps it out of the cold start.
    const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
    client ??= new (options.AwsClient ?? S3Client)({ ...S3_CLIENT_DEFAULTS, ...options.awsClientOptions });
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfNoneMatch: previous?.etag }));
      const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array(0);
      return { value: await spec.fromBytes(bytes, `s3://${bucket}/${key}`), etag: object.ETag };
    } catch (error) {
      if (previous !== undefined && isNotModified(error)) return previous;
      throw error;
    }
  };
}

function loaderFor<T>(source: unknown, options: CachedSourceOptions<T>, spec: CachedSourceSpec<T>): Loader<T> {
  const inline = spec.fromValue(source);
  if (inline !== undefined) return async () => ({ value: await inline });
  const location = locate(source as string | URL);
  if ('problem' in location) {
    const text = source instanceof URL ? source.href : String(source);
    throw new TypeError(`${spec.owner}: Option 'source' ${JSON.stringify(text)} ${location.problem}.`);
  }
  if (location.kind === 's3') return s3Loader(location.bucket, location.key, options, spec);
  const { path } = location;
  const label = path instanceof URL ? fileURLToPath(path) : path;
  // Read synchronously: the file ships with the function, so one read at init costs less than an
  // asynchronous read's round trips through libuv's thread pool, which the first one also starts
  // (docs/cold-start.md). Inside an async function, a failure still rejects.
  return async () => {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new Error(`Cannot read the ${spec.what} ${label}: ${fileErrorReason(error)}.`, { cause: error });
    }
    return { value: await spec.fromBytes(bytes, label) };
  };
}

/** Waits for `pending`, but no longer than the request's remaining time less `reserveMs` (when known). */
async function withinDeadline<T>(pending: Promise<T>, context: Context, reserveMs: number, what: string): Promise<T> {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (typeof remaining !== 'number' || !Number.isFinite(remaining)) return pending;
  const waitMs = Math.max(0, remaining - reserveMs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`The ${what} did not load within the request's deadline (${waitMs} ms).`);
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

/**
 * Starts keeping the value of `source` (the prefetch begins now unless `disablePrefetch`).
 * @param options resolved options: every default applied, `cacheKey` set.
 * @throws {TypeError} naming the owner and `source` when the source cannot be used.
 */
export function createCachedSource<T>(
  source: unknown,
  options: CachedSourceOptions<T> & typeof cachedSourceDefaults & { cacheKey: string },
  spec: CachedSourceSpec<T>,
): CachedSource<T> {
  if (options.logger !== undefined && typeof options.logger.warn !== 'function') {
    throw new TypeError(`${spec.owner}: Option 'logger' must have a warn(message, error) method.`);
  }
  const load = loaderFor(source, options, spec);
  // The newest value loaded successfully: what a request uses while a refresh is in flight.
  let latest: Loaded<T> | undefined;
  // Failed refreshes in a row, and until when (Date.now()) the next attempt waits.
  let refreshFailures = 0;
  let refreshBlockedUntil = 0;

  const fetchRequest = () => {
    const pending = load(latest)
      .then((loaded) => {
        // Work that depends on the value happens here, once per load, not in a request; if it throws,
        // the load fails like any other (the catch below).
        if (loaded.value !== latest?.value) options.onLoad?.(loaded.value);
        latest = loaded;
        refreshFailures = 0;
        return loaded.value;
      })
      .catch((error: unknown) => {
        // Never cache a failure: drop it so the next invocation fetches again.
        const cached = ((getCache(options.cacheKey) as { value?: object }).value ?? {}) as Record<string, unknown>;
        cached[spec.what] = undefined;
        modifyCache(options.cacheKey, cached);
        if (latest !== undefined) {
          refreshFailures++;
          const backoff = Math.min(options.refreshBackoffMs * 2 ** (refreshFailures - 1), MAX_REFRESH_BACKOFF_MS);
          refreshBlockedUntil = Date.now() + backoff;
          options.logger?.warn(
            `${capitalised(spec.what)} refresh failed; still using the previous one, next attempt in ${backoff} ms`,
            error as Error,
          );
        }
        throw error;
      });
    return { [spec.what]: pending };
  };

  if (canPrefetch(options)) processCache(options, fetchRequest);

  return {
    async current(request) {
      if (latest !== undefined && options.cacheExpiry !== 0) {
        // A value in hand serves every request. With an expiry, Middy's cache also starts the refresh once it
        // is due (or once a failed one has backed off), and the next requests find it in flight.
        if (options.cacheExpiry > 0 && Date.now() >= refreshBlockedUntil) processCache(options, fetchRequest, request);
        return latest.value;
      }
      // Nothing loaded yet, or nothing kept (cacheExpiry 0): this request waits for a load.
      const { value } = processCache(options, fetchRequest, request);
      try {
        const pending = (value as Record<string, Promise<T>>)[spec.what] as Promise<T>;
        return await withinDeadline(pending, request.context, options.timeoutEarlyInMillis, spec.what);
      } catch (error) {
        throw clientError(503, spec.unavailableMessage, {
          headers: { 'Retry-After': RETRY_AFTER_SECONDS },
          cause: error,
        });
      }
    },
  };
}

const capitalised = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
