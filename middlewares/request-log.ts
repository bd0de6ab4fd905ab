/**
 * One structured log line per request: status, total and endpoint latency, review count, words and
 * known words, and on failure the error's name and SageMaker request id. Request id and cold start
 * come from Powertools' `injectLambdaContext`. The review text is never logged unless `logReviewText`
 * is switched on for debugging.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import { type OptionSchema, resolveOptions } from '../src/options.ts';
import { type RequestReportContext, requestElapsedMs, requestReportOf } from '../src/request-state.ts';

// For users of this subpath alone: the report's types.
export type { RequestReport, RequestReportContext } from '../src/request-state.ts';
export type { EndpointFailure } from '../src/sagemaker/errors.ts';

/**
 * What {@link requestLog} adds to the Lambda context: a record the handler fills in.
 *
 * @example
 * ```ts
 * import type { RequestLogContext } from 'sentiment-lambda';
 * const countReviews = (context: RequestLogContext, reviews: readonly string[]) => {
 *   context.requestReport.reviews = reviews.length; // in the request's log line
 * };
 * ```
 */
export type RequestLogContext = RequestReportContext;

/**
 * Options of {@link requestLog}.
 *
 * @example
 * ```ts
 * import { Logger } from '@aws-lambda-powertools/logger';
 * import { requestLog } from 'sentiment-lambda/middlewares/request-log';
 * const log = requestLog({ logger: new Logger({ serviceName: 'reviews' }), logReviewText: process.env.STAGE === 'dev' });
 * ```
 */
export interface RequestLogOptions {
  /** The Powertools logger to write to. Required. */
  logger: Logger;
  /** Log the review text too. For debugging only: reviews are personal data. Default `false`. */
  logReviewText?: boolean;
}

const defaults = { logReviewText: false };

const optionSchema: OptionSchema = {
  type: 'object',
  required: ['logger'],
  properties: { logger: { type: 'object' }, logReviewText: { type: 'boolean' } },
  additionalProperties: false,
};

type LogRequest = Request<unknown, unknown, Error, Context & RequestLogContext, Record<string, unknown>>;

function errorDetails(error: unknown): Record<string, unknown> {
  const e = error as { name?: string; message?: string; statusCode?: number; cause?: unknown };
  const cause = e?.cause as { name?: string; message?: string; $metadata?: { requestId?: string } } | undefined;
  return {
    error: e?.name,
    errorMessage: e?.message,
    ...(cause && typeof cause === 'object'
      ? {
          cause: cause.name,
          causeMessage: cause.message,
          ...(cause.$metadata?.requestId ? { sageMakerRequestId: cause.$metadata.requestId } : {}),
        }
      : {}),
  };
}

/**
 * Middy middleware: logs one line per request when it ends, successfully or not. Its `latencyMs` counts
 * from the request's start when the chain starts the request's state in Middy's `requestStart` hook, as
 * `createHandler`'s does (`middy(handler, { requestStart: startRequestState })`), else from its own `before`.
 *
 * @example
 * ```ts
 * import { Logger } from '@aws-lambda-powertools/logger';
 * import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
 * import middy from '@middy/core';
 * import { startRequestState } from 'sentiment-lambda';
 * import { requestLog } from 'sentiment-lambda/middlewares/request-log';
 * const logger = new Logger({ serviceName: 'reviews' });
 * export const handler = middy({ requestStart: startRequestState })
 *   .use(injectLambdaContext(logger)) // the request id on the line
 *   .use(requestLog({ logger }))
 *   .handler(async (_event, context) => {
 *     context.requestReport.reviews = 1;
 *     return { statusCode: 200, body: '1' };
 *   });
 * ```
 */
export function requestLog(
  options: RequestLogOptions,
): MiddlewareObj<unknown, unknown, Error, Context & RequestLogContext> {
  const { logger, logReviewText } = resolveOptions('requestLog', optionSchema, defaults, options);
  if (typeof logger.info !== 'function' || typeof logger.warn !== 'function' || typeof logger.error !== 'function') {
    throw new TypeError("requestLog: Option 'logger' must be a Powertools Logger (with info, warn and error).");
  }

  // The report must exist before the handler runs, to be filled in. Its clock starts at Middy's
  // requestStart hook (startRequestState) when the chain has it, else here.
  const requestLogMiddlewareBefore = (request: LogRequest) => {
    requestReportOf(request);
  };

  const requestLogMiddlewareAfter = (request: LogRequest) => {
    const { reviewText, ...metrics } = requestReportOf(request);
    const status = (request.response as { statusCode?: number } | undefined)?.statusCode;
    const line = {
      status,
      latencyMs: requestElapsedMs(request),
      ...metrics,
      ...(request.error ? errorDetails(request.error) : {}),
      ...(logReviewText && reviewText ? { reviewText } : {}),
    };
    if (status !== undefined && status >= 500) logger.error('request failed', line);
    else if (request.error) logger.warn('request rejected', line);
    else logger.info('request', line);
  };

  return { before: requestLogMiddlewareBefore, after: requestLogMiddlewareAfter, onError: requestLogMiddlewareAfter };
}
