/**
 * The middlewares called directly, on the edges the pipeline suites do not reach: malformed event shapes,
 * empty and non-text bodies, lying base64, a missing content type, log levels at the 5xx boundary,
 * invalid options. Written from the surviving mutants of `npm run test:mutation`.
 */
import { describe, expect, it, vi } from 'vitest';
import { httpErrorBody } from '../../middlewares/http-error-body.ts';
import { httpEventGuard } from '../../middlewares/http-event-guard.ts';
import { httpReviewBodyParser } from '../../middlewares/http-review-body-parser.ts';
import { requestLog } from '../../middlewares/request-log.ts';
import { type ReviewRequestOptions, reviewRequest } from '../../middlewares/review-request.ts';
import { lambdaContext, restApiEvent } from '../../src/testing/events.ts';

/** A Middy request as a middleware sees it. */
function middyRequest(event: unknown, extra: Record<string, unknown> = {}) {
  return { event, context: lambdaContext(), response: undefined, error: undefined, internal: {}, ...extra } as never;
}

/** Runs the guard's `before` on `event` and returns the event it leaves. */
function guarded(event: unknown): unknown {
  const request = middyRequest(event) as { event: unknown };
  httpEventGuard().before?.(request as never);
  return request.event;
}

/** Runs the body parser's `before` on `event`: the error it throws, or undefined. */
function parseError(event: unknown, opts: Parameters<typeof httpReviewBodyParser>[0] = {}) {
  try {
    httpReviewBodyParser(opts).before?.(middyRequest(event));
    return undefined;
  } catch (error) {
    return error as Error & { statusCode?: number; headers?: Record<string, string> };
  }
}

/** A POST event with `headers` and a raw `body` (which may be anything), as a client could send. */
const rawEvent = (body: unknown, headers: Record<string, string> = {}, isBase64Encoded = false) => ({
  httpMethod: 'POST',
  headers,
  body,
  isBase64Encoded,
});

describe('httpEventGuard', () => {
  it.each([['a string'], [null], [42], [undefined]])('turns a non-object event (%s) into {}', (event) => {
    // Act
    const result = guarded(event);

    // Assess
    expect(result).toEqual({});
  });

  it('leaves a REST (v1) event as it is, without adding a requestContext', () => {
    // Prepare
    const event = { httpMethod: 'POST', body: 'good' };

    // Act
    const result = guarded(event);

    // Assess
    expect(result).toBe(event);
    expect(result).toEqual({ httpMethod: 'POST', body: 'good' });
  });

  it('gives a 2.0 event without requestContext (or a non-object one) an empty requestContext.http', () => {
    // Act
    const missing = guarded({ version: '2.0' });
    const isNull = guarded({ version: '2.0', requestContext: null });
    const aString = guarded({ version: '2.0', requestContext: 'ab' });

    // Assess
    expect(missing).toEqual({ version: '2.0', requestContext: { http: {} } });
    expect(isNull).toEqual({ version: '2.0', requestContext: { http: {} } });
    expect(aString).toEqual({ version: '2.0', requestContext: { http: {} } });
  });

  it('adds an empty http to a 2.0 requestContext without one, keeping its other fields', () => {
    // Act
    const missing = guarded({ version: '2.0', requestContext: { accountId: '1' } });
    const isNull = guarded({ version: '2.0', requestContext: { accountId: '1', http: null } });
    const aString = guarded({ version: '2.0', requestContext: { accountId: '1', http: 'GET' } });

    // Assess
    expect(missing).toEqual({ version: '2.0', requestContext: { accountId: '1', http: {} } });
    expect(isNull).toEqual({ version: '2.0', requestContext: { accountId: '1', http: {} } });
    expect(aString).toEqual({ version: '2.0', requestContext: { accountId: '1', http: {} } });
  });

  it('leaves a well-formed 2.0 event untouched', () => {
    // Prepare
    const http = { method: 'POST' };
    const requestContext = { accountId: '1', http };

    // Act
    const result = guarded({ version: '2.0', requestContext }) as { requestContext: unknown };

    // Assess
    expect(result.requestContext).toBe(requestContext);
    expect(requestContext.http).toBe(http);
  });
});

