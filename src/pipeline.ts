/**
 * The whole pipeline in one place: `createHandler` returns the Middy chain API Gateway calls.
 *
 * Middy runs `before` hooks in registration order and `after`/`onError` hooks in reverse, so order is
 * behaviour. Read top to bottom for a request, bottom to top for its response:
 *
 *  1. injectLambdaContext  request id and cold start on every log line; keys reset when the request ends.
 *  2. logMetrics           Powertools: the ColdStart metric, and one EMF line per invocation once every
 *                          after/onError below has added its metrics (its own runs last).
 *  3. requestLog           one structured line per request; registered early so its after/onError runs
 *                          late and sees the final status.
 *  4. requestMetrics       the request's metrics, with its final status class, for logMetrics to write.
 *  5. httpSecurityHeaders  API security headers on every response, errors included.
 *  6. httpErrorBody        onError after the error handler: JSON error bodies for JSON clients.
 *  7. httpCors             before: answers the OPTIONS preflight; after/onError: CORS headers on every
 *                          response. It must come BEFORE httpErrorHandler, whose onError must run first
 *                          to turn the error into a response for CORS to decorate. Its preflight answer
 *                          gets the security headers too (no `after` hook runs for it); httpEventGuard,
 *                          just before, gives a 2.0 event without `requestContext.http` an empty one, which
 *                          http-cors would otherwise dereference and crash on.
 *  8. httpErrorHandler     errors to responses (exposed message, or a generic 500).
 *  9. httpReviewBodyParser method 405, content type 415, body size 413 (before any parsing), base64/UTF-8/JSON 400.
 * 10. validator            @middy/validator: the body's shape against schemas/review-request.schema.json.
 * 11. reviewRequest        blank 400, limits 413, `context.reviewRequest`; its onError (before
 *                          httpErrorHandler's) turns the validator's error into a 422 naming the field.
 * 12. vocabularyMiddleware prefetched, cached vocabulary; 503 when none can be loaded. After the request's
 *                          own checks, so a bad request is refused without waiting for it.
 * 13. modelMiddleware      (the model in the function only) prefetched, cached model; 503 when none can be
 *                          loaded, or when it and the vocabulary differ in width with no earlier pair that
 *                          fitted. After vocabularyMiddleware, whose vocabulary it checks the model against.
 * 14. the review classifier  count the words, score the rows with the backend (one InvokeEndpoint call, or
 *                          the model in the function), answer (src/review-classifier.ts).
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { SageMakerRuntimeClient, SageMakerRuntimeClientConfig } from '@aws-sdk/client-sagemaker-runtime';
import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpErrorHandler from '@middy/http-error-handler';
import httpSecurityHeaders from '@middy/http-security-headers';
import validator from '@middy/validator';
import type { Context } from 'aws-lambda';
import { httpErrorBody } from '../middlewares/http-error-body.ts';
import { httpEventGuard } from '../middlewares/http-event-guard.ts';
import { type HttpReviewBodyParserOptions, httpReviewBodyParser } from '../middlewares/http-review-body-parser.ts';
import { type ModelMiddlewareOptions, modelMiddleware } from '../middlewares/model.ts';
import { requestLog } from '../middlewares/request-log.ts';
import { requestMetrics } from '../middlewares/request-metrics.ts';
import { type ReviewRequestOptions, reviewRequest, reviewRequestEventSchema } from '../middlewares/review-request.ts';
import { type VocabularyMiddlewareOptions, vocabularyMiddleware } from '../middlewares/vocabulary.ts';
import type { ScoringBackend } from './backends/backend.ts';
import { inProcessBackend } from './backends/in-process.ts';
import { bagOfWordsFor } from './encoder/bag-of-words.ts';
import { PAYLOAD_FORMATS, type PayloadFormat, payloadEncoderFor } from './encoder/payload.ts';
import type { Vocabulary } from './encoder/vocabulary.ts';
import { DEFAULT_METRICS_NAMESPACE, DEFAULT_SERVICE_NAME, sentimentHandlerDefaults } from './handler-defaults.ts';
import type { HttpEvent, HttpResult } from './http/event.ts';
import { ORIGIN_OR_WILDCARD_PATTERN, originListProblem } from './http/origins.ts';
import { type OptionSchema, resolveOptions } from './options.ts';
import { startRequestState } from './request-state.ts';
import { createReviewClassifier } from './review-classifier.ts';
import { isSageMakerEndpointName } from './sagemaker/endpoint-name.ts';
import { modelTimeoutError } from './sagemaker/errors.ts';

/**
 * The handler `createHandler` returns: a Middy chain called with any HTTP event and a plain Lambda context.
 *
 * @example
 * ```ts
 * import { createHandler, type SentimentHandler } from 'sentiment-lambda';
 * export const handler: SentimentHandler = createHandler({ endpointName: 'sentiment', vocabulary: { source: 'vocabulary.json' } });
 * ```
 */
