/**
 * The HTTP event shapes this framework accepts: API Gateway REST (v1 proxy), HTTP API (v2) and Lambda
 * Function URLs (same shape as v2), read through one small set of accessors.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult } from 'aws-lambda';
import { type MediaType, parseMediaType } from './media-type.ts';

/**
 * Any HTTP event the pipeline accepts. A Function URL event has the HTTP API v2 shape.
 *
 * @example
 * ```ts
 * import type { HttpEvent } from 'sentiment-lambda';
 * const methodOf = (event: HttpEvent) => ('httpMethod' in event ? event.httpMethod : event.requestContext.http.method);
 * ```
 */
export type HttpEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

/**
 * An HTTP event whatever its body holds: what the accessors below need.
 *
 * @example
 * ```ts
 * import type { HttpEventHead } from 'sentiment-lambda';
 * // Any HTTP event, whatever a parser made of its body.
 * const requestIdOf = (event: HttpEventHead) => event.requestContext.requestId;
 * ```
 */
export type HttpEventHead = Omit<APIGatewayProxyEvent, 'body'> | Omit<APIGatewayProxyEventV2, 'body'>;

/**
 * The proxy result the pipeline returns; API Gateway and Function URLs all accept this shape.
 *
 * @example
 * ```ts
 * import type { HttpResult } from 'sentiment-lambda';
 * const ok = (body: string): HttpResult => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body });
 * ```
 */
export type HttpResult = APIGatewayProxyResult;

/** The request method (upper case), or `undefined` for an event that carries none. */
export function httpMethodOf(event: HttpEventHead): string | undefined {
  const method = 'httpMethod' in event ? event.httpMethod : event.requestContext?.http?.method;
  return typeof method === 'string' ? method.toUpperCase() : undefined;
}

/** A request header, matched case-insensitively (REST APIs keep the client's case, v2 lowercases). */
export function headerOf(event: HttpEventHead, name: string): string | undefined {
  const headers = event.headers;
  if (headers === null || typeof headers !== 'object') return undefined;
  const direct = headers[name];
  if (typeof direct === 'string') return direct;
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === wanted) {
      const value = headers[key];
      return typeof value === 'string' ? value : undefined;
    }
  }
  return undefined;
}

/** The request's `Content-Type`, parsed (see {@link parseMediaType}), or `undefined` when it names no type. */
export function contentTypeOf(event: HttpEventHead): MediaType | undefined {
  return parseMediaType(headerOf(event, 'content-type'));
}

/** The media type of `Content-Type`, lower case, without parameters (`text/plain;charset=UTF-8` gives `text/plain`). */
export function mediaTypeOf(event: HttpEventHead): string | undefined {
  return contentTypeOf(event)?.essence;
}

/** Whether the client wants JSON back: it accepts `application/json`, or sent JSON and did not ask for text. */
export function wantsJson(event: HttpEventHead): boolean {
  const accept = headerOf(event, 'accept');
  if (accept !== undefined && /\bapplication\/json\b/i.test(accept)) return true;
  return mediaTypeOf(event) === 'application/json' && (accept === undefined || !/\btext\/plain\b/i.test(accept));
}