describe('httpReviewBodyParser', () => {
  it.each([[null], [undefined], ['']])('answers an empty body (%s) with 400 asking for the review', (body) => {
    // Act
    const error = parseError(rawEvent(body, { 'Content-Type': 'text/plain' }));

    // Assess
    expect(error?.statusCode).toBe(400);
    expect(error?.message).toMatch(/^The request body is empty: send the review text/);
  });

  it('answers a body that is not a string with 400 saying it must be text', () => {
    // Act
    const error = parseError(rawEvent({ review: 'good' }, { 'Content-Type': 'text/plain' }));

    // Assess
    expect(error?.statusCode).toBe(400);
    expect(error?.message).toBe('The request body must be text.');
  });

  it('reads a body with no Content-Type as the raw review', () => {
    // Prepare
    const event = rawEvent('a good movie');

    // Act
    const error = parseError(event);

    // Assess
    expect(error).toBeUndefined();
    expect(event.body).toBe('a good movie');
  });

  it('decodes base64 wrapped over several lines, and keeps a byte order mark as the original did', () => {
    // Prepare
    const wrapped = rawEvent('Z29v\r\nZCBt\n b3ZpZQ==', { 'Content-Type': 'text/plain' }, true);
    const withBom = rawEvent(Buffer.from('\ufeffgood').toString('base64'), { 'Content-Type': 'text/plain' }, true);

    // Act
    const errors = [parseError(wrapped), parseError(withBom)];

    // Assess
    expect(errors).toEqual([undefined, undefined]);
    expect(wrapped.body).toBe('good movie');
    expect(withBom.body).toBe('\ufeffgood');
  });

  it.each([
    ['a length that is not a multiple of 4', 'Z29vZA='],
    ['a character outside the alphabet', 'Z29v!A=='],
    ['junk before valid base64', '!!!!Z29vZA=='],
    ['junk after valid base64', 'Z29vZA==!!!!'],
  ])('refuses a body marked base64 with %s (400)', (_case, body) => {
    // Act
    const error = parseError(rawEvent(body, { 'Content-Type': 'text/plain' }, true));

    // Assess
    expect(error?.statusCode).toBe(400);
    expect(error?.message).toBe('The request body is marked base64-encoded but is not valid base64.');
  });

  it('says where malformed JSON failed when the parser knows, and only that', () => {
    // Act
    const truncated = parseError(rawEvent('{', { 'Content-Type': 'application/json' }));
    const badToken = parseError(rawEvent('{"review": secret}', { 'Content-Type': 'application/json' }));

    // Assess
    expect(truncated?.message).toBe(
      'The request body is not valid JSON (at character 1): send {"review": "..."} or {"reviews": [...]}.',
    );
    expect(badToken?.message).toBe('The request body is not valid JSON: send {"review": "..."} or {"reviews": [...]}.');
  });

  it('answers an event without a method with 405 naming none, and an unsupported type with 415 naming both', () => {
    // Act
    const noMethod = parseError({ headers: {}, body: 'good' });
    const xml = parseError(rawEvent('<review/>', { 'Content-Type': 'application/xml' }));

    // Assess
    expect(noMethod?.statusCode).toBe(405);
    expect(noMethod?.message).toBe('Method (none) is not allowed: send the review with POST.');
    expect(noMethod?.headers).toEqual({ Allow: 'POST, OPTIONS' });
    expect(xml?.statusCode).toBe(415);
    expect(xml?.message).toBe(
      'Content type application/xml is not supported: send text/plain (the raw review) or application/json ({"review": "..."} or {"reviews": [...]}).',
    );
  });

  it('takes its default methods for an option given as undefined (an unset setting passed through)', () => {
    // Act
    const put = parseError({ httpMethod: 'PUT', headers: {}, body: 'good' }, { methods: undefined });

    // Assess
    expect(put?.statusCode).toBe(405);
    expect(put?.headers).toEqual({ Allow: 'POST, OPTIONS' });
  });

  it('refuses to be created without any method', () => {
    // Act
    const create = () => httpReviewBodyParser({ methods: [] });

    // Assess
    expect(create).toThrow(new TypeError("httpReviewBodyParser: Option 'methods' must name at least one HTTP method."));
  });
});

describe('requestLog', () => {
  function fakeLogger() {
    return { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  }

  /** Runs before then after (or onError, when `error` is given) and returns the logger. */
  function logOne(response: unknown, error?: unknown, logReviewText?: boolean) {
    const logger = fakeLogger();
    const middleware = requestLog({
      logger: logger as never,
      ...(logReviewText === undefined ? {} : { logReviewText }),
    });
    const request = middyRequest({}, { response, error }) as { context: { requestReport: Record<string, unknown> } };
    middleware.before?.(request as never);
    request.context.requestReport.reviewText = ['a private review'];
    (error === undefined ? middleware.after : middleware.onError)?.(request as never);
    return logger;
  }

  it('logs a 500 at error level and a 499 at warn level', () => {
    // Act
    const failed = logOne({ statusCode: 500 }, new Error('boom'));
    const rejected = logOne({ statusCode: 499 }, new Error('client'));

    // Assess
    expect(failed.error).toHaveBeenCalledTimes(1);
    expect(failed.warn).not.toHaveBeenCalled();
    expect(rejected.warn).toHaveBeenCalledTimes(1);
    expect(rejected.error).not.toHaveBeenCalled();
  });

  it('logs a success at info level with a small, non-negative latency and no review text by default', () => {
    // Act
    const logger = logOne({ statusCode: 200 });

    // Assess
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.error).not.toHaveBeenCalled();
    const line = logger.info.mock.calls[0]?.[1] as { status: number; latencyMs: number; reviewText?: unknown };
    expect(line.status).toBe(200);
    expect(line.latencyMs).toBeGreaterThanOrEqual(0);
    expect(line.latencyMs).toBeLessThan(1_000);
    expect(line).not.toHaveProperty('reviewText');
  });

  it('logs an error without a cause, or with a non-object cause, with no cause fields', () => {
    // Act
    const plain = logOne(undefined, new Error('boom'));
    const stringCause = logOne(undefined, Object.assign(new Error('boom'), { cause: 'text' }));

    // Assess
    for (const logger of [plain, stringCause]) {
      const line = logger.warn.mock.calls[0]?.[1] as Record<string, unknown>;
      expect(line).toMatchObject({ status: undefined, error: 'Error', errorMessage: 'boom' });
      expect(line).not.toHaveProperty('cause');
      expect(line).not.toHaveProperty('causeMessage');
    }
  });

  it('requires a logger', () => {
    // Act
    const create = () => requestLog({} as never);

    // Assess
    expect(create).toThrow(new TypeError("requestLog: Missing required option 'logger'."));
  });
});

