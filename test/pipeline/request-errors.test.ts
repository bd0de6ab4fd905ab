/**
 * What a client is told when its request cannot be classified: the status, a message a person can act
 * on (never a stack trace or an internal error name), CORS and security headers on every answer, and
 * the body in the client's own language (JSON for JSON clients, text for the original page).
 */
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import 'aws-sdk-client-mock-vitest/extend';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { functionUrlEvent, httpApiEvent, lambdaContext, restApiEvent } from '../../src/testing/events.ts';
import { batchRequest, headerOf, JSON_HEADERS, usePipelineHarness } from '../helpers/pipeline.ts';

const REQUEST_ID = '5d1f0a64-3a0e-4b7c-9d52-6f1c2e8a7b90';

const { sageMaker, newHandler } = usePipelineHarness({ reply: '0.87\n' });

const context = () => lambdaContext({ awsRequestId: REQUEST_ID });

/** The checks every error answer must pass: CORS, security headers, a human message without internals. */
function expectSafeErrorResponse(response: APIGatewayProxyResult, status: number): void {
  expect(response.statusCode).toBe(status);
  expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe('*');
  expect(headerOf(response, 'X-Content-Type-Options')).toBe('nosniff');
  expect(headerOf(response, 'Strict-Transport-Security')).toMatch(/max-age=\d+/);
  expect(response.body).not.toMatch(/\n\s+at /); // stack frame
  expect(response.body).not.toMatch(/\b\w*Error:/); // "TypeError: ..." internals
  expect(response.body).not.toMatch(/HttpError|node_modules|\.ts:\d+|\.js:\d+/);
}

/** The JSON error body, checked for its shape. */
function jsonError(response: APIGatewayProxyResult): { status: number; message: string; requestId: string } {
  expect(headerOf(response, 'Content-Type')).toMatch(/^application\/json/);
  const parsed = JSON.parse(response.body) as { error: { status: number; message: string; requestId: string } };
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(parsed.error.status).toBe(response.statusCode);
  expect(parsed.error.requestId).toBe(REQUEST_ID);
  expect(parsed.error.message.length).toBeGreaterThan(10);
  return parsed.error;
}

/** The text error body of a text/plain client. */
function textError(response: APIGatewayProxyResult): string {
  expect(headerOf(response, 'Content-Type')).toMatch(/^text\/plain/);
  expect(response.body.length).toBeGreaterThan(10);
  expect(() => JSON.parse(response.body)).toThrow();
  return response.body;
}

describe('blank and oversized reviews', () => {
  it('answers an empty body with 400 and says to send the review', async () => {
    // Prepare
    const handler = newHandler();

    // Act
    const response = await handler(restApiEvent({ body: '' }), context());

    // Assess
    expectSafeErrorResponse(response, 400);
    expect(textError(response)).toMatch(/empty/i);
    expect(sageMaker).not.toHaveReceivedCommand(InvokeEndpointCommand);
  });

  it('answers a missing body with 400', async () => {
    // Prepare
    const handler = newHandler();

    // Act
    const response = await handler(httpApiEvent({}), context());

    // Assess
    expectSafeErrorResponse(response, 400);
    expect(textError(response)).toMatch(/empty/i);
  });

  it.each([
    { name: 'spaces and newlines', body: '  \n\t \r\n ' },
    { name: 'ideographic space U+3000', body: '\u3000\u3000' },
    { name: 'file separator U+001C (Python isspace)', body: '\x1c\x1d\x1e\x1f' },
    { name: 'next line U+0085', body: '\x85 ' },
  ])('answers a review of only whitespace ($name) with 400', async ({ body }) => {
    // Prepare
    const handler = newHandler();

    // Act
    const response = await handler(restApiEvent({ body }), context());

    // Assess
    expectSafeErrorResponse(response, 400);
    expect(textError(response)).toMatch(/empty: send some text/);
    expect(sageMaker).not.toHaveReceivedCommand(InvokeEndpointCommand);
  });

  it('answers a blank review inside a batch with 400 naming which review', async () => {
    // Prepare
    const handler = newHandler();
    const event = batchRequest(['good', ' \u3000 ']);

    // Act
    const response = await handler(event, context());

    // Assess
    expectSafeErrorResponse(response, 400);
    expect(jsonError(response).message).toMatch(/^Review 2 is empty/);
  });

  it('answers a review over maxReviewChars with 413 giving the limit', async () => {
    // Prepare
    const handler = newHandler({ maxReviewChars: 20 });

    // Act
    const atLimit = await handler(restApiEvent({ body: 'good '.repeat(4) }), context());
    const overLimit = await handler(restApiEvent({ body: 'good '.repeat(5) }), context());

    // Assess
    expect(atLimit.statusCode).toBe(200);
    expectSafeErrorResponse(overLimit, 413);
    expect(textError(overLimit)).toMatch(/too long: 25 characters, at most 20/);
    expect(sageMaker).toHaveReceivedCommandTimes(InvokeEndpointCommand, 1);
  });

  it('counts review length in characters, not UTF-16 code units', async () => {
    // Prepare
    const handler = newHandler({ maxReviewChars: 4 });

    // Act
    const response = await handler(restApiEvent({ body: '😀😀😀😀' }), context());

    // Assess
    expect(response.statusCode).toBe(200);
  });

  it('answers a batch over maxBatchSize with 413 giving the limit', async () => {
    // Prepare
    const handler = newHandler({ maxBatchSize: 2 });
    const event = batchRequest(['good', 'bad', 'movie']);

    // Act
    const response = await handler(event, context());

    // Assess
    expectSafeErrorResponse(response, 413);
    expect(jsonError(response).message).toMatch(/Too many reviews: 3 sent, at most 2/);
    expect(sageMaker).not.toHaveReceivedCommand(InvokeEndpointCommand);
  });
});

