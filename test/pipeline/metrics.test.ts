/**
 * The CloudWatch metrics (Powertools Metrics, EMF) of each request: one EMF line per invocation, the
 * documented names and units, the status class as a second dimension set, and nothing from the request.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it, vi } from 'vitest';
import { REQUEST_METRICS } from '../../middlewares/request-metrics.ts';
import { Vocabulary } from '../../src/encoder/vocabulary.ts';
import { lambdaContext, restApiEvent } from '../../src/testing/events.ts';
import { batchRequest, modelReply, pageRequest, sdkError, usePipelineHarness } from '../helpers/pipeline.ts';

const { sageMaker, newHandler, output } = usePipelineHarness({ reply: '0.9\n' });

interface EmfDocument {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

/** The EMF documents written so far. */
const emf = (): EmfDocument[] =>
  output()
    .lines()
    .filter((line) => '_aws' in line) as EmfDocument[];

/** name -> [unit, value] of one EMF document. */
function metricsOf(document: EmfDocument): Record<string, [string, unknown]> {
  const [directive] = document._aws.CloudWatchMetrics;
  return Object.fromEntries((directive?.Metrics ?? []).map(({ Name, Unit }) => [Name, [Unit, document[Name]]]));
}

describe('request metrics', () => {
  it('writes one EMF document for a classified review, with every metric in its unit', async () => {
    // Prepare: 3 words, 2 of them in the vocabulary.
    const handler = newHandler();

    // Act
    const response = await handler(pageRequest('good movie overall'), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    const documents = emf();
    expect(documents).toHaveLength(1);
    const [document] = documents as [EmfDocument];
    expect(document._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'SentimentLambda',
      Dimensions: [['service'], ['service', 'StatusClass']],
    });
    expect(document).toMatchObject({ service: 'sentiment-lambda', StatusClass: '2xx' });
    const metrics = metricsOf(document);
    expect(Object.keys(metrics).sort()).toEqual(
      ['EndpointLatency', 'HandlerLatency', 'PayloadBytes', 'Requests', 'Reviews', 'VocabularyCoverage'].sort(),
    );
    for (const [name, [unit]] of Object.entries(metrics)) {
      expect(unit, name).toBe(REQUEST_METRICS[name as keyof typeof REQUEST_METRICS]);
    }
    expect(metrics.Requests?.[1]).toBe(1);
    expect(metrics.Reviews?.[1]).toBe(1);
    expect(metrics.PayloadBytes?.[1]).toBe('0,0,0,0,0'.length);
    expect(metrics.VocabularyCoverage?.[1]).toBe(66.67);
    expect(metrics.HandlerLatency?.[1]).toBeGreaterThanOrEqual(metrics.EndpointLatency?.[1] as number);
  });

  it('counts a refused request under 4xx, with what is known of it', async () => {
    // Prepare
    const handler = newHandler({ maxBatchSize: 1 });

    // Act
    const blank = await handler(pageRequest('   '), lambdaContext());
    const tooMany = await handler(batchRequest(['good', 'bad']), lambdaContext());

    // Assess
    expect([blank.statusCode, tooMany.statusCode]).toEqual([400, 413]);
    const documents = emf();
    expect(documents.map((document) => document.StatusClass)).toEqual(['4xx', '4xx']);
    expect(documents.map((document) => Object.keys(metricsOf(document)).sort())).toEqual([
      ['HandlerLatency', 'Requests'],
      ['HandlerLatency', 'Requests'],
    ]);
    expect(sageMaker).not.toHaveReceivedCommand(InvokeEndpointCommand);
  });

  it("counts no PayloadBytes for a batch refused as over SageMaker's 6 MB: nothing was sent", async () => {
    // Prepare: 5,000 columns, so each review's CSV row is 10,000 bytes; 700 of them are 7 MB.
    const words = Array.from({ length: 5000 }, (_, column) => `word${column}`);
    const handler = newHandler({ vocabulary: { source: Vocabulary.fromWords(words) }, maxBatchSize: 700 });

    // Act
    const response = await handler(batchRequest(Array.from({ length: 700 }, () => 'word1 word2')), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(413);
    const [document] = emf() as [EmfDocument];
    expect(metricsOf(document)).not.toHaveProperty('PayloadBytes');
    expect(metricsOf(document).Reviews?.[1]).toBe(700);
    expect(sageMaker).not.toHaveReceivedCommand(InvokeEndpointCommand);
  });

  it.each([
    ['ModelError', 502, ['EndpointErrors', 'ModelErrors']],
    ['ThrottlingException', 503, ['EndpointErrors', 'EndpointThrottles']],
    ['ValidationError', 502, ['EndpointErrors']],
  ])('counts a %s from the endpoint under 5xx, by kind', async (name, status, counted) => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).rejects(sdkError(name));
    const handler = newHandler();

    // Act
    const response = await handler(pageRequest('a good movie'), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(status);
    const [document] = emf() as [EmfDocument];
    expect(document.StatusClass).toBe('5xx');
    const metrics = metricsOf(document);
    for (const metric of counted) expect(metrics[metric], metric).toEqual(['Count', 1]);
    expect(metrics.EndpointLatency).toBeUndefined();
  });

  it('writes nothing for the CORS preflight, and no empty-metrics warning', async () => {
    // Prepare
    const handler = newHandler();
    const preflight = restApiEvent({
      method: 'OPTIONS',
      headers: { Origin: 'https://reviews.example', 'Access-Control-Request-Method': 'POST' },
    });

    // Act
    const response = await handler(preflight, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(204);
    expect(emf()).toEqual([]);
    expect(output().text()).not.toMatch(/No application metrics/);
  });

  it("adds Powertools' ColdStart metric on the first invocation of a Lambda's on-demand instance", async () => {
    // Prepare
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const handler = newHandler();

    // Act
    await handler(pageRequest('good'), lambdaContext());
    await handler(pageRequest('good'), lambdaContext());

    // Assess
    const coldStarts = emf().filter((document) => 'ColdStart' in document);
    expect(coldStarts).toHaveLength(1);
    expect(coldStarts[0]).toMatchObject({ ColdStart: 1, function_name: 'sentiment-lambda' });
  });

  it('takes the namespace and service from the Powertools variables', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'Reviews');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'reviews-api');
    const handler = newHandler();

    // Act
    await handler(pageRequest('good'), lambdaContext());

    // Assess
    const [document] = emf() as [EmfDocument];
    expect(document._aws.CloudWatchMetrics[0]?.Namespace).toBe('Reviews');
    expect(document.service).toBe('reviews-api');
  });

  it.each([
    ['POWERTOOLS_METRICS_DISABLED=true', { env: true }],
    ['metrics: false', { env: false }],
  ])('writes no metrics with %s, and still answers', async (_case, { env }) => {
    // Prepare
    if (env) vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const handler = env ? newHandler() : newHandler({ metrics: false });

    // Act
    const response = await handler(pageRequest('good'), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(emf()).toEqual([]);
    expect(output().text()).not.toMatch(/No application metrics/);
  });

  it('writes to the Metrics instance it is given', async () => {
    // Prepare
    const metrics = new Metrics({ namespace: 'Custom', serviceName: 'mine' });
    const handler = newHandler({ metrics });

    // Act
    await handler(pageRequest('good'), lambdaContext());

    // Assess
    const [document] = emf() as [EmfDocument];
    expect(document._aws.CloudWatchMetrics[0]?.Namespace).toBe('Custom');
    expect(document.service).toBe('mine');
  });

  it('holds nothing of the request: no review text, no request id, in any dimension or value', async () => {
    // Prepare
    const marker = 'quokkazephyrmarker';
    sageMaker.on(InvokeEndpointCommand).resolvesOnce(modelReply('0.9\n')).rejects(sdkError('ModelError'));
    const handler = newHandler();

    // Act
    await handler(pageRequest(`good ${marker}`), lambdaContext({ awsRequestId: `req-${marker}` }));
    await handler(pageRequest(`bad ${marker}`), lambdaContext({ awsRequestId: `req-${marker}` }));
    await handler(batchRequest([`${marker}`, '']), lambdaContext({ awsRequestId: `req-${marker}` }));

    // Assess
    const documents = emf();
    expect(documents).toHaveLength(3);
    for (const document of documents) {
      expect(JSON.stringify(document)).not.toContain(marker);
      const keys = Object.keys(document).filter((key) => key !== '_aws');
      const dimensions = ['service', 'StatusClass'];
      expect(keys.filter((key) => !dimensions.includes(key) && !(key in REQUEST_METRICS))).toEqual([]);
    }
  });
});