describe('httpErrorBody', () => {
  const onError = (request: unknown, opts?: Parameters<typeof httpErrorBody>[0]) =>
    httpErrorBody(opts).onError?.(request as never);

  it('leaves the request alone when there is no response, or one without a status', () => {
    // Prepare
    const none = middyRequest(restApiEvent({ body: 'good' })) as { response: unknown };
    const noStatus = middyRequest(restApiEvent({ body: 'good' }), { response: { body: 'x' } }) as {
      response: unknown;
    };

    // Act
    onError(none);
    onError(noStatus);

    // Assess
    expect(none.response).toBeUndefined();
    expect(noStatus.response).toEqual({ body: 'x' });
  });

  it('fills an empty 500 body with the fallback message, with or without a request id', () => {
    // Prepare
    const withId = middyRequest(restApiEvent({ body: 'good' }), { response: { statusCode: 500 } }) as {
      response: { body: string };
    };
    const withoutContext = {
      ...(middyRequest(restApiEvent({ body: 'good' })) as object),
      context: undefined,
      response: { statusCode: 500 },
    } as unknown as { response: { body: string } };

    // Act
    onError(withId);
    onError(withoutContext);

    // Assess
    expect(withId.response.body).toBe(
      'Internal error: the request could not be processed. Request id: 7f2c1b5e-0d3a-4c8e-9b1f-2a6d5e4c3b21.',
    );
    expect(withoutContext.response.body).toBe('Internal error: the request could not be processed.');
  });
});

describe('reviewRequest options', () => {
  it.each([
    [{ maxReviewChars: 0 }, "Option 'maxReviewChars' must be >= 1."],
    [{ maxReviewChars: 1.5 }, "Option 'maxReviewChars' must be integer."],
    [{ maxBatchSize: -1 }, "Option 'maxBatchSize' must be >= 1."],
    [{ maxBatchSize: Number.POSITIVE_INFINITY }, "Option 'maxBatchSize' must be integer."],
    [{ maxBatchsize: 10 }, "Unknown option 'maxBatchsize'."],
  ])('refuses %o at creation', (opts, message) => {
    // Act
    const create = () => reviewRequest(opts as ReviewRequestOptions);

    // Assess
    expect(create).toThrow(new TypeError(`reviewRequest: ${message}`));
  });

  it('names "The review" of a single review that is blank or too long', () => {
    // Prepare
    const middleware = reviewRequest({ maxReviewChars: 3 });
    const run = (body: unknown) => {
      try {
        middleware.before?.(middyRequest({ ...rawEvent(body, { 'Content-Type': 'application/json' }) }));
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    };

    // Act
    const blank = run({ review: ' ' });
    const long = run({ review: 'abcd' });
    const exact = run({ review: 'abc' });

    // Assess
    expect(blank).toBe('The review is empty: send some text to classify.');
    expect(long).toBe('The review is too long: 4 characters, at most 3.');
    expect(exact).toBeUndefined();
  });

  it.each([
    [0, 'The 1st review (reviews[0])'],
    [1, 'The 2nd review (reviews[1])'],
    [2, 'The 3rd review (reviews[2])'],
    [3, 'The 4th review (reviews[3])'],
    [10, 'The 11th review (reviews[10])'],
    [11, 'The 12th review (reviews[11])'],
    [12, 'The 13th review (reviews[12])'],
    [20, 'The 21st review (reviews[20])'],
    [21, 'The 22nd review (reviews[21])'],
    [22, 'The 23rd review (reviews[22])'],
    [100, 'The 101st review (reviews[100])'],
    [110, 'The 111th review (reviews[110])'],
    [111, 'The 112th review (reviews[111])'],
  ])('names the review at index %i of a batch "%s"', (index, name) => {
    // Prepare
    const reviews = Array.from({ length: 120 }, (_, i) => (i === index ? '\t' : 'good'));
    const request = middyRequest(rawEvent({ reviews }, { 'Content-Type': 'application/json' }));

    // Act
    const act = () => reviewRequest({ maxBatchSize: 120 }).before?.(request);

    // Assess
    expect(act).toThrow(`${name} is empty: send some text to classify.`);
  });
});