export type SentimentHandler = MiddyfiedHandler<HttpEvent, HttpResult, Error, Context>;

/**
 * Options of {@link createHandler} that both backends take.
 *
 * @example
 * ```ts
 * import { createHandler, type SentimentHandlerCommonOptions } from 'sentiment-lambda';
 * const common: SentimentHandlerCommonOptions = { vocabulary: { source: 'vocabulary.json' }, maxBatchSize: 20 };
 * export const viaEndpoint = createHandler({ ...common, endpointName: 'sentiment' });
 * export const inFunction = createHandler({ ...common, model: { source: 'model.ubj' } });
 * ```
 */
export interface SentimentHandlerCommonOptions
  extends ReviewRequestOptions,
    Pick<HttpReviewBodyParserOptions, 'maxBodyBytes'> {
  /**
   * Where the vocabulary comes from and how it is cached: the options of {@link vocabularyMiddleware},
   * e.g. `{ source: 'vocabulary.json' }`, `{ source: 's3://bucket/key', cacheExpiry: 3_600_000 }` or
   * `{ source: { good: 0, bad: 1 } }`. Required. Its `logger` and `timeoutEarlyInMillis` default to this
   * handler's.
   */
  vocabulary: VocabularyMiddlewareOptions;
  /**
   * The row format: `csv` (default: dense rows, as models trained on CSV read them) or `libsvm`. Behind an endpoint it is the
   * request body's format; in the function it decides the same thing, whether a word a review lacks is
   * 0 (`csv`) or a missing value (`libsvm`), so a model scores alike in both.
   */
  payloadFormat?: PayloadFormat;
  /** Origins allowed by CORS: `['*']` (default: any page may call the API) or an allowlist of `https://host` origins. */
  corsOrigins?: readonly string[];
  /**
   * Time kept back before Lambda's own timeout: the scoring is abandoned (the endpoint call aborted) and
   * the client gets a 504 this long before the function would be killed. Default 500 ms.
   */
  timeoutEarlyInMillis?: number;
  /** The Powertools logger. Default: a new `Logger` (service name from `POWERTOOLS_SERVICE_NAME`, else `sentiment-lambda`). */
  logger?: Logger;
  /** Log the review text with each request. Debugging only: reviews are personal data. Default `false`. */
  logReviewText?: boolean;
  /**
   * The Powertools `Metrics` the request metrics go to, or `false` for none. Default: a new `Metrics`, namespace
   * from `POWERTOOLS_METRICS_NAMESPACE` (else `SentimentLambda`), service from `POWERTOOLS_SERVICE_NAME` (else
   * `sentiment-lambda`); `POWERTOOLS_METRICS_DISABLED=true` stops it writing.
   */
  metrics?: Metrics | false;
}

/**
 * The options of a handler that scores with a SageMaker endpoint.
 *
 * @example
 * ```ts
 * import { createHandler, type SageMakerHandlerOptions } from 'sentiment-lambda';
 * const options: SageMakerHandlerOptions = {
 *   endpointName: 'sentiment-xgboost',
 *   vocabulary: { source: 's3://models.example/vocabulary.json' },
 *   clientConfig: { region: 'eu-west-1', maxAttempts: 2 },
 * };
 * export const handler = createHandler(options);
 * ```
 */
