/**
 * A vocabulary that does not match the model, end to end: `createHandler` with the real SDK calling the local
 * endpoint that serves an XGBoost model (the oracle fixture, 6 features). SageMaker's container answers the
 * width mismatch with 400 "Feature size of ... not consistent", SageMaker wraps it as a ModelError, and the
 * client gets a 502 naming both feature counts and the likely fix, instead of "the model failed".
 */
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EndpointServer, startEndpointServer } from '../../local/endpoint/server.ts';
import { createHandler, type SentimentHandler } from '../../src/pipeline.ts';
import { lambdaContext } from '../../src/testing/events.ts';
import { batchRequest, captureOutput, headerOf, type OutputCapture } from '../helpers/pipeline.ts';
import { FIXTURES } from '../helpers/xgboost-oracle.ts';

const ENDPOINT = 'sentiment-xgboost';
const MODEL_FEATURES = 6;
const SIX_WORDS = { good: 0, great: 1, bad: 2, boring: 3, movie: 4, plot: 5 };
const FIVE_WORDS = { good: 0, great: 1, bad: 2, boring: 3, movie: 4 };
const EIGHT_WORDS = { ...SIX_WORDS, actor: 6, score: 7 };

let endpoint: EndpointServer;

function handlerWith(vocabulary: Record<string, number>, payloadFormat: 'csv' | 'libsvm' = 'csv'): SentimentHandler {
  return createHandler({
    endpointName: ENDPOINT,
    vocabulary: { source: vocabulary },
    payloadFormat,
    clientConfig: {
      endpoint: endpoint.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    },
    logger: new Logger({ serviceName: 'model-feature-size-test', logLevel: 'SILENT' }),
  });
}

async function classify(handler: SentimentHandler, reviews: string[]): Promise<APIGatewayProxyResult> {
  return (await handler(batchRequest(reviews), lambdaContext())) as APIGatewayProxyResult;
}

beforeAll(async () => {
  endpoint = await startEndpointServer({
    models: { [ENDPOINT]: join(FIXTURES, 'binary-logistic', 'model.tar.gz') },
  });
});

// The handler's metrics (one EMF line per request) are not what these tests look at: kept out of the output.
let output: OutputCapture;
beforeEach(() => {
  output = captureOutput();
});

afterEach(() => {
  output.restore();
});

afterAll(async () => {
  await endpoint?.close();
});

describe('a vocabulary that does not fit the XGBoost model', () => {
  it('one word short (csv): 502 naming both feature counts and the fix, in one endpoint call', async () => {
    // Prepare
    const handler = handlerWith(FIVE_WORDS);
    const before = endpoint.stats.invocations;

    // Act
    const response = await classify(handler, ['a good movie']);

    // Assess
    expect(response.statusCode).toBe(502);
    expect(JSON.parse(response.body).error.message).toBe(
      `The sentiment model expects ${MODEL_FEATURES} features; the request has 5: the vocabulary the function uses ` +
        'does not match the model. Deploy the vocabulary the model was trained with.',
    );
    expect(response.body).not.toMatch(/Unable to evaluate|arn:aws|ModelError/);
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe('*');
    expect(endpoint.stats.invocations - before).toBe(1); // a ModelError is not retried
  });

  it('a word beyond the model (libsvm): 502 naming the width the request reaches', async () => {
    // Prepare
    const handler = handlerWith(EIGHT_WORDS, 'libsvm');

    // Act
    const response = await classify(handler, ['a good score']);

    // Assess
    expect(response.statusCode).toBe(502);
    expect(JSON.parse(response.body).error.message).toMatch(
      new RegExp(`^The sentiment model expects ${MODEL_FEATURES} features; the request has 8: the vocabulary`),
    );
  });

  it('the matching vocabulary: 200 with a score for each review', async () => {
    // Prepare
    const handler = handlerWith(SIX_WORDS);

    // Act
    const response = await classify(handler, ['a good movie', 'bad, boring plot']);

    // Assess
    expect(response.statusCode).toBe(200);
    const results = (JSON.parse(response.body) as { results: { score: number }[] }).results;
    expect(results).toHaveLength(2);
    for (const { score } of results) expect(score).toBeGreaterThan(0);
  });

  it('any other ModelError keeps its message', async () => {
    // Prepare
    const handler = handlerWith(SIX_WORDS);
    endpoint.faults.error('ModelError', { originalStatusCode: 500, originalMessage: 'Unable to load model: oops' });

    // Act
    const response = await classify(handler, ['a good movie']);
    endpoint.faults.clear();

    // Assess
    expect(response.statusCode).toBe(502);
    expect(JSON.parse(response.body).error.message).toBe('The sentiment model failed while scoring the review.');
  });
});
