/**
 * What a client is told when the SageMaker call fails. Statuses say what the client can do: 502 (the
 * model or its configuration failed: retrying will not help), 503 with `Retry-After` (busy or not
 * ready: retry later), 504 (no answer in time). Messages never include internals; the log keeps the
 * SDK error, its name and the SageMaker request id (see the request log).
 */
import type { HttpError } from '@middy/util';
import { clientError, RETRY_AFTER_SECONDS } from '../http/errors.ts';
import { ScoreParseError } from './scores.ts';

const BUSY = new Set([
  'ModelNotReadyException',
  'ThrottlingException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalDependencyException',
  'TooManyRequestsException',
]);
const TIMEOUT = new Set(['AbortError', 'TimeoutError', 'RequestTimeout', 'TimeoutException']);
// ETIMEDOUT is left out: a request that timed out is a 504, whatever the socket says.
const NETWORK = /^(ECONNRESET|ECONNREFUSED|EPIPE|ENOTFOUND|EAI_AGAIN|ECONNABORTED|EHOSTUNREACH)$/;

/**
 * SageMaker's XGBoost container on a row as wide as the vocabulary but not as the model: "Feature size of
 * csv inference data 4999 is not consistent with feature size of trained model 5000." (libsvm: "... is larger
 * than ..."). Data width first, then the model's.
 */
const FEATURE_SIZE =
  /Feature size of \S+ inference data (\d+) is (?:not consistent with|larger than) feature size of trained model (\d+)/;

/**
 * The 502 for a `ModelError` that is the container's width mismatch, naming both feature counts and the
 * likely fix; `undefined` for any other error.
 */
function featureSizeError(error: unknown): HttpError | undefined {
  const e = error as { OriginalMessage?: unknown; message?: unknown };
  const text = typeof e?.OriginalMessage === 'string' ? e.OriginalMessage : e?.message;
  const match = typeof text === 'string' ? FEATURE_SIZE.exec(text) : null;
  if (match === null) return undefined;
  const [, request, model] = match;
  return clientError(
    502,
    `The sentiment model expects ${model} features; the request has ${request}: the vocabulary the function uses ` +
      'does not match the model. Deploy the vocabulary the model was trained with.',
    { cause: error },
  );
}

/** The name SageMaker or the SDK gave the error. */
function sageMakerErrorName(error: unknown): string {
  const e = error as { name?: unknown; code?: unknown };
  return typeof e?.name === 'string' ? e.name : typeof e?.code === 'string' ? e.code : 'UnknownError';
}

/**
 * How an endpoint call failed, in a few kinds: what the client is told follows from it, and the
 * metrics count the kinds (never the raw error name, which could be anything).
 *
 * @example
 * ```ts
 * import type { EndpointFailure, RequestReport } from 'sentiment-lambda';
 * // requestMetrics counts every kind as EndpointErrors, ModelError as ModelErrors, Throttled as EndpointThrottles.
 * const reportFailure = (report: RequestReport, failure: EndpointFailure) => {
 *   report.endpointFailure = failure;
 * };
 * ```
 */
export type EndpointFailure =
  | 'UnreadableReply'
  | 'ModelError'
  | 'Rejected'
  | 'Throttled'
  | 'Unreachable'
  | 'Timeout'
  | 'Other';

/** The kind of failure of an endpoint call that threw `error`. */
export function endpointFailureOf(error: unknown): EndpointFailure {
  const name = sageMakerErrorName(error);
  const code = (error as { code?: unknown })?.code;
  if (error instanceof ScoreParseError) return 'UnreadableReply';
  if (name === 'ModelError') return 'ModelError';
  if (name === 'ValidationError') return 'Rejected';
  if (BUSY.has(name)) return 'Throttled';
  // Before the timeout names: the SDK's HTTP handler renames ECONNRESET/EPIPE errors "TimeoutError"
  // so that they are retried, but a dropped connection is not a slow model.
  if (typeof code === 'string' && NETWORK.test(code)) return 'Unreachable';
  if (TIMEOUT.has(name)) return 'Timeout';
  return 'Other';
}

/** Maps a failed endpoint call, of the kind `failure`, to the HTTP error the client gets. */
export function toClientError(error: unknown, failure: EndpointFailure = endpointFailureOf(error)): HttpError {
  switch (failure) {
    case 'UnreadableReply':
      return clientError(502, 'The sentiment model gave an answer that could not be read as one score per review.', {
        cause: error,
      });
    case 'ModelError':
      return (
        featureSizeError(error) ??
        clientError(502, 'The sentiment model failed while scoring the review.', { cause: error })
      );
    case 'Rejected':
      return clientError(
        502,
        'The sentiment model endpoint rejected the call (it may not exist or be misconfigured).',
        { cause: error },
      );
    case 'Throttled':
      return clientError(503, 'The sentiment model is busy or not ready. Try again in a few seconds.', {
        headers: { 'Retry-After': RETRY_AFTER_SECONDS },
        cause: error,
      });
    case 'Unreachable':
      return clientError(502, 'The sentiment model endpoint could not be reached.', { cause: error });
    case 'Timeout':
      return modelTimeoutError(error);
    default:
      return clientError(502, 'The call to the sentiment model failed.', { cause: error });
  }
}

/** The 504 for a model that did not answer before the deadline (the SDK's, or the handler's own). */
export function modelTimeoutError(cause?: unknown): HttpError {
  return clientError(504, 'The sentiment model did not answer in time.', { cause });
}
