/**
 * CloudWatch metrics for each request, added to a Powertools `Metrics` (EMF): the request count, the
 * handler's latency and the scoring's (the endpoint call's, or the model's in the function), the reviews
 * and payload bytes, how much of the reviews the vocabulary knows, and endpoint failures by kind. It only adds them: Powertools' `logMetrics`
 * middleware, registered before this one (so that its `after` runs after this one's), writes them as
 * one EMF line when the invocation ends.
 *
 * Every metric is published twice, under the `service` dimension and under `service` + `StatusClass`
 * (`2xx`, `4xx`, `5xx`): the 5xx rate is `Requests` of `5xx` over all `Requests`. No dimension or metric
 * holds anything from the request: no ids, no text.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj, Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import { type OptionSchema, resolveOptions } from '../src/options.ts';
import { type RequestReportContext, requestElapsedMs, requestReportOf } from '../src/request-state.ts';
import type { EndpointFailure } from '../src/sagemaker/errors.ts';

/**
 * The metrics {@link requestMetrics} writes, and their CloudWatch units.
 *
 * @example
 * ```ts
 * import { REQUEST_METRICS } from 'sentiment-lambda';
 * for (const [name, unit] of Object.entries(REQUEST_METRICS)) console.log(`${name} (${unit})`); // Requests (Count), ...
 * ```
 */
export const REQUEST_METRICS = {
  /** One per request answered (the CORS preflight is not counted). */
  Requests: 'Count',
  /**
   * From the request's start (Middy's `requestStart` hook, `startRequestState`; without it, the first
   * `before` that keeps the request's report) to this middleware's `after`: the function's own time for
   * the request.
   */
  HandlerLatency: 'Milliseconds',
  /** The InvokeEndpoint call, SDK retries included; only when the endpoint answered. */
  EndpointLatency: 'Milliseconds',
  /** Scoring the reviews with the model in the function (the in-process backend). */
  ModelLatency: 'Milliseconds',
  /** Reviews in a valid request. */
  Reviews: 'Count',
  /** Size of the body sent to the endpoint. */
  PayloadBytes: 'Bytes',
  /** Words of the request's reviews that the vocabulary knows, over all their words; only when there are words. */
  VocabularyCoverage: 'Percent',
  /** Endpoint calls that failed, whatever the reason. */
  EndpointErrors: 'Count',
  /** Endpoint calls the model container failed (SageMaker's ModelError). */
  ModelErrors: 'Count',
  /** Endpoint calls refused as busy: throttling, the model not ready, the service unavailable. */
  EndpointThrottles: 'Count',
} as const;

/**
 * The dimension that splits every metric by the answer's status class.
 *
 * @example
 * ```ts
 * import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
 * import { STATUS_CLASS_DIMENSION } from 'sentiment-lambda';
 * // The requests answered 5xx, for an alarm of your own.
 * const serverErrors = new Metric({
 *   namespace: 'SentimentLambda',
 *   metricName: 'Requests',
 *   dimensionsMap: { service: 'sentiment-lambda', [STATUS_CLASS_DIMENSION]: '5xx' },
 *   statistic: 'Sum',
 * });
 * ```
 */
export const STATUS_CLASS_DIMENSION = 'StatusClass';

/**
 * What {@link requestMetrics} adds to the Lambda context: the record the core handler fills in.
 *
 * @example
 * ```ts
 * import type { RequestMetricsContext } from 'sentiment-lambda';
 * const reportScoring = (context: RequestMetricsContext, latencyMs: number) => {
 *   context.requestReport.modelLatencyMs = latencyMs; // the ModelLatency metric
 * };
 * ```
 */
export type RequestMetricsContext = RequestReportContext;

// For users of this subpath alone: the report's types.
export type { RequestReport, RequestReportContext } from '../src/request-state.ts';
export type { EndpointFailure } from '../src/sagemaker/errors.ts';

/**
 * Options of {@link requestMetrics}.
 *
 * @example
 * ```ts
 * import { Metrics } from '@aws-lambda-powertools/metrics';
 * import { requestMetrics } from 'sentiment-lambda/middlewares/request-metrics';
 * const metrics = requestMetrics({ metrics: new Metrics({ namespace: 'Reviews', serviceName: 'reviews' }) });
 * ```
 */