export interface SageMakerHandlerOptions extends SentimentHandlerCommonOptions {
  /** Name of the SageMaker endpoint to call. Give this or `model`, not both. */
  endpointName: string;
  model?: never;
  /** The SageMaker Runtime client to use. Default: one created at init from `clientConfig`. */
  client?: SageMakerRuntimeClient;
  /** Configuration of the default client (region, endpoint, retries...). Ignored when `client` is given. */
  clientConfig?: SageMakerRuntimeClientConfig;
}

/**
 * The options of a handler that scores with the model in the function: no SageMaker endpoint.
 *
 * @example
 * ```ts
 * import { createHandler, type InProcessHandlerOptions } from 'sentiment-lambda';
 * const options: InProcessHandlerOptions = {
 *   model: { source: 's3://models.example/output/model.tar.gz', cacheExpiry: 3_600_000 },
 *   vocabulary: { source: 's3://models.example/vocabulary.json' },
 * };
 * export const handler = createHandler(options);
 * ```
 */
export interface InProcessHandlerOptions extends SentimentHandlerCommonOptions {
  /**
   * Where the XGBoost model comes from and how it is cached: the options of {@link modelMiddleware}, e.g.
   * `{ source: 'model.packed' }` or `{ source: 's3://bucket/prefix/output/model.tar.gz', cacheExpiry: 3_600_000 }`.
   * Give this or `endpointName`, not both. Its `logger` and `timeoutEarlyInMillis` default to this handler's.
   */
  model: ModelMiddlewareOptions;
  endpointName?: never;
  client?: never;
  clientConfig?: never;
}

/**
 * Options of {@link createHandler}: the backend's (an endpoint, or the model in the function), and the rest.
 *
 * @example
 * ```ts
 * import { createHandler, type SentimentHandlerOptions } from 'sentiment-lambda';
 * const vocabulary = { source: 'vocabulary.json' };
 * const options: SentimentHandlerOptions = process.env.MODEL_SOURCE
 *   ? { model: { source: process.env.MODEL_SOURCE }, vocabulary }
 *   : { endpointName: 'sentiment', vocabulary };
 * export const handler = createHandler(options);
 * ```
 */
export type SentimentHandlerOptions = SageMakerHandlerOptions | InProcessHandlerOptions;

/**
 * The CSP of an API whose responses are never documents: `default-src 'none'; frame-ancestors 'none'`.
 * The middleware merges these over its helmet-style defaults for HTML pages, and drops a directive
 * whose value is falsy, except that the valueless `sandbox` and `upgrade-insecure-requests` are written
 * when given as `''`: `false` is the value that drops those two (its types say string only, hence the
 * one cast). test/reliability/security.test.ts holds every answer's header to exactly this.
 */
const API_CONTENT_SECURITY_POLICY: Record<string, string | false> = {
  'default-src': "'none'",
  'frame-ancestors': "'none'",
  'base-uri': false,
  sandbox: false,
  'form-action': false,
  'report-to': false,
  'require-trusted-types-for': false,
  'upgrade-insecure-requests': false,
};

/**
 * Security headers for a JSON/text API called cross-origin: helmet-style defaults are for HTML pages
 * (sandboxing CSP, COEP/COOP, permissions policy) and `Cross-Origin-Resource-Policy: same-origin`
 * would be wrong for an API meant to be called from other origins. Kept: nosniff, no framing, no
 * referrer, HSTS, and a CSP that allows nothing.
 */
const API_SECURITY_HEADERS = {
  contentSecurityPolicy: API_CONTENT_SECURITY_POLICY as Record<string, string>,
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  dnsPrefetchControl: false,
  downloadOptions: false,
  originAgentCluster: false,
  permissionsPolicy: false,
  permittedCrossDomainPolicies: false,
  reportTo: false,
} as const;