describe('bodies over maxBodyBytes', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    ['JSON', restApiEvent({ body: `{"review": "${'a'.repeat(3_000_000)}`, headers: JSON_HEADERS })],
    ['base64', restApiEvent({ body: 'a'.repeat(2_000_000), base64: true })],
    ['raw text', restApiEvent({ body: 'so long '.repeat(300_000) })],
  ])('answers 413 to %s far over the limit without decoding or parsing it', async (_kind, event) => {
    // Prepare
    const handler = newHandler();
    const parse = vi.spyOn(JSON, 'parse');
    const decode = vi.spyOn(Buffer, 'from') as unknown as { mock: { calls: unknown[][] } };

    // Act
    const response = await handler(event, context());

    // Assess
    expectSafeErrorResponse(response, 413);
    expect(response.body).toContain(
      'The request body is over 1048576 bytes: send a shorter review, or fewer reviews per request.',
    );
    expect(parse.mock.calls.filter(([text]) => String(text).length > 1_000_000)).toEqual([]);
    expect(decode.mock.calls.filter(([, encoding]) => encoding === 'base64')).toEqual([]);
  });

  it('counts the body in UTF-8 bytes: fewer characters than the limit can still be over it', async () => {
    // Prepare
    const handler = newHandler({ maxBodyBytes: 100 });

    // Act
    const atLimit = await handler(restApiEvent({ body: 'é'.repeat(50) }), context()); // 100 bytes
    const over = await handler(restApiEvent({ body: 'é'.repeat(51) }), context()); // 51 characters, 102 bytes

    // Assess
    expect(atLimit.statusCode).toBe(200);
    expectSafeErrorResponse(over, 413);
  });
});

