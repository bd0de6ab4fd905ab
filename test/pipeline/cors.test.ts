/**
 * CORS with an allowlist: an allowed origin is echoed (with `Vary: Origin`), any other gets no
 * `Access-Control-Allow-Origin`, on successful and error answers alike.
 */
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import { describe, expect, it } from 'vitest';
import { httpApiEvent, lambdaContext, restApiEvent } from '../../src/testing/events.ts';
import { headerOf, pageRequest, sdkError, usePipelineHarness } from '../helpers/pipeline.ts';

const GOOD = 'https://good.example';
const EVIL = 'https://evil.example';

const { sageMaker, newHandler } = usePipelineHarness({ handlerOptions: { corsOrigins: [GOOD] }, reply: '0.9\n' });

/** The original page's request, sent from `origin`. */
const requestFrom = (origin: string, body = 'a good movie') => pageRequest(body, { Origin: origin });

describe('CORS allowlist', () => {
  it('echoes an allowed origin on a successful answer, with Vary: Origin', async () => {
    // Prepare
    const handler = newHandler();

    // Act
    const response = await handler(requestFrom(GOOD), lambdaContext());

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
    const clientError = await handler(requestFrom(GOOD, ' '), lambdaContext());
    sageMaker.on(InvokeEndpointCommand).rejects(sdkError('ModelError'));
    const modelError = await handler(requestFrom(GOOD), lambdaContext());

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
    const success = await handler(requestFrom(EVIL), lambdaContext());
    const failure = await handler(requestFrom(EVIL, ''), lambdaContext());

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