/**
 * http-cors answers the preflight from its `before` hook, and Middy runs no `after` hook for an early
 * response: the 204 left without the security headers every other answer has. Add them to it here.
 */
function withSecurityHeadersOnPreflight(
  cors: MiddlewareObj<unknown, unknown, Error>,
  securityHeaders: MiddlewareObj<unknown, unknown, Error>,
): MiddlewareObj<unknown, unknown, Error> {
  const { before: corsBefore } = cors;
  const { after: addSecurityHeaders } = securityHeaders;
  if (!corsBefore || !addSecurityHeaders) return cors;
  const httpCorsMiddlewareBefore: typeof corsBefore = (request) => {
    const preflightResponse = corsBefore(request);
    if (preflightResponse !== undefined) addSecurityHeaders(request);
    return preflightResponse;
  };
  return { ...cors, before: httpCorsMiddlewareBefore };
}

/**
 * The options createHandler checks itself. The ones it passes on are checked by the middleware that
 * takes them: `maxReviewChars` and `maxBatchSize` by reviewRequest, `maxBodyBytes` by httpReviewBodyParser,
 * `logReviewText` by requestLog, the vocabulary's own by vocabularyMiddleware.
 */
// Each default names an option of createHandler, with a value of its type (a misspelt key fails here:
// Pick takes only the options' keys). Checked here so that handler-defaults.ts imports nothing of the handler.
sentimentHandlerDefaults satisfies Required<Pick<SentimentHandlerCommonOptions, keyof typeof sentimentHandlerDefaults>>;

const optionSchema: OptionSchema = {
  type: 'object',
  required: ['vocabulary'],
  properties: {
    endpointName: { type: 'string' },
    model: { type: 'object', required: ['source'] },
    vocabulary: { type: 'object', required: ['source'] },
    payloadFormat: { enum: PAYLOAD_FORMATS },
    // `*`, or origins such as https://reviews.example (scheme, host, port; no path): src/http/origins.ts.
    corsOrigins: { type: 'array', items: { type: 'string', pattern: ORIGIN_OR_WILDCARD_PATTERN } },
    timeoutEarlyInMillis: { type: 'number', minimum: 0 },
    client: { type: 'object' },
    clientConfig: { type: 'object' },
    logger: { type: 'object' },
    metrics: { oneOf: [{ type: 'object' }, { const: false }] },
  },
  additionalProperties: false,
};

/**
 * Creates the Lambda handler: the full Middy chain around the core handler. Call it once, at module
 * load: the client or the model, the vocabulary prefetch and the encoder's tables are set up here, not
 * per request.
 *
 * @example
 * ```ts
 * import { createHandler } from 'sentiment-lambda';
 * export const handler = createHandler({ endpointName: 'sentiment-xgboost', vocabulary: { source: 'vocabulary.json' } });
 * // or, with the model in the function, no endpoint:
 * export const inProcess = createHandler({ model: { source: 'model.packed' }, vocabulary: { source: 'vocabulary.json' } });
 * ```
 * @throws {TypeError} naming the option, for a wrong option, or for both or neither of `endpointName` and `model`.
 */