describe('malformed and wrongly shaped JSON', () => {
  it('answers malformed JSON with 400 without echoing the review text', async () => {
    // Prepare
    const handler = newHandler();
    const secret = 'zanzibarquokka';
    const event = restApiEvent({ body: `{"review": "${secret} was good"`, headers: JSON_HEADERS });

    // Act
    const response = await handler(event, context());

    // Assess
    expectSafeErrorResponse(response, 400);
    const { message } = jsonError(response);
    expect(message).toMatch(/not valid JSON/);
    expect(message).not.toContain(secret);
    expect(response.body).not.toContain(secret);
  });

  it.each([
    { name: 'a number where the review string goes', body: '{"review": 42}', message: /"review" must be a string/ },
    {
      name: 'a number among the reviews',
      body: '{"reviews": ["good", 7]}',
      message: /"reviews\.1" must be a string/,
    },
    { name: 'reviews that is not an array', body: '{"reviews": "good"}', message: /"reviews" must be an array/ },
    {
      name: 'an unknown field beside review',
      body: '{"review": "good", "lang": "en"}',
      message: /Unknown field "lang"/,
    },
    { name: 'an unknown field alone', body: '{"text": "good"}', message: /Unknown field "text"/ },
    { name: 'a __proto__ key', body: '{"__proto__": {"review": "good"}}', message: /Unknown field "__proto__"/ },
    {
      name: 'a field name of 100,000 characters, quoted cut short',
      body: `{"review": "good", "${'x'.repeat(100_000)}": 1}`,
      message: /^Unknown field "x{40}…": /,
    },
    { name: 'a field name with a quote in it, escaped', body: '{"a\\"b": 1}', message: /Unknown field "a\\"b"/ },
    {
      name: 'both review and reviews',
      body: '{"review": "good", "reviews": ["bad"]}',
      message: /exactly one of "review" or "reviews"/,
    },
    { name: 'an empty object', body: '{}', message: /exactly one of "review" or "reviews"/ },
    { name: 'an empty reviews array', body: '{"reviews": []}', message: /"reviews" is empty/ },
    { name: 'a top-level array', body: '["good"]', message: /must be an object/ },
    { name: 'a top-level JSON string', body: '"good"', message: /must be an object/ },
    { name: 'a top-level number', body: '42', message: /must be an object/ },
    { name: 'null', body: 'null', message: /must be an object/ },
  ])('answers $name with 422 naming the problem', async ({ body, message }) => {
    // Prepare
    const handler = newHandler();

    // Act
    const response = await handler(restApiEvent({ body, headers: JSON_HEADERS }), context());

    // Assess
    expectSafeErrorResponse(response, 422);
    expect(jsonError(response).message).toMatch(message);
    expect(sageMaker).not.toHaveReceivedCommand(InvokeEndpointCommand);
  });
});

describe('method and content type', () => {
  it('answers an unsupported content type with 415 naming text/plain and application/json', async () => {
    // Prepare
    const handler = newHandler();
    const event = restApiEvent({
      body: 'review=good',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });

    // Act
    const response = await handler(event, context());

    // Assess
    expectSafeErrorResponse(response, 415);
    const message = textError(response);
    expect(message).toContain('text/plain');
    expect(message).toContain('application/json');
  });

  it('answers a client that accepts JSON with a JSON error body', async () => {
    // Prepare
    const handler = newHandler();
    const event = restApiEvent({
      body: '<review>good</review>',
      headers: { 'Content-Type': 'application/xml', Accept: 'application/json' },
    });

    // Act
    const response = await handler(event, context());

    // Assess
    expectSafeErrorResponse(response, 415);
    expect(jsonError(response).message).toMatch(/application\/xml is not supported/);
  });

  it.each([
    { name: 'REST API v1', build: restApiEvent },
    { name: 'Function URL', build: functionUrlEvent },
  ])('answers GET on a $name with 405 and an Allow header', async ({ build }) => {
    // Prepare
    const handler = newHandler();

    // Act
    const response = await handler(build({ method: 'GET' }), context());

    // Assess
    expectSafeErrorResponse(response, 405);
    expect(headerOf(response, 'Allow')).toBe('POST, OPTIONS');
    expect(textError(response)).toMatch(/Method GET is not allowed: send the review with POST/);
  });

  it('answers the CORS preflight with 204 and the CORS headers, without calling the model', async () => {
    // Prepare
    const handler = newHandler();
    const event = restApiEvent({
      method: 'OPTIONS',
      headers: {
        Origin: 'https://page.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });

    // Act
    const response = await handler(event, context());

    // Assess
    expect(response.statusCode).toBe(204);
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe('*');
    expect(headerOf(response, 'Access-Control-Allow-Methods')).toContain('POST');
    expect(headerOf(response, 'Access-Control-Allow-Headers')).toMatch(/Content-Type/i);
    expect(headerOf(response, 'Access-Control-Max-Age')).toBe('600');
    expect(sageMaker).not.toHaveReceivedCommand(InvokeEndpointCommand);
  });
});

describe('security headers', () => {
  it('are on a successful answer too', async () => {
    // Prepare
    const handler = newHandler();

    // Act
    const response = await handler(restApiEvent({ body: 'good' }), context());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(headerOf(response, 'X-Content-Type-Options')).toBe('nosniff');
    expect(headerOf(response, 'Strict-Transport-Security')).toMatch(/max-age=\d+/);
    expect(headerOf(response, 'Content-Security-Policy')).toMatch(/default-src 'none'/);
  });
});