export interface RequestMetricsOptions {
  /** The Powertools `Metrics` to add to; `logMetrics(metrics)` must be in the chain to write them. Required. */
  metrics: Metrics;
}

const optionSchema: OptionSchema = {
  type: 'object',
  required: ['metrics'],
  properties: { metrics: { type: 'object' } },
  additionalProperties: false,
};

type MetricsRequest = Request<unknown, unknown, Error, Context & RequestMetricsContext, Record<string, unknown>>;

const FAILURE_METRICS: Partial<Record<EndpointFailure, keyof typeof REQUEST_METRICS>> = {
  ModelError: 'ModelErrors',
  Throttled: 'EndpointThrottles',
};

/** `2xx`, `4xx`, `5xx`: an answer without a status is a 5xx (Lambda reports it as an error). */
function statusClass(status: number | undefined): string {
  return status === undefined || status >= 500 ? '5xx' : `${Math.floor(status / 100)}xx`;
}

/**
 * Middy middleware: adds each request's metrics to `metrics` when the request ends.
 *
 * @example
 * ```ts
 * import { Metrics } from '@aws-lambda-powertools/metrics';
 * import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
 * import middy from '@middy/core';
 * import { startRequestState } from 'sentiment-lambda';
 * import { requestMetrics } from 'sentiment-lambda/middlewares/request-metrics';
 * const metrics = new Metrics({ namespace: 'Reviews', serviceName: 'reviews' });
 * export const handler = middy({ requestStart: startRequestState })
 *   .use(logMetrics(metrics)) // before: its after hook writes what requestMetrics added
 *   .use(requestMetrics({ metrics }))
 *   .handler(async () => ({ statusCode: 200, body: '1' }));
 * ```
 */
export function requestMetrics(
  options: RequestMetricsOptions,
): MiddlewareObj<unknown, unknown, Error, Context & RequestMetricsContext> {
  const { metrics } = resolveOptions('requestMetrics', optionSchema, {}, options);
  if (typeof metrics.addMetric !== 'function' || typeof metrics.addDimensions !== 'function') {
    throw new TypeError("requestMetrics: Option 'metrics' must be a Powertools Metrics.");
  }
  const add = (name: keyof typeof REQUEST_METRICS, value: number): void => {
    metrics.addMetric(name, REQUEST_METRICS[name], value);
  };

  // The report must exist before the handler runs, to be filled in. Its clock starts at Middy's
  // requestStart hook (startRequestState) when the chain has it, else here.
  const requestMetricsMiddlewareBefore = (request: MetricsRequest): void => {
    requestReportOf(request);
  };

  const requestMetricsMiddlewareAfter = (request: MetricsRequest): void => {
    const report = requestReportOf(request);
    const status = (request.response as { statusCode?: number } | undefined)?.statusCode;
    // Two dimension sets, one document: the service alone, and the service with the status class.
    metrics.addDimensions({});
    metrics.addDimensions({ [STATUS_CLASS_DIMENSION]: statusClass(status) });
    add('Requests', 1);
    add('HandlerLatency', requestElapsedMs(request));
    if (report.endpointLatencyMs !== undefined) add('EndpointLatency', report.endpointLatencyMs);
    if (report.modelLatencyMs !== undefined) add('ModelLatency', report.modelLatencyMs);
    if (report.reviews !== undefined) add('Reviews', report.reviews);
    if (report.payloadBytes !== undefined) add('PayloadBytes', report.payloadBytes);
    if (report.words !== undefined && report.words > 0 && report.knownWords !== undefined) {
      add('VocabularyCoverage', Math.round((10_000 * report.knownWords) / report.words) / 100);
    }
    const failure = report.endpointFailure;
    if (failure !== undefined) {
      add('EndpointErrors', 1);
      const specific = FAILURE_METRICS[failure];
      if (specific !== undefined) add(specific, 1);
    }
  };

  return {
    before: requestMetricsMiddlewareBefore,
    after: requestMetricsMiddlewareAfter,
    onError: requestMetricsMiddlewareAfter,
  };
}
