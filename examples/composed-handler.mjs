// Your own Lambda handlers, composed from sentiment-lambda's pieces: plain JavaScript, run as is
// from the installed package (test/package/consumer.test.ts installs the packed tarball and runs it).
import middy from '@middy/core';
import { createHandler, createSageMakerClient, invokeModel, payloadEncoderFor, toSentiment } from 'sentiment-lambda';
import { vocabularyMiddleware } from 'sentiment-lambda/middlewares/vocabulary';

const endpointName = process.env.SAGEMAKER_ENDPOINT_NAME ?? 'sentiment-xgboost';
const vocabulary = { source: process.env.VOCABULARY_SOURCE ?? 'vocabulary.json' };

// The whole HTTP pipeline, as deployed behind API Gateway.
export const api = createHandler({ endpointName, vocabulary });

// A handler of your own: `{ "reviews": [...] }` in, one label per review out, in one endpoint call.
// The middleware loads the vocabulary once (at init), caches it and sets `context.vocabulary`.
const client = createSageMakerClient();
export const labels = middy()
  .use(vocabularyMiddleware(vocabulary))
  .handler(async (event, context) => {
    const payload = payloadEncoderFor(context.vocabulary).encode(event.reviews);
    const { scores } = await invokeModel(client, payload, { endpointName });
    return scores.map((score) => toSentiment(score).label);
  });
