import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { clearCache } from '@middy/util';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../src/testing/index.ts';

const sageMaker = mockClient(SageMakerRuntimeClient);

function sqsEvent(bodies: object[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `m${i}`,
      receiptHandle: `r${i}`,
      body: JSON.stringify(body),
      attributes: {} as SQSEvent['Records'][number]['attributes'],
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:reviews',
      awsRegion: 'us-east-1',
    })),
  };
}

describe('README example: SQS batch classifier composed from the middlewares', () => {
  afterEach(() => {
    sageMaker.reset();
    clearCache();
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('classifies a batch of queued reviews with one endpoint call', async () => {
    // Prepare
    vi.stubEnv('VOCABULARY_SOURCE', 'test/fixtures/golden/vocabulary.json');
    vi.stubEnv('SAGEMAKER_ENDPOINT_NAME', 'sentiment');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    sageMaker.on(InvokeEndpointCommand).resolves({
      Body: new TextEncoder().encode('0.9\n0.2\n') as never,
      ContentType: 'text/csv',
      $metadata: { requestId: 'r-1' },
    });
    const { handler, classified } = await import('../../examples/sqs-classifier.ts');

    // Act
    const result = await handler(
      sqsEvent([
        { id: 'a', review: 'good' },
        { id: 'b', review: 'bad' },
      ]),
      lambdaContext() as Parameters<typeof handler>[1],
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(classified).toEqual([
      { id: 'a', sentiment: 1, score: 0.9 },
      { id: 'b', sentiment: 0, score: 0.2 },
    ]);
    expect(sageMaker.commandCalls(InvokeEndpointCommand)).toHaveLength(1);
    expect(String(sageMaker.commandCalls(InvokeEndpointCommand)[0]?.args[0].input.Body).split('\n')).toHaveLength(2);
  });

  it('hands the whole batch back to SQS when the endpoint fails', async () => {
    // Prepare
    vi.stubEnv('VOCABULARY_SOURCE', 'test/fixtures/golden/vocabulary.json');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    sageMaker.on(InvokeEndpointCommand).rejects(Object.assign(new Error('busy'), { name: 'ServiceUnavailable' }));
    const { handler } = await import('../../examples/sqs-classifier.ts');

    // Act
    const result = await handler(
      sqsEvent([{ id: 'a', review: 'good' }]),
      lambdaContext() as Parameters<typeof handler>[1],
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
  });
});
