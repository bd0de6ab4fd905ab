/**
 * Provides the XGBoost model as `context.model`, for scoring in the function: loaded once and cached
 * across warm invocations exactly as the vocabulary is (src/source/cached-source.ts): from a file shipped
 * with the function, an S3 object (`s3://bucket/prefix/output/model.tar.gz`, as a SageMaker training job
 * leaves it), or bytes or a model passed in code; prefetched at module load; refreshed after `cacheExpiry`
 * (conditional on the S3 ETag) while the loaded model keeps serving; a failed load never cached.
 *
 * Every form xgboost and SageMaker write is read (JSON, UBJSON, the legacy binary, pickled Boosters,
 * `model.tar.gz`, and the packed form `npm run build -- --model` bundles), and scored as xgboost does.
 *
 * A model and a vocabulary of different widths never score a request together. Registered after
 * `vocabularyMiddleware`, this middleware checks the pair a request is about to use: when the two differ
 * (one of them was refreshed before the other, or a wrong one was deployed), the last pair that fitted
 * serves, and a warning is logged; with no such pair the request gets a 503 naming both widths.
 */
import { basename } from 'node:path';
import type { MiddlewareObj, Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Vocabulary } from '../src/encoder/vocabulary.ts';
import { clientError, RETRY_AFTER_SECONDS } from '../src/http/errors.ts';
import { type OptionSchema, resolveOptions } from '../src/options.ts';
import {
  type CachedSourceOptions,
  cachedSourceDefaults,
  cachedSourceOptionProperties,
  createCachedSource,
  defaultCacheKey,
} from '../src/source/cached-source.ts';
import { readXGBoostModel } from '../src/xgboost/load.ts';
import { XGBoostModel } from '../src/xgboost/model.ts';

// For users of this subpath alone: the types its options and context name.
export type { CachedSourceOptions } from '../src/source/cached-source.ts';
export type { SparseRow, XGBoostModel } from '../src/xgboost/model.ts';

/**
 * Where the model comes from: a file path (relative paths resolve against `LAMBDA_TASK_ROOT`, the
 * function's root, or the working directory), a `file://` URL, an `s3://bucket/key` URL, the bytes of a
 * model file, or a model already loaded.
 *
 * @example
 * ```ts
 * import { modelMiddleware } from 'sentiment-lambda/middlewares/model';
 * const fromS3 = modelMiddleware({ source: 's3://models.example/output/model.tar.gz' });
 * const fromFile = modelMiddleware({ source: new URL('./model.json', import.meta.url) });
 * ```
 */
export type ModelSource = string | URL | Uint8Array | ArrayBuffer | XGBoostModel;

/**
 * Options of {@link modelMiddleware}.
 *
 * @example
 * ```ts
 * import { type ModelMiddlewareOptions, modelMiddleware } from 'sentiment-lambda/middlewares/model';
 * const options: ModelMiddlewareOptions = {
 *   source: 'model.ubj',
 *   cacheExpiry: 3_600_000,
 *   onLoad: (model) => console.log(`loaded ${model.description}`),
 * };
 * const middleware = modelMiddleware(options);
 * ```
 */
export interface ModelMiddlewareOptions extends CachedSourceOptions<XGBoostModel> {
  /** Where to load the model from. Required. */
  source: ModelSource;
}

/**
 * What {@link modelMiddleware} adds to the Lambda context.
 *
 * @example
 * ```ts
 * import type { Context } from 'aws-lambda';
 * import type { ModelContext } from 'sentiment-lambda';
 * const scoreOf = (context: Context & ModelContext, indices: Uint32Array, counts: Uint32Array) =>
 *   context.model.predictCounts(indices, counts);
 * ```
 */
export interface ModelContext {
  model: XGBoostModel;
}

const optionSchema: OptionSchema = {
  type: 'object',
  required: ['source'],
  properties: {
    source: { oneOf: [{ type: 'string', minLength: 1 }, { type: 'object' }] },
    ...cachedSourceOptionProperties,
  },
  additionalProperties: false,
};

/** What `source` may be; anything else is refused at setup with this message. */
const SOURCE_KINDS = 'a file path, a file:// or s3:// URL, the bytes of a model file, or an XGBoostModel';

/**
 * The message of the 503 a client gets when no model can be used.
 *
 * @example
 * ```ts
 * import { MODEL_UNAVAILABLE_MESSAGE } from 'sentiment-lambda';
 * import { lambdaContext, restApiEvent } from 'sentiment-lambda/testing';
 * // In a test of your chain, when no model can be loaded:
 * expect(await handler(restApiEvent({ body: 'Great' }), lambdaContext())).toMatchObject({
 *   statusCode: 503,
 *   body: MODEL_UNAVAILABLE_MESSAGE,
 * });
 * ```
 */
export const MODEL_UNAVAILABLE_MESSAGE =
  'The sentiment model is unavailable, so the review could not be classified. Try again shortly.';

