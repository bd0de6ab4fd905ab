/**
 * JSON clients (`{"review"}`, `{"reviews": [...]}` in one endpoint call), the libsvm payload format, and
 * the event shapes the function is reached through: REST v1, HTTP API v2, Function URL, base64 bodies.
 */
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import 'aws-sdk-client-mock-vitest/extend';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createPayloadEncoder } from '../../src/encoder/payload.ts';
import { Vocabulary } from '../../src/encoder/vocabulary.ts';
import { functionUrlEvent, httpApiEvent, lambdaContext, restApiEvent } from '../../src/testing/events.ts';
import {
  ENDPOINT_NAME,
  headerOf,
  JSON_HEADERS,
  jsonRequest,
  modelReply,
  TINY_VOCABULARY,
  tinyRow,
  usePipelineHarness,
} from '../helpers/pipeline.ts';

const { sageMaker, newHandler, sentBody } = usePipelineHarness();

/** The three event shapes the function is reached through. */
const EVENT_SHAPES = [
  { name: 'REST API v1', build: restApiEvent },
  { name: 'HTTP API v2', build: httpApiEvent },
  { name: 'Function URL', build: functionUrlEvent },
];

describe('JSON requests', () => {
  it('answers {"review"} with sentiment, label and score', async () => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.87\n'));
    const handler = newHandler();
    const event = jsonRequest({ review: 'A great movie' });

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(headerOf(response, 'Content-Type')).toMatch(/^application\/json/);
    expect(JSON.parse(response.body)).toEqual({ sentiment: 1, label: 'POSITIVE', score: 0.87 });
    expect(sentBody()).toBe(tinyRow({ great: 1, movie: 1 }));
  });

  it('classifies {"reviews": [a, b, c]} in ONE endpoint call and answers the results in order', async () => {
    // Prepare
    const reviews = ['good good movie', 'bad and boring', 'great!'];
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.91\n0.08\n0.5\n'));
    const handler = newHandler();
    const event = jsonRequest({ reviews });
    const expectedRows = reviews.map((review) =>
      createPayloadEncoder(new Vocabulary(TINY_VOCABULARY), 'csv').encodeRow(review),
    );

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      results: [
        { sentiment: 1, label: 'POSITIVE', score: 0.91 },
        { sentiment: 0, label: 'NEGATIVE', score: 0.08 },
        { sentiment: 0, label: 'NEGATIVE', score: 0.5 },
      ],
    });
    expect(sageMaker).toHaveReceivedCommandTimes(InvokeEndpointCommand, 1);
    expect(sageMaker).toHaveReceivedCommandWith(InvokeEndpointCommand, {
      EndpointName: ENDPOINT_NAME,
      ContentType: 'text/csv',
    });
    const rows = sentBody().split('\n');
    expect(rows).toEqual(expectedRows);
    expect(rows).toEqual([tinyRow({ good: 2, movie: 1 }), tinyRow({ bad: 1, boring: 1 }), tinyRow({ great: 1 })]);
  });

  it('sends text/libsvm rows when payloadFormat is libsvm', async () => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.7\n0.2\n'));
    const handler = newHandler({ payloadFormat: 'libsvm' });
    const event = jsonRequest({ reviews: ['good movie', 'bad'] });

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(sageMaker).toHaveReceivedCommandWith(InvokeEndpointCommand, { ContentType: 'text/libsvm' });
    // 0-based columns after a 0 label, as the container reads them: good 0, movie 4, bad 2.
    expect(sentBody()).toBe('0 0:1 4:1\n0 2:1');
  });

  it('answers a text client in text even when it accepts anything', async () => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.2\n'));
    const handler = newHandler();
    const event = restApiEvent({ body: 'bad', headers: { 'Content-Type': 'text/plain', Accept: '*/*' } });

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(response.body).toBe('0');
    expect(headerOf(response, 'Content-Type')).toMatch(/^text\/plain/);
  });
});

describe('event shapes', () => {
  it.each(EVENT_SHAPES)('answers a $name text request like the original', async ({ build }) => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.66\n'));
    const handler = newHandler();

    // Act
    const response = await handler(build({ body: 'good' }), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('1');
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe('*');
    expect(sentBody()).toBe(tinyRow({ good: 1 }));
  });

  it.each(EVENT_SHAPES)('answers a $name JSON request in JSON', async ({ build }) => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.12\n'));
    const handler = newHandler();

    // Act
    const response = await handler(jsonRequest({ review: 'boring' }, build), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ sentiment: 0, label: 'NEGATIVE', score: 0.12 });
  });

  it.each([
    { name: 'REST API v1', build: restApiEvent },
    { name: 'Function URL', build: functionUrlEvent },
  ])('decodes a base64-encoded $name body, non-ASCII text included', async ({ build }) => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.9\n'));
    const handler = newHandler();
    const event = build({ body: 'Good — "great" movie, café', base64: true });

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(event.isBase64Encoded).toBe(true);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('1');
    expect(sentBody()).toBe(tinyRow({ good: 1, great: 1, movie: 1 }));
  });

  it('decodes a base64-encoded JSON body', async () => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.3\n'));
    const handler = newHandler();
    const event = functionUrlEvent({ body: JSON.stringify({ review: 'bad' }), headers: JSON_HEADERS, base64: true });

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ sentiment: 0, label: 'NEGATIVE', score: 0.3 });
  });

  it('refuses a body marked base64 that is not base64 with 400', async () => {
    // Prepare
    const handler = newHandler();
    const event: APIGatewayProxyEventV2 = {
      ...functionUrlEvent({ body: 'x' }),
      body: 'not base64!',
      isBase64Encoded: true,
    };

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/not valid base64/);
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe('*');
    expect(sageMaker).not.toHaveReceivedCommand(InvokeEndpointCommand);
  });

  it('refuses base64 bytes that are not UTF-8 with 400', async () => {
    // Prepare
    const handler = newHandler();
    const invalidUtf8 = Buffer.from([0x67, 0x6f, 0x6f, 0x64, 0x20, 0xff, 0xfe, 0xc3]).toString('base64');
    const event = { ...restApiEvent({ body: 'x' }), body: invalidUtf8, isBase64Encoded: true };

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/not valid UTF-8/);
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe('*');
    expect(sageMaker).not.toHaveReceivedCommand(InvokeEndpointCommand);
  });
});
