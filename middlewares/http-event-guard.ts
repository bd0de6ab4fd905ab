/**
 * Makes any invocation payload safe for the HTTP middlewares that follow. http-cors reads
 * `event.requestContext.http.method` of every 2.0 event unguarded, in `onError` too: an event without it
 * (API Gateway never sends one, but a function can be invoked with anything) crashed the error path and
 * left a bare Lambda error instead of an answer. A non-object event becomes `{}`, and a 2.0 event without
 * `requestContext.http` gets an empty one, so either is answered like any request without a method (405).
 */
import type { MiddlewareObj } from '@middy/core';

/**
 * Middy middleware: normalizes a missing or malformed event shape before http-cors and the parser read it.
 *
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import httpCors from '@middy/http-cors';
 * import { httpEventGuard } from 'sentiment-lambda/middlewares/http-event-guard';
 * // Before http-cors, which reads the event's requestContext unguarded.
 * export const handler = middy()
 *   .use(httpEventGuard())
 *   .use(httpCors({ origins: ['https://reviews.example'] }))
 *   .handler(async () => ({ statusCode: 200, body: '1' }));
 * ```
 */
export function httpEventGuard(): MiddlewareObj<unknown> {
  const httpEventGuardMiddlewareBefore: NonNullable<MiddlewareObj<unknown>['before']> = (request) => {
    if (typeof request.event !== 'object' || request.event === null) request.event = {};
    const event = request.event as { version?: unknown; requestContext?: { http?: unknown } | null };
    if (event.version !== '2.0') return;
    const requestContext =
      typeof event.requestContext === 'object' && event.requestContext !== null ? event.requestContext : {};
    if (typeof requestContext.http !== 'object' || requestContext.http === null) {
      event.requestContext = { ...requestContext, http: {} };
    }
  };
  return { before: httpEventGuardMiddlewareBefore };
}
