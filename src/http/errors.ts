/**
 * Errors a client sees. `@middy/http-error-handler` answers an error with its `statusCode` and, when
 * `expose` is true, its `message` as the body; anything else becomes a bare 500. So every error a
 * client can act on is created here with a message that says what to do, and 5xx errors that carry
 * such a message are explicitly exposed. Internal detail goes in `cause`, which is logged, never sent.
 */
import { createError, type HttpError } from '@middy/util';

/** What a 503 asks the client to wait, in seconds: the model or the vocabulary may be back by then. */
export const RETRY_AFTER_SECONDS = '5';

/**
 * Options of {@link clientError}.
 *
 * @example
 * ```ts
 * import { type ClientErrorOptions, clientError } from 'sentiment-lambda';
 * const options: ClientErrorOptions = { headers: { Allow: 'POST, OPTIONS' }, cause: new Error('GET /') };
 * const error = clientError(405, 'Send the review with POST.', options);
 * ```
 */
export interface ClientErrorOptions {
  /** Response headers to add, e.g. `Retry-After` or `Allow`. */
  headers?: Record<string, string>;
  /** The underlying error, for the log only. */
  cause?: unknown;
}

/**
 * An HTTP error whose message is safe and useful to show the client, whatever its status.
 *
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import httpErrorHandler from '@middy/http-error-handler';
 * import { clientError } from 'sentiment-lambda';
 * export const handler = middy()
 *   .use(httpErrorHandler())
 *   .handler(async () => {
 *     throw clientError(503, 'The model is warming up. Try again shortly.', { headers: { 'Retry-After': '5' } });
 *   });
 * ```
 */
export function clientError(statusCode: number, message: string, options: ClientErrorOptions = {}): HttpError {
  const error = createError(statusCode, message, { expose: true, cause: options.cause });
  if (options.headers) Object.assign(error, { headers: options.headers });
  return error;
}
