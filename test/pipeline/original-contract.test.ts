/**
 * The original web page's contract, end to end through the Middy chain: raw text in as
 * `text/plain;charset=UTF-8`, `1` or `0` out as text, `Access-Control-Allow-Origin` on the answer, and
 * Python 3's half-to-even rounding of the model's score.
 */
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { pythonRound, toSentiment } from '../../src/sentiment.ts';
import { lambdaContext } from '../../src/testing/events.ts';
import { ENDPOINT_NAME, headerOf, modelReply, pageRequest, tinyRow, usePipelineHarness } from '../helpers/pipeline.ts';

const { sageMaker, newHandler, sentInput, sentBody } = usePipelineHarness();

describe('the original web page request', () => {
  it('answers the raw text POST with 1 as text/plain and the CORS header, sending the original CSV row', async () => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.87\n'));
    const handler = newHandler();
    const event = pageRequest('Good movie, good! Not boring.');

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('1');
    expect(headerOf(response, 'Content-Type')).toMatch(/^text\/plain/);
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe('*');
    expect(sageMaker).toHaveReceivedCommandTimes(InvokeEndpointCommand, 1);
    const input = sentInput();
    expect(input?.EndpointName).toBe(ENDPOINT_NAME);
    expect(input?.ContentType).toBe('text/csv');
    expect(sentBody()).toBe(tinyRow({ good: 2, movie: 1, boring: 1 }));
  });

  it('answers 0 for a negative score, which the page shows as NEGATIVE', async () => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.1342\n'));
    const handler = newHandler();

    // Act
    const response = await handler(pageRequest('bad boring movie'), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(Number.parseFloat(response.body)).toBe(0);
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe('*');
  });

  it.each([
    { score: '0.5', expected: '0' },
    { score: '0.5000001', expected: '1' },
    { score: '0.4999999', expected: '0' },
    { score: '1.5', expected: '2' },
    { score: '2.5', expected: '2' },
  ])('rounds a score of $score to $expected, as Python 3 round() did', async ({ score, expected }) => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply(`${score}\n`));
    const handler = newHandler();

    // Act
    const response = await handler(pageRequest(), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(expected);
  });
});

describe('pythonRound', () => {
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [3.5, 4],
    [-0.5, 0],
    [-1.5, -2],
    [-2.5, -2],
    [0.49999999999999994, 0],
    [0.5000000000000001, 1],
    [0.87, 1],
    [0.13, 0],
    [-0.7, -1],
    [0, 0],
  ])('round(%d) is %d in Python 3', (input, expected) => {
    // Act
    const rounded = pythonRound(input);

    // Assess
    expect(rounded).toBe(expected);
  });

  it('never returns -0, which Python ints do not have', () => {
    // Act
    const rounded = [pythonRound(-0.5), pythonRound(-0.2), pythonRound(-0)];

    // Assess
    for (const value of rounded) expect(Object.is(value, -0)).toBe(false);
  });
});

describe('toSentiment', () => {
  it('labels a score that rounds to 0 NEGATIVE and keeps the score unchanged', () => {
    // Act
    const result = toSentiment(0.5);

    // Assess
    expect(result).toEqual({ sentiment: 0, label: 'NEGATIVE', score: 0.5 });
  });

  it('labels a score that rounds to 1 POSITIVE', () => {
    // Act
    const result = toSentiment(0.5000001);

    // Assess
    expect(result).toEqual({ sentiment: 1, label: 'POSITIVE', score: 0.5000001 });
  });

  it('labels any non-zero rounding POSITIVE, as the page did (parseFloat(...) !== 0)', () => {
    // Act
    const result = toSentiment(1.5);

    // Assess
    expect(result).toEqual({ sentiment: 2, label: 'POSITIVE', score: 1.5 });
  });
});
