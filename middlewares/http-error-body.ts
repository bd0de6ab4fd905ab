/**
 * Error bodies in the client's language: `@middy/http-error-handler` writes the error message as
 * `text/plain`; a client that sent or accepts JSON gets `{"error": {"status", "message", "requestId"}}`
 * instead. Runs in `onError` after http-error-handler has built the response (register it before).
 */
import type { MiddlewareObj, Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import { type HttpEventHead, wantsJson } from '../src/http/event.ts';
import { type OptionSchema, resolveOptions } from '../src/options.ts';

// For users of this subpath alone: the event type it takes.
export type { HttpEventHead } from '../src/http/event.ts';

/**
 * Options of {@link httpErrorBody}.
 *
 * @example
 * ```ts
 * import { httpErrorBody } from 'sentiment-lambda/middlewares/http-error-body';
 * const errorBody = httpErrorBody({ fallbackMessage: 'Something went wrong on our side.' });
 * ```
 */
export interface HttpErrorBodyOptions {
  /** Message for a 500 whose error had nothing to show. Default: a generic message with the request id. */
  fallbackMessage?: string;
}

const defaults = { fallbackMessage: 'Internal error: the request could not be processed.' };

const optionSchema: OptionSchema = {
  type: 'object',
  properties: { fallbackMessage: { type: 'string', minLength: 1 } },
  additionalProperties: false,
};

interface ErrorResponse {
  statusCode: number;
  body?: string;
  headers?: Record<string, string | number | boolean>;
}

/**
 * Middy middleware: reformats the error response for JSON clients and fills in empty bodies.
 *
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import httpErrorHandler from '@middy/http-error-handler';
 * import { clientError } from 'sentiment-lambda';
 * import { httpErrorBody } from 'sentiment-lambda/middlewares/http-error-body';
 * // Registered before http-error-handler: its onError runs after the handler's has built the response.
 * export const handler = middy()
 *   .use(httpErrorBody())
 *   .use(httpErrorHandler())
 *   .handler(async () => {
 *     throw clientError(422, 'Send {"review": "..."}.'); // JSON clients get {"error": {"status": 422, "message", "requestId"}}
 *   });
 * ```
 */
export function httpErrorBody(opts: HttpErrorBodyOptions = {}): MiddlewareObj<HttpEventHead, unknown, Error, Context> {
  const { fallbackMessage } = resolveOptions('httpErrorBody', optionSchema, defaults, opts);

  const httpErrorBodyMiddlewareOnError = (request: Request<HttpEventHead, unknown, Error, Context>) => {
    const response = request.response as ErrorResponse | undefined;
    if (response === undefined || typeof response.statusCode !== 'number') return;
    const requestId = request.context?.awsRequestId;
    const message = response.body || `${fallbackMessage}${requestId ? ` Request id: ${requestId}.` : ''}`;
    response.headers ??= {};
    if (wantsJson(request.event)) {
      response.body = JSON.stringify({ error: { status: response.statusCode, message, requestId } });
      response.headers['Content-Type'] = 'application/json; charset=utf-8';
    } else {
      response.body = message;
      response.headers['Content-Type'] = 'text/plain; charset=utf-8';
    }
  };

  return { onError: httpErrorBodyMiddlewareOnError };
}