export function createHandler(opts: SentimentHandlerOptions): SentimentHandler {
  const { maxReviewChars, maxBatchSize, maxBodyBytes, logReviewText, ...own } = opts ?? ({} as SentimentHandlerOptions);
  const hasEndpoint = own.endpointName !== undefined;
  const hasModel = own.model !== undefined;
  if (hasEndpoint === hasModel) {
    throw new TypeError(
      `createHandler: give exactly one of Option 'endpointName' (score with a SageMaker endpoint) and Option 'model' ` +
        `(score with the model in the function); ${hasEndpoint ? 'both were given' : 'neither was given'}.`,
    );
  }
  const options = resolveOptions('createHandler', optionSchema, sentimentHandlerDefaults, own);
  if (hasEndpoint && !isSageMakerEndpointName(options.endpointName)) {
    throw new TypeError(
      `createHandler: Option 'endpointName' ${JSON.stringify(options.endpointName)} is not a SageMaker endpoint name (letters, digits and hyphens, up to 63).`,
    );
  }
  const originsProblem = originListProblem(options.corsOrigins);
  if (originsProblem !== undefined) throw new TypeError(`createHandler: Option 'corsOrigins' ${originsProblem}.`);
  const serviceName = process.env.POWERTOOLS_SERVICE_NAME || DEFAULT_SERVICE_NAME;
  const logger = options.logger ?? new Logger({ serviceName });
  const metrics =
    options.metrics ??
    new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || DEFAULT_METRICS_NAMESPACE, serviceName });
  // The encoder's tables (and, for an endpoint, its CSV template) are built when the vocabulary loads,
  // at init with the prefetch, rather than in the first request.
  const given = options.vocabulary;
  const onLoad = (loaded: Vocabulary) => {
    bagOfWordsFor(loaded);
    if (hasEndpoint) payloadEncoderFor(loaded, options.payloadFormat);
    given.onLoad?.(loaded);
  };
  // Loads wait, in the before hooks, no longer than the handler's own deadline allows.
  const loading = { logger, timeoutEarlyInMillis: options.timeoutEarlyInMillis };
  const vocabulary = { ...loading, ...given, onLoad };
  const backend = hasEndpoint
    ? sageMakerBackendAtInit(options as SageMakerHandlerOptions & typeof sentimentHandlerDefaults)
    : inProcessBackend({ payloadFormat: options.payloadFormat });
  const sourceMiddlewares = hasEndpoint
    ? [vocabularyMiddleware(vocabulary)]
    : [vocabularyMiddleware(vocabulary), modelMiddleware({ ...loading, ...(options.model as ModelMiddlewareOptions) })];

  const securityHeaders = httpSecurityHeaders(API_SECURITY_HEADERS);
  const handler = middy(createReviewClassifier({ backend: backend as ScoringBackend<unknown> }), {
    // The request's report and clock start before any middleware: the latency logged is the whole chain's.
    requestStart: startRequestState,
    timeoutEarlyInMillis: options.timeoutEarlyInMillis,
    timeoutEarlyResponse: () => {
      throw modelTimeoutError();
    },
  })
    // logEvent: false, whatever POWERTOOLS_LOGGER_LOG_EVENT says: the event holds the review, which only
    // logReviewText lets into the log.
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(metrics === false ? [] : logMetrics(metrics, { captureColdStartMetric: true }))
    .use(requestLog({ logger, logReviewText }))
    .use(metrics === false ? [] : requestMetrics({ metrics }))
    .use(securityHeaders)
    .use(httpErrorBody())
    .use(httpEventGuard())
    .use(
      withSecurityHeadersOnPreflight(
        httpCors({
          origins: [...options.corsOrigins],
          disableBeforePreflightResponse: false,
          methods: 'POST,OPTIONS',
          headers: 'Content-Type,Accept',
          maxAge: 600,
        }),
        securityHeaders,
      ),
    )
    .use(httpErrorHandler({ logger: false }))
    .use(httpReviewBodyParser({ maxBodyBytes }))
    .use(validator({ eventSchema: reviewRequestEventSchema }))
    .use(reviewRequest({ maxReviewChars, maxBatchSize }))
    .use(sourceMiddlewares);
  // What the middlewares add to the context is the pipeline's business: callers (Lambda, tests) pass
  // a plain Lambda context.
  return handler as unknown as SentimentHandler;
}

/**
 * The SageMaker backend, its client created now (at init). The AWS SDK is imported here, on demand, so
 * that a function scoring in process never loads it.
 */
async function sageMakerBackendAtInit(options: SageMakerHandlerOptions & { payloadFormat: PayloadFormat }) {
  const [{ sageMakerBackend }, { createSageMakerClient }] = await Promise.all([
    import('./backends/sagemaker.ts'),
    import('./sagemaker/client.ts'),
  ]);
  return sageMakerBackend({
    endpointName: options.endpointName,
    client: options.client ?? createSageMakerClient(options.clientConfig),
    payloadFormat: options.payloadFormat,
  });
}
