/**
 * The request log an operator reads: one structured JSON line per request with status, latencies and
 * counts, Powertools' request id and cold start; the review text kept out unless switched on; and on
 * failure the error's name and the SageMaker request id of the failed call.
 */
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import { describe, expect, it, vi } from 'vitest';
import { lambdaContext, restApiEvent } from '../../src/testing/events.ts';
import { batchRequest, JSON_HEADERS, modelReply, sdkError, usePipelineHarness } from '../helpers/pipeline.ts';

/** A word no log line could contain by accident. */
const MARKER = 'xylophonequetzal';

const { sageMaker, newHandler, output } = usePipelineHarness();

describe('request log', () => {
  it('writes one structured line per request with status, latencies, counts, request id and cold start', async () => {
    // Prepare
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand'); // what Lambda sets; Powertools reads it
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.9\n0.1\n', { requestId: 'sm-req-42' }));
    const handler = newHandler();
    const event = batchRequest(['good good unknownword movie', 'bad, really bad']);

    // Act
    await handler(event, lambdaContext({ awsRequestId: 'req-1' }));
    await handler(restApiEvent({ body: 'great' }), lambdaContext({ awsRequestId: 'req-2' }));

    // Assess
    const lines = output().requestLines();
    expect(lines).toHaveLength(2);
    const [first, second] = lines as [Record<string, unknown>, Record<string, unknown>];
    expect(first).toMatchObject({
      level: 'INFO',
      message: 'request',
      service: 'test',
      status: 200,
      reviews: 2,
      words: 7, // good good unknownword movie | bad really bad
      knownWords: 5,
      sageMakerRequestId: 'sm-req-42',
      cold_start: true,
      function_request_id: 'req-1',
    });
    expect(first.latencyMs).toEqual(expect.any(Number));
    expect(first.endpointLatencyMs).toEqual(expect.any(Number));
    expect(first.latencyMs as number).toBeGreaterThanOrEqual(first.endpointLatencyMs as number);
    expect(second).toMatchObject({ function_request_id: 'req-2', cold_start: false, reviews: 1 });
  });

  it('keeps the review text out of every log line by default', async () => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.9\n'));
    const handler = newHandler();

    // Act
    await handler(restApiEvent({ body: `a good ${MARKER} movie` }), lambdaContext());
    await handler(restApiEvent({ body: `{"review": "${MARKER} broken json`, headers: JSON_HEADERS }), lambdaContext());

    // Assess
    expect(output().requestLines()).toHaveLength(2);
    expect(output().text()).not.toContain(MARKER);
  });

  it('logs the review text when logReviewText is on', async () => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.9\n'));
    const handler = newHandler({ logReviewText: true });

    // Act
    await handler(restApiEvent({ body: `a good ${MARKER} movie` }), lambdaContext());

    // Assess
    const [line] = output().requestLines();
    expect(line?.reviewText).toEqual([`a good ${MARKER} movie`]);
  });

  it('logs a failed call at error level with the error name and the SageMaker request id', async () => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).rejects(sdkError('ModelError', 'sm-req-failed-7'));
    const handler = newHandler();

    // Act
    const response = await handler(restApiEvent({ body: 'good' }), lambdaContext({ awsRequestId: 'req-err' }));

    // Assess
    expect(response.statusCode).toBe(502);
    const [line] = output().requestLines();
    expect(line).toMatchObject({
      level: 'ERROR',
      message: 'request failed',
      status: 502,
      error: 'BadGatewayError',
      cause: 'ModelError',
      sageMakerRequestId: 'sm-req-failed-7',
      function_request_id: 'req-err',
    });
    expect(response.body).not.toContain('sm-req-failed-7');
  });

  it('starts each request with an empty report when the caller reuses one context object', async () => {
    // Prepare: a test or runner that passes the same context to every invocation.
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.9\n', { requestId: 'sm-req-first' }));
    const handler = newHandler({ logReviewText: true });
    const context = lambdaContext();

    // Act
    await handler(restApiEvent({ body: `a good ${MARKER} movie` }), context);
    await handler(restApiEvent({ body: '   ' }), context);

    // Assess: the 400 carries nothing of the request before it.
    const [, rejected] = output().requestLines();
    expect(rejected).toMatchObject({ status: 400 });
    expect(rejected).not.toHaveProperty('sageMakerRequestId');
    expect(rejected).not.toHaveProperty('endpointLatencyMs');
    expect(rejected).not.toHaveProperty('reviewText');
  });

  it('does not log the event, even with POWERTOOLS_LOGGER_LOG_EVENT=true: the event holds the review', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.9\n'));
    const handler = newHandler();

    // Act
    await handler(restApiEvent({ body: `a good ${MARKER} movie` }), lambdaContext());

    // Assess
    expect(output().requestLines()).toHaveLength(1);
    expect(output().text()).not.toContain(MARKER);
  });

  it('logs a rejected request at warn level with its 4xx status', async () => {
    // Prepare
    const handler = newHandler();

    // Act
    await handler(restApiEvent({ body: '   ' }), lambdaContext());

    // Assess
    const [line] = output().requestLines();
    expect(line).toMatchObject({ level: 'WARN', message: 'request rejected', status: 400 });
    expect(sageMaker.calls()).toHaveLength(0);
  });
});
