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

const { sageMaker, newHandler, sentBodies } = usePipelineHarness({ reply: '0.87\n' });

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
    expect(jsonError(response).message).toBe('The 2nd review (reviews[1]) is empty: send some text to classify.');
  });

  it('names a review of a batch the same way whichever check fails: its place, then its 0-based index', async () => {
    // Prepare
    const handler = newHandler({ maxReviewChars: 10 });
    const requests = {
      blank: batchRequest(['good', 'bad', ' ']),
      tooLong: batchRequest(['good', 'bad', 'a very long review']),
      notAString: restApiEvent({ body: '{"reviews": ["good", "bad", 7]}', headers: JSON_HEADERS }),
    };

    // Act
    const messages = await Promise.all(
      Object.values(requests).map(async (event) => jsonError(await handler(event, context())).message),
    );

    // Assess
    expect(messages).toEqual([
      'The 3rd review (reviews[2]) is empty: send some text to classify.',
      'The 3rd review (reviews[2]) is too long: 18 characters, at most 10.',
      'The 3rd review (reviews[2]) must be a string: send {"review": "..."} or {"reviews": ["...", ...]}.',
    ]);
    expect(sageMaker).not.toHaveReceivedCommand(InvokeEndpointCommand);
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
    [
      'base64 in a declared charset',
      restApiEvent({
        body: 'a'.repeat(2_000_000),
        base64: true,
        headers: { 'Content-Type': 'text/plain; charset=utf-16le' },
      }),
    ],
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
      message: /^The 2nd review \(reviews\[1\]\) must be a string/,
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

describe('charsets', () => {
  /** A vocabulary with words outside ASCII, to see which text reached the encoder. */
  const vocabulary = { source: { café: 0, good: 1, 映画: 2, naïve: 3 } };

  /** An HTTP API event carrying `bytes`, which API Gateway passes base64-encoded for any charset but UTF-8. */
  const bytesEvent = (bytes: Uint8Array, contentType: string) => ({
    ...httpApiEvent({ body: 'x', headers: { 'Content-Type': contentType } }),
    body: Buffer.from(bytes).toString('base64'),
    isBase64Encoded: true,
  });

  it.each([
    { charset: 'iso-8859-1', bytes: Buffer.from('Café naïve, good', 'latin1') },
    { charset: 'latin1', bytes: Buffer.from('Café naïve, good', 'latin1') },
    { charset: '"ISO-8859-1"', bytes: Buffer.from('Café naïve, good', 'latin1') },
    { charset: 'windows-1252', bytes: Buffer.from('Café naïve, good', 'latin1') },
    { charset: 'utf-16le', bytes: Buffer.from('Café naïve, good', 'utf16le') },
    { charset: 'UTF-8', bytes: Buffer.from('Café naïve, good', 'utf8') },
  ])('reads text/plain; charset=$charset as that charset: é reaches the encoder as é', async ({ charset, bytes }) => {
    // Prepare
    const handler = newHandler({ vocabulary });

    // Act
    const declared = await handler(bytesEvent(bytes, `text/plain; charset=${charset}`), context());
    const utf8 = await handler(restApiEvent({ body: 'Café naïve, good' }), context());

    // Assess
    expect(declared).toMatchObject({ statusCode: 200, body: '1' });
    expect(declared.body).toBe(utf8.body);
    const [fromDeclared, fromUtf8] = sentBodies();
    expect(fromDeclared).toBe(fromUtf8);
    expect(fromDeclared).toBe('1,1,0,1');
  });

  it('reads Shift_JIS, under any of its labels', async () => {
    // Prepare
    const handler = newHandler({ vocabulary });
    const eiga = [0x89, 0x66, 0x89, 0xe6]; // 映画 in Shift_JIS

    // Act
    const responses = [
      await handler(
        bytesEvent(Uint8Array.from([...Buffer.from('good '), ...eiga]), 'text/plain;charset=Shift_JIS'),
        context(),
      ),
      await handler(
        bytesEvent(Uint8Array.from([...Buffer.from('good '), ...eiga]), 'text/plain; charset=sjis'),
        context(),
      ),
    ];

    // Assess
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200]);
    expect(sentBodies()).toEqual(['0,1,1,0', '0,1,1,0']);
  });

  it('uses a body API Gateway passed as text as it is, whatever charset it declares', async () => {
    // Prepare: a REST API without binary media types reads the body as UTF-8 itself.
    const handler = newHandler({ vocabulary });
    const event = restApiEvent({ body: 'café', headers: { 'Content-Type': 'text/plain; charset=iso-8859-1' } });

    // Act
    const response = await handler(event, context());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(sentBodies()).toEqual(['1,0,0,0']);
  });

  it.each([
    { name: 'an unknown charset, bytes', event: () => bytesEvent(Buffer.from('good'), 'text/plain; charset=klingon') },
    {
      name: 'an unknown charset, text',
      event: () => restApiEvent({ body: 'good', headers: { 'Content-Type': 'text/plain;charset="klingon"' } }),
    },
  ])('answers $name with 415 naming the charset and what to send', async ({ event }) => {
    // Prepare
    const handler = newHandler();

    // Act
    const response = await handler(event(), context());

    // Assess
    expectSafeErrorResponse(response, 415);
    expect(textError(response)).toBe(
      'Charset "klingon" is not supported: send the text as UTF-8 (charset=utf-8), or in another charset of the WHATWG Encoding Standard, such as iso-8859-1, windows-1252, utf-16le or shift_jis.',
    );
    expect(sageMaker).not.toHaveReceivedCommand(InvokeEndpointCommand);
  });

  it('answers 415 to a label the Encoding Standard maps to no decoder (iso-2022-kr), and cuts a long one short', async () => {
    // Prepare
    const handler = newHandler();

    // Act
    const replacement = await handler(bytesEvent(Buffer.from('good'), 'text/plain; charset=iso-2022-kr'), context());
    const long = await handler(bytesEvent(Buffer.from('good'), `text/plain; charset=${'x'.repeat(5000)}`), context());

    // Assess
    expectSafeErrorResponse(replacement, 415);
    expect(textError(replacement)).toMatch(/^Charset "iso-2022-kr" is not supported/);
    expectSafeErrorResponse(long, 415);
    expect(textError(long)).toMatch(/^Charset "x{40}…" is not supported/);
  });

  it.each([
    {
      name: 'Shift_JIS cut in the middle of a character',
      event: () => bytesEvent(Buffer.from([0x67, 0x6f, 0x6f, 0x64, 0x89]), 'text/plain; charset=shift_jis'),
      message:
        'The request body is not valid SHIFT_JIS text, the charset its Content-Type declares: send the text in that charset, or declare the charset it is in.',
    },
    {
      name: 'UTF-16 of an odd number of bytes, declared as "utf-16"',
      event: () => bytesEvent(Buffer.from([0x67, 0x00, 0x6f]), 'text/plain; charset=UTF-16'),
      message:
        'The request body is not valid UTF-16LE text, the charset its Content-Type declares ("UTF-16"): send the text in that charset, or declare the charset it is in.',
    },
    {
      name: 'Latin-1 declared as UTF-8',
      event: () => bytesEvent(Buffer.from('café', 'latin1'), 'text/plain;charset=UTF-8'),
      message:
        'The request body is not valid UTF-8 text, the charset its Content-Type declares: send the text in that charset, or declare the charset it is in.',
    },
    {
      name: 'Latin-1 with no charset declared',
      event: () => bytesEvent(Buffer.from('café', 'latin1'), 'text/plain'),
      message:
        'The request body is not valid UTF-8 text: send UTF-8, or declare the charset it is in (Content-Type: text/plain; charset=...).',
    },
  ])('answers $name with 400 naming the charset', async ({ event, message }) => {
    // Prepare
    const handler = newHandler();

    // Act
    const response = await handler(event(), context());

    // Assess
    expectSafeErrorResponse(response, 400);
    expect(textError(response)).toBe(message);
    expect(sageMaker).not.toHaveReceivedCommand(InvokeEndpointCommand);
  });

  it('reads JSON as UTF-8 whatever charset it declares (RFC 8259), unknown ones included', async () => {
    // Prepare
    const handler = newHandler({ vocabulary });
    const json = Buffer.from('{"review": "café"}', 'utf8');

    // Act
    const responses = [
      await handler(bytesEvent(json, 'application/json; charset=iso-8859-1'), context()),
      await handler(bytesEvent(json, 'application/json; charset=klingon'), context()),
    ];

    // Assess
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200]);
    expect(sentBodies()).toEqual(['1,0,0,0', '1,0,0,0']);
  });

  it('answers JSON that is not UTF-8 with 400 saying JSON is always UTF-8, naming the charset it declared', async () => {
    // Prepare
    const handler = newHandler();
    const latin1Json = Buffer.from('{"review": "café"}', 'latin1');

    // Act
    const declared = await handler(bytesEvent(latin1Json, 'application/json; charset=iso-8859-1'), context());
    const undeclared = await handler(bytesEvent(latin1Json, 'application/json'), context());

    // Assess
    expectSafeErrorResponse(declared, 400);
    expect(jsonError(declared).message).toBe(
      'The request body is not valid UTF-8 text: JSON is always UTF-8 (RFC 8259), whatever charset its Content-Type declares ("iso-8859-1").',
    );
    expectSafeErrorResponse(undeclared, 400);
    expect(jsonError(undeclared).message).toBe(
      'The request body is not valid UTF-8 text: JSON is always UTF-8 (RFC 8259).',
    );
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
