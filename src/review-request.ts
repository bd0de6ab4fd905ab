/**
 * The review request as the core handler sees it, once the middlewares have parsed and checked it.
 */

/**
 * How the client sent its reviews, which decides how it is answered: `text` (the original contract,
 * raw text in, `1`/`0` out), `review` (JSON, one result) or `reviews` (JSON batch, one result each).
 */
export type ReviewRequestShape = 'text' | 'review' | 'reviews';

/** The validated request. */
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

import { monotonicMs, roundMs } from './monotonic-clock.ts';
import type { EndpointFailure } from './sagemaker/errors.ts';

/**
 * What the core handler reports about a request, for the request log and the metrics. All optional: a
 * request may fail before any is known.
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

/** What a middleware that keeps the request's report adds to the Lambda context. */
export interface RequestReportContext {
  requestReport: RequestReport;
}

/** Each request's report, and when it was made (the request's start for the log and the metrics). */
const reports = new WeakMap<object, { report: RequestReport; startedMs: number }>();

/**
 * The report of this request, made on first use and set as `context.requestReport`. One per Middy
 * request object, which Middy makes afresh for each invocation: a context object reused across
 * invocations (a test's, a custom runner's) starts each one with an empty report, not the last one's.
 * The first use also starts the request's clock ({@link requestElapsedMs}).
 */
export function requestReportOf(request: { context: { requestReport?: RequestReport } }): RequestReport {
  let entry = reports.get(request);
  if (entry === undefined) {
    entry = { report: {}, startedMs: monotonicMs() };
    reports.set(request, entry);
    request.context.requestReport = entry.report;
  }
  return entry.report;
}

/**
 * Milliseconds since the request's report was made (the first `before` hook that asked for it), to a
 * hundredth: one start for the request log and the metrics. 0 for a request without a report.
 */
export function requestElapsedMs(request: object): number {
  const entry = reports.get(request);
  return entry === undefined ? 0 : roundMs(monotonicMs() - entry.startedMs);
}
