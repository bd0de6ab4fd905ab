/**
 * Error bodies in the client's language: `@middy/http-error-handler` writes the error message as
 * `text/plain`; a client that sent or accepts JSON gets `{"error": {"status", "message", "requestId"}}`
 * instead. Runs in `onError` after http-error-handler has built the response (register it before).
 */
import type { MiddlewareObj, Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import { type HttpEventHead, wantsJson } from '../src/http/event.ts';
import { type OptionSchema, resolveOptions } from '../src/options.ts';

/** Options of {@link httpErrorBody}. */
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

/** Middy middleware: reformats the error response for JSON clients and fills in empty bodies. */
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
