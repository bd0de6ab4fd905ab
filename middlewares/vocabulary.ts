/**
 * Provides the training-time vocabulary as `context.vocabulary`, loaded once and cached across warm
 * invocations, in the idiom of Middy's data-fetching middlewares (`@middy/ssm`, `@middy/s3`): from a JSON
 * file bundled with the function, an S3 object (`s3://bucket/key`), or a vocabulary passed in code;
 * prefetched at module load; refreshed after `cacheExpiry` (conditional on the S3 ETag) while the loaded
 * one keeps serving; a failed load never cached. src/source/cached-source.ts holds that machinery, which
 * the model middleware shares.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { Vocabulary, type VocabularyInput } from '../src/encoder/vocabulary.ts';
import { type OptionSchema, resolveOptions } from '../src/options.ts';
import {
  type CachedSourceOptions,
  cachedSourceDefaults,
  cachedSourceOptionProperties,
  createCachedSource,
  defaultCacheKey,
} from '../src/source/cached-source.ts';

// For users of this subpath alone: the types its options and context name.
export type { Vocabulary, VocabularyInput } from '../src/encoder/vocabulary.ts';
export type { CachedSourceOptions } from '../src/source/cached-source.ts';

/**
 * Where the vocabulary comes from: a file path (relative paths resolve against `LAMBDA_TASK_ROOT`, the
 * function's root, or the working directory), a `file://` URL, an `s3://bucket/key` URL, or a
 * vocabulary (or `{word: index}` object, or the words in column order) passed in code.
 *
 * @example
 * ```ts
 * import { vocabularyMiddleware } from 'sentiment-lambda/middlewares/vocabulary';
 * const fromS3 = vocabularyMiddleware({ source: 's3://models.example/vocabulary.json' });
 * const inCode = vocabularyMiddleware({ source: ['bad', 'good', 'great'] }); // the words in column order
 * ```
 */
export type VocabularySource = string | URL | Vocabulary | VocabularyInput | readonly string[];

/**
 * Options of {@link vocabularyMiddleware}.
 *
 * @example
 * ```ts
 * import {
 *   type VocabularyMiddlewareOptions,
 *   vocabularyMiddleware,
 * } from 'sentiment-lambda/middlewares/vocabulary';
 * const options: VocabularyMiddlewareOptions = { source: 'vocabulary.json', disablePrefetch: true };
 * const middleware = vocabularyMiddleware(options);
 * ```
 */
export interface VocabularyMiddlewareOptions extends CachedSourceOptions<Vocabulary> {
  /** Where to load the vocabulary from. Required. */
  source: VocabularySource;
}

/**
 * What {@link vocabularyMiddleware} adds to the Lambda context.
 *
 * @example
 * ```ts
 * import type { Context } from 'aws-lambda';
 * import { payloadEncoderFor, type VocabularyContext } from 'sentiment-lambda';
 * const rowOf = (context: Context & VocabularyContext, review: string) =>
 *   payloadEncoderFor(context.vocabulary).encodeRow(review);
 * ```
 */
export interface VocabularyContext {
  vocabulary: Vocabulary;
}

const optionSchema: OptionSchema = {
  type: 'object',
  required: ['source'],
  properties: {
    source: { oneOf: [{ type: 'string', minLength: 1 }, { type: 'object' }, { type: 'array' }] },
    ...cachedSourceOptionProperties,
  },
  additionalProperties: false,
};

/** What `source` may be; anything else is refused at setup with this message. */
const SOURCE_KINDS = 'a file path, a file:// or s3:// URL, a Vocabulary, or a {"word": index} object';

/**
 * The message of the 503 a client gets when no vocabulary can be used.
 *
 * @example
 * ```ts
 * import { VOCABULARY_UNAVAILABLE_MESSAGE } from 'sentiment-lambda';
 * import { lambdaContext, restApiEvent } from 'sentiment-lambda/testing';
 * // In a test of your chain, when no vocabulary can be loaded:
 * expect(await handler(restApiEvent({ body: 'Great' }), lambdaContext())).toMatchObject({
 *   statusCode: 503,
 *   body: VOCABULARY_UNAVAILABLE_MESSAGE,
 * });
 * ```
 */
export const VOCABULARY_UNAVAILABLE_MESSAGE =
  "The model's vocabulary is unavailable, so the review could not be classified. Try again shortly.";

const utf8 = new TextDecoder();

/**
 * Middy middleware: loads, caches and validates the vocabulary, and sets `context.vocabulary`.
 *
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import { payloadEncoderFor } from 'sentiment-lambda';
 * import { vocabularyMiddleware } from 'sentiment-lambda/middlewares/vocabulary';
 * export const handler = middy<{ review: string }>()
 *   .use(vocabularyMiddleware({ source: 's3://models.example/vocabulary.json', cacheExpiry: 3_600_000 }))
 *   .handler(async (event, context) => payloadEncoderFor(context.vocabulary).encodeRow(event.review));
 * ```
 */
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
    { ...cachedSourceDefaults, cacheKey: defaultCacheKey('vocabulary', source) },
    opts,
  );
  const vocabulary = createCachedSource(source, options, {
    owner: 'vocabularyMiddleware',
    what: 'vocabulary',
    unavailableMessage: VOCABULARY_UNAVAILABLE_MESSAGE,
    fromValue: (value) => {
      if (value instanceof Vocabulary) return Promise.resolve(value);
      if (typeof value === 'string' || value instanceof URL) return undefined;
      // A failure here rejects the load, as an invalid file's would: a 503, the reason in the log.
      return Promise.resolve().then(() =>
        Array.isArray(value) && value.every((word) => typeof word === 'string')
          ? Vocabulary.fromWords(value)
          : new Vocabulary(value as VocabularyInput),
      );
    },
    fromBytes: (bytes) => Vocabulary.fromJSON(utf8.decode(bytes)),
  });

  const vocabularyMiddlewareBefore: NonNullable<
    MiddlewareObj<unknown, unknown, Error, Context & VocabularyContext>['before']
  > = async (request) => {
    request.context.vocabulary = await vocabulary.current(request);
  };

  return { before: vocabularyMiddlewareBefore };
}
