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
}

import type { EndpointFailure } from './sagemaker/errors.ts';

/**
 * What the core handler reports about a request, for the request log and the metrics. All optional: a
 * request may fail before any is known.
 */
export interface RequestReport {
  reviews?: number;
  words?: number;
  knownWords?: number;
  payloadBytes?: number;
  endpointLatencyMs?: number;
  sageMakerRequestId?: string;
  variant?: string;
  /** How the endpoint call failed, when it did. */
  endpointFailure?: EndpointFailure;
  /** The reviews; the request log writes them only when told to log review text. */
  reviewText?: readonly string[];
}

const reports = new WeakMap<object, RequestReport>();

/**
 * The report of this request, made on first use and set as `context.requestReport`. One per Middy
 * request object, which Middy makes afresh for each invocation: a context object reused across
 * invocations (a test's, a custom runner's) starts each one with an empty report, not the last one's.
 */
export function requestReportOf(request: { context: { requestReport?: RequestReport } }): RequestReport {
  let report = reports.get(request);
  if (report === undefined) {
    report = {};
    reports.set(request, report);
    request.context.requestReport = report;
  }
  return report;
}
