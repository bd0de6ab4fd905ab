/**
 * httpErrorBody after @middy/http-error-handler: an unexpected error never shows its message or stack,
 * the client gets a generic message with the request id to quote, in JSON or text as it asked.
 */
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { httpErrorBody } from '../../middlewares/http-error-body.ts';
import { clientError } from '../../src/http/errors.ts';
import { lambdaContext, restApiEvent } from '../../src/testing/events.ts';
import { headerOf } from '../helpers/pipeline.ts';

const REQUEST_ID = 'b3c1d2e4-0000-4000-8000-123456789abc';

function failingHandler(error: Error) {
  return middy(async (): Promise<APIGatewayProxyResult> => {
    throw error;
  })
    .use(httpErrorBody())
    .use(httpErrorHandler({ logger: false }));
}

describe('httpErrorBody', () => {
  it('hides an unexpected error behind a generic 500 message carrying the request id', async () => {
    // Prepare
    const handler = failingHandler(new TypeError("Cannot read properties of undefined (reading 'secretThing')"));

    // Act
    const response = await handler(restApiEvent({ body: 'good' }), lambdaContext({ awsRequestId: REQUEST_ID }));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain(REQUEST_ID);
    expect(response.body).not.toMatch(/secretThing|TypeError|\n\s+at /);
    expect(headerOf(response, 'Content-Type')).toMatch(/^text\/plain/);
  });

  it('answers a JSON client with {"error": {"status", "message", "requestId"}}', async () => {
    // Prepare
    const handler = failingHandler(clientError(422, '"review" must be a string.'));
    const event = restApiEvent({ body: '{"review": 1}', headers: { 'Content-Type': 'application/json' } });

    // Act
    const response = await handler(event, lambdaContext({ awsRequestId: REQUEST_ID }));

    // Assess
    expect(response.statusCode).toBe(422);
    expect(headerOf(response, 'Content-Type')).toMatch(/^application\/json/);
    expect(JSON.parse(response.body)).toEqual({
      error: { status: 422, message: '"review" must be a string.', requestId: REQUEST_ID },
    });
  });

  it('follows Accept: JSON to a text sender that accepts JSON, text to a JSON sender that accepts only text', async () => {
    // Prepare
    const handler = failingHandler(clientError(400, 'The review is empty.'));
    const acceptsJson = restApiEvent({
      body: ' ',
      headers: { 'Content-Type': 'text/plain', Accept: 'application/json' },
    });
    const acceptsText = restApiEvent({
      body: '{"review": " "}',
      headers: { 'Content-Type': 'application/json', Accept: 'text/plain' },
    });

    // Act
    const json = await handler(acceptsJson, lambdaContext());
    const text = await handler(acceptsText, lambdaContext());

    // Assess
    expect(JSON.parse(json.body).error.message).toBe('The review is empty.');
    expect(text.body).toBe('The review is empty.');
    expect(headerOf(text, 'Content-Type')).toMatch(/^text\/plain/);
  });

  it('keeps the headers an error carries, such as Retry-After', async () => {
    // Prepare
    const handler = failingHandler(clientError(503, 'Busy, try again.', { headers: { 'Retry-After': '5' } }));

    // Act
    const response = await handler(restApiEvent({ body: 'good' }), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.body).toBe('Busy, try again.');
    expect(headerOf(response, 'Retry-After')).toBe('5');
  });
});
