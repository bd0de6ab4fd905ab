// A typed consumer: what a middleware adds to `context` is in the handler's type, and only after `.use()`.
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createHandler, payloadEncoderFor, type SentimentHandler, type Vocabulary } from 'sentiment-lambda';
import { reviewRequest } from 'sentiment-lambda/middlewares/review-request';
import { vocabularyMiddleware } from 'sentiment-lambda/middlewares/vocabulary';
import { lambdaContext, restApiEvent } from 'sentiment-lambda/testing';

export const withVocabulary = middy<{ review: string }, string, Error, Context>()
  .use(vocabularyMiddleware({ source: 'vocabulary.json' }))
  .handler(async (event, context) => {
    const vocabulary: Vocabulary = context.vocabulary;
    return payloadEncoderFor(vocabulary).encodeRow(event.review);
  });

export const withoutVocabulary = middy<{ review: string }, number, Error, Context>().handler(
  async (_event, context) => {
    // @ts-expect-error: no vocabularyMiddleware in this chain, so the context has no vocabulary.
    return context.vocabulary.size;
  },
);

export const validated = middy<unknown, number, Error, Context>()
  .use(reviewRequest({ maxBatchSize: 10 }))
  .handler(async (_event, context) => context.reviewRequest.reviews.length);

export const api: SentimentHandler = createHandler({ endpointName: 'sentiment', vocabulary: { source: 'v.json' } });
export const response: Promise<{ statusCode: number }> = api(restApiEvent({ body: 'a fine film' }), lambdaContext());