/**
 * A model and a vocabulary of different widths: a deployment's mistake, which the client cannot mend.
 *
 * @example
 * ```ts
 * import { ModelVocabularyMismatch } from 'sentiment-lambda/middlewares/model';
 * // The cause of the 503 (logged, never sent) when the model and the vocabulary differ in width.
 * const isWidthMismatch = (error: Error) => error.cause instanceof ModelVocabularyMismatch;
 * ```
 */
export class ModelVocabularyMismatch extends Error {
  override readonly name = 'ModelVocabularyMismatch';
}

function isModelSource(source: unknown): source is ModelSource {
  return (
    (typeof source === 'string' && source !== '') ||
    source instanceof URL ||
    source instanceof Uint8Array ||
    source instanceof ArrayBuffer ||
    source instanceof XGBoostModel
  );
}

type ModelRequest = Request<unknown, unknown, Error, Context & ModelContext & Partial<{ vocabulary: Vocabulary }>>;

/**
 * Middy middleware: loads, caches and validates the model, and sets `context.model`.
 *
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import { bagOfWordsFor, toSentiment } from 'sentiment-lambda';
 * import { modelMiddleware } from 'sentiment-lambda/middlewares/model';
 * import { vocabularyMiddleware } from 'sentiment-lambda/middlewares/vocabulary';
 * export const handler = middy<{ review: string }>()
 *   .use(vocabularyMiddleware({ source: 'vocabulary.json' }))
 *   .use(modelMiddleware({ source: 'model.ubj' })) // after the vocabulary, which it checks the model against
 *   .handler(async (event, context) => {
 *     const { indices, counts } = bagOfWordsFor(context.vocabulary).count(event.review);
 *     return toSentiment(context.model.predictCounts(indices, counts));
 *   });
 * ```
 */
export function modelMiddleware(
  opts: ModelMiddlewareOptions,
): MiddlewareObj<unknown, unknown, Error, Context & ModelContext> {
  const source: unknown = opts?.source;
  if (!isModelSource(source)) {
    const got = source === '' ? 'an empty string' : source === null ? 'null' : typeof source;
    throw new TypeError(`modelMiddleware: Option 'source' must be ${SOURCE_KINDS}; got ${got}.`);
  }
  const options = resolveOptions(
    'modelMiddleware',
    optionSchema,
    { ...cachedSourceDefaults, cacheKey: defaultCacheKey('model', source) },
    opts,
  );
  const read = async (bytes: Uint8Array, label: string) =>
    (await readXGBoostModel(bytes, label, { name: basename(label) })).model;
  const model = createCachedSource(source, options, {
    owner: 'modelMiddleware',
    what: 'model',
    unavailableMessage: MODEL_UNAVAILABLE_MESSAGE,
    fromValue: (value) => {
      if (value instanceof XGBoostModel) return Promise.resolve(value);
      if (value instanceof Uint8Array) return read(value, 'the model given in code');
      if (value instanceof ArrayBuffer) return read(new Uint8Array(value), 'the model given in code');
      return undefined;
    },
    fromBytes: read,
  });

  // The last model and vocabulary of one width that a request used: what serves while a refresh has
  // changed one of them and not yet the other.
  let lastPair: { readonly model: XGBoostModel; readonly vocabulary: Vocabulary } | undefined;
  let warnedFor: { readonly model: XGBoostModel; readonly vocabulary: Vocabulary } | undefined;

  const modelMiddlewareBefore = async (request: ModelRequest): Promise<void> => {
    const current = await model.current(request);
    const { context } = request;
    const vocabulary = context.vocabulary;
    if (vocabulary === undefined || vocabulary.size === current.featureCount) {
      if (vocabulary !== undefined && (lastPair?.model !== current || lastPair.vocabulary !== vocabulary)) {
        lastPair = { model: current, vocabulary };
      }
      context.model = current;
      return;
    }
    const mismatch = new ModelVocabularyMismatch(
      `The model ${current.name} takes ${current.featureCount} features, but the vocabulary has ${vocabulary.size} words: ` +
        'deploy the vocabulary the model was trained with.',
    );
    if (lastPair !== undefined) {
      // Warn once per mismatched pair, not on every request while it lasts.
      if (warnedFor?.model !== current || warnedFor.vocabulary !== vocabulary) {
        warnedFor = { model: current, vocabulary };
        options.logger?.warn('Model and vocabulary widths differ; still using the last pair that fitted', mismatch);
      }
      context.vocabulary = lastPair.vocabulary;
      context.model = lastPair.model;
      return;
    }
    throw clientError(
      503,
      `The sentiment model takes ${current.featureCount} features but its vocabulary has ${vocabulary.size} words, ` +
        'so the review could not be classified: the function is deployed with a vocabulary of another model.',
      { headers: { 'Retry-After': RETRY_AFTER_SECONDS }, cause: mismatch },
    );
  };

  return { before: modelMiddlewareBefore as MiddlewareObj<unknown, unknown, Error, Context & ModelContext>['before'] };
}
