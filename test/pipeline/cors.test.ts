/**
 * CORS with an allowlist: an allowed origin is echoed (with `Vary: Origin`), any other gets no
 * `Access-Control-Allow-Origin`, on successful and error answers alike.
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { clearCache } from '@middy/util';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandler } from '../../src/pipeline.ts';
import { httpApiEvent, lambdaContext, restApiEvent } from '../../src/testing/events.ts';
import {
  captureOutput,
  ENDPOINT_NAME,
  headerOf,
  modelReply,
  type OutputCapture,
  sdkError,
  TINY_VOCABULARY,
  testLogger,
} from '../helpers/pipeline.ts';

const sageMaker = mockClient(SageMakerRuntimeClient);
const GOOD = 'https://good.example';
const EVIL = 'https://evil.example';
let output: OutputCapture;

const newHandler = () =>
  createHandler({
    endpointName: ENDPOINT_NAME,
    vocabulary: { ...TINY_VOCABULARY },
    client: new SageMakerRuntimeClient({ region: 'us-east-1' }),
    logger: testLogger(),
    corsOrigins: [GOOD],
  });

const pageRequest = (origin: string, body = 'a good movie') =>
  restApiEvent({ body, headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: origin } });

beforeEach(() => {
  sageMaker.reset();
  sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.9\n'));
  clearCache();
  output = captureOutput();
});

afterEach(() => {
  output.restore();
});

describe('CORS allowlist', () => {
  it('echoes an allowed origin on a successful answer, with Vary: Origin', async () => {
    // Prepare
    const handler = newHandler();

    // Act
    const response = await handler(pageRequest(GOOD), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe(GOOD);
    expect(headerOf(response, 'Vary')).toMatch(/\bOrigin\b/);
  });

  it('echoes an allowed origin sent in a lower-cased v2 header', async () => {
    // Prepare
    const handler = newHandler();
    const event = httpApiEvent({ body: 'good', headers: { 'content-type': 'text/plain', origin: GOOD } });

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe(GOOD);
  });

  it('echoes an allowed origin on a client error and on a model error', async () => {
    // Prepare
    const handler = newHandler();

    // Act
    const clientError = await handler(pageRequest(GOOD, ' '), lambdaContext());
    sageMaker.on(InvokeEndpointCommand).rejects(sdkError('ModelError'));
    const modelError = await handler(pageRequest(GOOD), lambdaContext());

    // Assess
    expect(clientError.statusCode).toBe(400);
    expect(headerOf(clientError, 'Access-Control-Allow-Origin')).toBe(GOOD);
    expect(headerOf(clientError, 'Vary')).toMatch(/\bOrigin\b/);
    expect(modelError.statusCode).toBe(502);
    expect(headerOf(modelError, 'Access-Control-Allow-Origin')).toBe(GOOD);
  });

  it('gives another origin no Access-Control-Allow-Origin, on success and on error', async () => {
    // Prepare
    const handler = newHandler();

    // Act
    const success = await handler(pageRequest(EVIL), lambdaContext());
    const failure = await handler(pageRequest(EVIL, ''), lambdaContext());

    // Assess
    expect(success.statusCode).toBe(200);
    expect(headerOf(success, 'Access-Control-Allow-Origin')).toBeUndefined();
    expect(failure.statusCode).toBe(400);
    expect(headerOf(failure, 'Access-Control-Allow-Origin')).toBeUndefined();
  });

  it('does not allow another origin in the preflight', async () => {
    // Prepare
    const handler = newHandler();
    const preflight = (origin: string) =>
      restApiEvent({ method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });

    // Act
    const allowed = await handler(preflight(GOOD), lambdaContext());
    const refused = await handler(preflight(EVIL), lambdaContext());

    // Assess
    expect(allowed.statusCode).toBe(204);
    expect(headerOf(allowed, 'Access-Control-Allow-Origin')).toBe(GOOD);
    expect(headerOf(refused, 'Access-Control-Allow-Origin')).toBeUndefined();
  });
});
