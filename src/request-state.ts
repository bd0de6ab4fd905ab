/**
 * A request's state, in one place: the reviews as the core handler receives them ({@link ReviewRequest},
 * which the `reviewRequest` middleware puts on the context), and what the handler reports about the
 * request to the request log and the metrics ({@link RequestReport}).
 *
 * The report and the request's start time live in Middy's `request.internal`, under
 * {@link REQUEST_STATE_KEY}, as Powertools keeps its own per-request state: Middy makes that object afresh
 * for each invocation, so a context object reused across invocations (a test's, a custom runner's) never
 * carries one request's report into the next. The core handler sees only the event and the context, so
 * the context carries the same report as `context.requestReport`, for the handler to fill in.
 */
import { monotonicMs, roundMs } from './monotonic-clock.ts';
import type { EndpointFailure } from './sagemaker/errors.ts';

/**
 * How the client sent its reviews, which decides how it is answered: `text` (the web page's contract, raw
 * text in, `1`/`0` out), `review` (JSON, one result) or `reviews` (JSON batch, one result each).
 *
 * @example
 * ```ts
 * import type { ReviewRequestShape } from 'sentiment-lambda';
 * const answersInText = (shape: ReviewRequestShape) => shape === 'text'; // 1 or 0, as the web page expects
 * ```
 */
export type ReviewRequestShape = 'text' | 'review' | 'reviews';

/**
 * The validated request.
 *
 * @example
 * ```ts
 * import type { ReviewRequest } from 'sentiment-lambda';
 * // What reviewRequest sets as `context.reviewRequest` for the JSON body {"reviews": ["Great", "Dull"]}:
 * const request: ReviewRequest = { shape: 'reviews', reviews: ['Great', 'Dull'], explain: false };
 * ```
 */
export interface ReviewRequest {
  readonly shape: ReviewRequestShape;
  /** One entry per review, in request order; never empty, no entry blank or over the length limit. */
  readonly reviews: readonly string[];
  /**
   * Whether each result carries its explanation (JSON `"explain": true`, or `?explain=true` with the page's
   * text body). The answer is then JSON whatever the client accepts: `1`/`0` has no room for it.
   */
  readonly explain: boolean;
}

/**
 * What the core handler reports about a request, for the request log and the metrics. All optional: a
 * request may fail before any is known.
 *
 * @example
 * ```ts
 * import type { RequestReport } from 'sentiment-lambda';
 * // A handler's own figures, for the requestLog line and the requestMetrics metrics.
 * function reportReviews(report: RequestReport, reviews: readonly string[]): void {
 *   report.reviews = reviews.length;
 *   report.backend = 'in-process';
 * }
 * ```
 */
export interface RequestReport {
  /** Which backend scored the reviews: a SageMaker endpoint, or the model in the function. */
  backend?: 'sagemaker' | 'in-process';
  /** The request asked for explanations. */
  explain?: boolean;
  reviews?: number;
  words?: number;
  knownWords?: number;
  /** Bytes sent to the SageMaker endpoint. */
  payloadBytes?: number;
  /** The InvokeEndpoint call, SDK retries included. */
  endpointLatencyMs?: number;
  /** Scoring in the function (the in-process backend). */
  modelLatencyMs?: number;
  sageMakerRequestId?: string;
  variant?: string;
  /** How the endpoint call failed, when it did. */
  endpointFailure?: EndpointFailure;
  /** The reviews; the request log writes them only when told to log review text. */
  reviewText?: readonly string[];
}

/**
 * What the request log and the request metrics add to the Lambda context: the report the handler fills in.
 *
 * @example
 * ```ts
 * import { Logger } from '@aws-lambda-powertools/logger';
 * import middy from '@middy/core';
 * import { requestLog } from 'sentiment-lambda';
 * export const handler = middy()
 *   .use(requestLog({ logger: new Logger() }))
 *   .handler(async (_event, context) => {
 *     context.requestReport.reviews = 1; // in the request's log line
 *     return { statusCode: 200, body: '1' };
 *   });
 * ```
 */
export interface RequestReportContext {
  requestReport: RequestReport;
}

/** The key of the request's state in Middy's `request.internal`. */
export const REQUEST_STATE_KEY = 'sentiment-lambda.request';

interface RequestState {
  readonly report: RequestReport;
  /** When the request started, on the monotonic clock. */
  readonly startedMs: number;
}

/**
 * The part of a Middy request this module reads and writes.
 *
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import { type StatefulRequest, startRequestState } from 'sentiment-lambda';
 * // A requestStart hook of your own, which starts the request's state too.
 * const requestStart = (request: StatefulRequest) => {
 *   startRequestState(request);
 *   request.internal.receivedAt = Date.now();
 * };
 * export const handler = middy({ requestStart }).handler(async () => ({ statusCode: 204, body: '' }));
 * ```
 */
export interface StatefulRequest {
  context: object;
  internal: Record<string, unknown>;
}

/**
 * Starts the request's state: its report and its clock. It is Middy's `requestStart` hook, which runs
 * before any middleware, so the latency the log and the metrics report is the whole chain's, whatever
 * order the middlewares are in: `middy(handler, { requestStart: startRequestState })`.
 *
 * @example
 * ```ts
 * import { Logger } from '@aws-lambda-powertools/logger';
 * import middy from '@middy/core';
 * import { requestLog, startRequestState } from 'sentiment-lambda';
 * // The log line's latencyMs then counts the whole chain, whatever the middlewares' order.
 * export const handler = middy({ requestStart: startRequestState })
 *   .use(requestLog({ logger: new Logger() }))
 *   .handler(async () => ({ statusCode: 200, body: '1' }));
 * ```
 */
export function startRequestState(request: StatefulRequest): void {
  const state: RequestState = { report: {}, startedMs: monotonicMs() };
  request.internal[REQUEST_STATE_KEY] = state;
  (request.context as Partial<RequestReportContext>).requestReport = state.report;
}

function stateOf(request: StatefulRequest): RequestState {
  // A chain built without the hook starts the state at the first middleware that asks for it.
  if (request.internal[REQUEST_STATE_KEY] === undefined) startRequestState(request);
  return request.internal[REQUEST_STATE_KEY] as RequestState;
}

/** The request's report (started now if {@link startRequestState} has not run). */
export function requestReportOf(request: StatefulRequest): RequestReport {
  return stateOf(request).report;
}

/** Milliseconds since the request started, to a hundredth: one figure for the log and the metrics. */
export function requestElapsedMs(request: StatefulRequest): number {
  return roundMs(monotonicMs() - stateOf(request).startedMs);
}
