/**
 * A failed or unreadable endpoint call, as the client sees it: 502 when retrying will not help, 503 with
 * `Retry-After` when the model is busy or not ready, 504 when it does not answer in time; and the model's
 * reply formats that must be read (newline-terminated, comma-joined, JSON).
 */
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../src/testing/events.ts';
import { batchRequest, headerOf, modelReply, pageRequest, sdkError, usePipelineHarness } from '../helpers/pipeline.ts';

const { sageMaker, newHandler } = usePipelineHarness();

describe('endpoint errors', () => {
  it.each([
    { name: 'ModelError', status: 502, message: /model failed while scoring/ },
    { name: 'ValidationError', status: 502, message: /rejected the call/ },
    { name: 'ModelNotReadyException', status: 503, message: /busy or not ready/ },
    { name: 'ThrottlingException', status: 503, message: /busy or not ready/ },
    { name: 'ServiceUnavailable', status: 503, message: /busy or not ready/ },
    { name: 'InternalFailure', status: 503, message: /busy or not ready/ },
  ])('answers $name with $status and a message without internals', async ({ name, status, message }) => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).rejects(sdkError(name, 'sm-req-1', `${name}: secret internal detail`));
    const handler = newHandler();

    // Act
    const response = await handler(pageRequest(), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(status);
    expect(response.body).toMatch(message);
    expect(response.body).not.toContain('secret internal detail');
    expect(response.body).not.toContain(name);
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe('*');
    expect(headerOf(response, 'X-Content-Type-Options')).toBe('nosniff');
    expect(headerOf(response, 'Strict-Transport-Security')).toMatch(/max-age=\d+/);
    expect(response.body).not.toMatch(/\n\s+at |Error:/);
    if (status === 503) expect(Number(headerOf(response, 'Retry-After'))).toBeGreaterThan(0);
    else expect(headerOf(response, 'Retry-After')).toBeUndefined();
  });

  it('answers a network error (ECONNRESET) with 502', async () => {
    // Prepare
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    sageMaker.on(InvokeEndpointCommand).rejects(reset);
    const handler = newHandler();

    // Act
    const response = await handler(pageRequest(), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(502);
    expect(response.body).toMatch(/could not be reached/);
    expect(response.body).not.toContain('socket hang up');
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe('*');
  });

  it('answers a JSON client with a JSON error body carrying the status', async () => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).rejects(sdkError('ModelNotReadyException'));
    const handler = newHandler();

    // Act
    const response = await handler(batchRequest(['good']), lambdaContext({ awsRequestId: 'req-503' }));

    // Assess
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body)).toEqual({
      error: { status: 503, message: expect.stringMatching(/busy or not ready/), requestId: 'req-503' },
    });
  });
});

describe('model replies', () => {
  it('refuses a reply with the wrong number of scores with 502', async () => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.9\n0.1\n'));
    const handler = newHandler();

    // Act
    const response = await handler(batchRequest(['good', 'bad', 'movie']), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(502);
    expect(JSON.parse(response.body).error.message).toMatch(/could not be read as one score per review/);
  });

  it.each([
    { reply: 'nan\n' },
    { reply: 'NaN' },
    { reply: 'abc' },
    { reply: '' },
    { reply: 'inf\n' },
    { reply: '0.5abc' },
  ])('refuses a non-numeric reply $reply with 502 rather than answering a NaN', async ({ reply }) => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply(reply));
    const handler = newHandler();

    // Act
    const response = await handler(pageRequest(), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(502);
    expect(response.body).not.toMatch(/NaN|undefined/);
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe('*');
  });

  it.each([
    { name: 'comma-joined (older containers)', reply: '0.1,0.9' },
    { name: 'newline-terminated', reply: '0.1\n0.9\n' },
    { name: 'CRLF-terminated', reply: '0.1\r\n0.9\r\n' },
  ])('reads a $name reply for a 2-review batch', async ({ reply }) => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply(reply));
    const handler = newHandler();

    // Act
    const response = await handler(batchRequest(['bad', 'good']), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      results: [
        { sentiment: 0, label: 'NEGATIVE', score: 0.1 },
        { sentiment: 1, label: 'POSITIVE', score: 0.9 },
      ],
    });
  });

  it('reads a JSON {"predictions": [{"score"}]} reply', async () => {
    // Prepare
    const reply = JSON.stringify({ predictions: [{ score: 0.2 }, { score: 0.75 }] });
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply(reply, { contentType: 'application/json' }));
    const handler = newHandler();

    // Act
    const response = await handler(batchRequest(['bad', 'good']), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).results.map((r: { score: number }) => r.score)).toEqual([0.2, 0.75]);
  });

  it('answers a "\\n"-terminated single score to the original page as text', async () => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.8734\n'));
    const handler = newHandler();

    // Act
    const response = await handler(pageRequest(), lambdaContext());

    // Assess
    expect(response.body).toBe('1');
  });
});

describe('timeout', () => {
  it('answers 504 before Lambda would time out, aborts the call, and answers the next request normally', async () => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).callsFake(() => new Promise(() => undefined)); // never answers
    const handler = newHandler({ timeoutEarlyInMillis: 500 });
    const started = performance.now();

    // Act
    const timedOut = await handler(pageRequest(), lambdaContext({ remainingTimeMs: 700 }));
    const elapsed = performance.now() - started;

    // Assess
    expect(timedOut.statusCode).toBe(504);
    expect(timedOut.body).toMatch(/did not answer in time/);
    expect(headerOf(timedOut, 'Access-Control-Allow-Origin')).toBe('*');
    expect(elapsed).toBeLessThan(600);
    const options = (sageMaker.call(0).args as unknown[])[1] as { abortSignal?: AbortSignal } | undefined;
    expect(options?.abortSignal).toBeInstanceOf(AbortSignal);
    expect(options?.abortSignal?.aborted).toBe(true);

    // Act
    sageMaker.reset();
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.9\n'));
    const next = await handler(pageRequest(), lambdaContext({ remainingTimeMs: 700 }));

    // Assess
    expect(next.statusCode).toBe(200);
    expect(next.body).toBe('1');
    const nextOptions = (sageMaker.call(0).args as unknown[])[1] as { abortSignal?: AbortSignal } | undefined;
    expect(nextOptions?.abortSignal?.aborted).toBe(false);
  });
});
