/**
 * A handler of your own built from sentiment-lambda's pieces: an SQS-triggered function that
 * classifies queued reviews in batches, one SageMaker call per batch, reusing the vocabulary
 * middleware (prefetched, cached) and the encoder. Compiled and run by test/examples.
 */
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { invokeModel, payloadEncoderFor, toSentiment, vocabularyMiddleware } from 'sentiment-lambda';

const client = new SageMakerRuntimeClient({});

/** Each SQS message body is `{"id": "...", "review": "..."}`; results go wherever you need them. */
export const classified: Array<{ id: string; sentiment: number; score: number }> = [];

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(vocabularyMiddleware({ source: process.env.VOCABULARY_SOURCE ?? 'vocabulary.json' }))
  .handler(async (event, context) => {
    const messages = event.Records.map((record) => ({
      record,
      body: JSON.parse(record.body) as { id: string; review: string },
    }));
    // context.vocabulary is typed by the middleware: no cast, no lookup per message.
    const payload = payloadEncoderFor(context.vocabulary).encode(messages.map(({ body }) => body.review));
    try {
      const { scores } = await invokeModel(client, payload, {
        endpointName: process.env.SAGEMAKER_ENDPOINT_NAME ?? '',
      });
      scores.forEach((score, i) => {
        const { sentiment } = toSentiment(score);
        classified.push({ id: messages[i]?.body.id ?? '', sentiment, score });
      });
      return { batchItemFailures: [] };
    } catch {
      // Let SQS retry the whole batch (or send it to the dead-letter queue after maxReceiveCount).
      return { batchItemFailures: messages.map(({ record }) => ({ itemIdentifier: record.messageId })) };
    }
  });
