/**
 * The core handler, the review classifier: count the validated reviews' vocabulary words, have the
 * backend score the rows (a SageMaker endpoint, or the model in the function: src/backends/), answer in
 * the client's shape. Everything around it (parsing, validation, vocabulary, model, CORS, errors, logs)
 * is middleware: see pipeline.ts.
 */
import type { MiddyHandlerObject } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { ScoringBackend } from './backends/backend.ts';
import { bagOfWordsFor } from './encoder/bag-of-words.ts';
import type { Vocabulary } from './encoder/vocabulary.ts';
import { clientError } from './http/errors.ts';
import { type HttpEventHead, type HttpResult, wantsJson } from './http/event.ts';
import type { RequestReport, ReviewRequest } from './request-state.ts';
import { toSentiment } from './sentiment.ts';

/**
 * The context the review classifier runs with: what the pipeline's middlewares add (the vocabulary,
 * the validated request, and the record the request log reads), and what its backend needs.
 *
 * @example
 * ```ts
 * import type { ReviewClassifierContext, ScoringModelContext } from 'sentiment-lambda';
 * // What the classifier of the in-process backend sees: the middlewares' vocabulary and request, and the model.
 * type InProcessContext = ReviewClassifierContext<ScoringModelContext>;
 * const reviewsOf = (context: InProcessContext) => context.reviewRequest.reviews;
 * ```
 */
export type ReviewClassifierContext<TBackendContext = unknown> = Context &
  TBackendContext & {
    vocabulary: Vocabulary;
    reviewRequest: ReviewRequest;
    requestReport?: RequestReport;
  };

/**
 * Options of {@link createReviewClassifier}.
 *
 * @example
 * ```ts
 * import { createReviewClassifier, createSageMakerClient, type ReviewClassifierOptions, sageMakerBackend } from 'sentiment-lambda';
 * const options: ReviewClassifierOptions = {
 *   backend: sageMakerBackend({ endpointName: 'sentiment', client: createSageMakerClient(), payloadFormat: 'csv' }),
 * };
 * const classify = createReviewClassifier(options);
 * ```
 */
export interface ReviewClassifierOptions<TBackendContext = unknown> {
  /** What scores the rows: `sageMakerBackend(...)` or `inProcessBackend(...)`. */
  backend: ScoringBackend<TBackendContext> | Promise<ScoringBackend<TBackendContext>>;
}

/** The 400 of a request for explanations to a function that calls an endpoint: what to do instead. */
export const EXPLAIN_NEEDS_THE_MODEL_MESSAGE =
  'Explanations need the model in the function, and this one scores with a SageMaker endpoint, which cannot ' +
  'return them: ask without "explain", or deploy the model in the function (MODEL_SOURCE, or a build with --model).';

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' };
const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };

/**
 * Creates the review classifier, the handler at the core of the chain.
 *
 * The handler reads `context.vocabulary`, `context.reviewRequest` and (in process) `context.model`: register
 * the middlewares that set them. `createHandler` is this handler inside the whole chain.
 *
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import httpErrorHandler from '@middy/http-error-handler';
 * import validator from '@middy/validator';
 * import {
 *   createReviewClassifier,
 *   httpReviewBodyParser,
 *   inProcessBackend,
 *   modelMiddleware,
 *   reviewRequest,
 *   reviewRequestEventSchema,
 *   startRequestState,
 *   vocabularyMiddleware,
 * } from 'sentiment-lambda';
 *
 * // A smaller chain than createHandler's: no CORS, security headers, logs or metrics.
 * const classify = createReviewClassifier({ backend: inProcessBackend({ payloadFormat: 'csv' }) });
 * export const handler = middy(classify, { requestStart: startRequestState })
 *   .use(httpErrorHandler())
 *   .use(httpReviewBodyParser())
 *   .use(validator({ eventSchema: reviewRequestEventSchema }))
 *   .use(reviewRequest())
 *   .use(vocabularyMiddleware({ source: 'vocabulary.json' }))
 *   .use(modelMiddleware({ source: 'model.ubj' }));
 * ```
 */
export function createReviewClassifier<TBackendContext = unknown>({
  backend,
}: ReviewClassifierOptions<TBackendContext>) {
  // A backend still being set up at init (the SageMaker client's import) is awaited once, by the first
  // request that needs it; after that the handler holds it.
  let ready = backend instanceof Promise ? undefined : backend;
  const pending = backend instanceof Promise ? backend.then((loaded) => (ready = loaded)) : undefined;
  // A failed set-up fails the requests that await it (a 500, logged), not the process, before any arrives.
  pending?.catch(() => {});

  return async function classifyReviews(
    event: unknown,
    context: ReviewClassifierContext<TBackendContext>,
    { signal }: MiddyHandlerObject,
  ): Promise<HttpResult> {
    const { reviews, shape, explain } = context.reviewRequest;
    const { vocabulary } = context;
    const counted = bagOfWordsFor(vocabulary).countAll(reviews);
    const report = context.requestReport;
    const scorer = ready ?? (await (pending as Promise<ScoringBackend<TBackendContext>>));
    if (report) {
      report.backend = scorer.name;
      report.reviews = reviews.length;
      report.words = counted.words;
      report.knownWords = counted.knownWords;
      report.reviewText = reviews;
      if (explain) report.explain = true;
    }
    const rows = { ...counted, vocabulary };
    const call = { context, signal, report };
    if (explain) {
      if (scorer.explain === undefined) throw clientError(400, EXPLAIN_NEEDS_THE_MODEL_MESSAGE);
      const results = (await scorer.explain(rows, call)).map(({ score, explanation }) => ({
        ...toSentiment(score),
        explanation,
      }));
      // Always JSON: the page's `1`/`0` has no room for an explanation.
      const body = shape === 'reviews' ? { results } : results[0];
      return { statusCode: 200, headers: { ...JSON_TYPE }, body: JSON.stringify(body) };
    }
    const results = (await scorer.score(rows, call)).map(toSentiment);
    // The text contract: raw text in, `1`/`0` out (Python's round() of the score); a text client that asks
    // for JSON gets the score too.
    if (shape === 'text' && !wantsJson(event as HttpEventHead)) {
      return { statusCode: 200, headers: { ...TEXT }, body: String(results[0]?.sentiment) };
    }
    const body = shape === 'reviews' ? { results } : results[0];
    return { statusCode: 200, headers: { ...JSON_TYPE }, body: JSON.stringify(body) };
  };
}
