// Your own handlers from sentiment-lambda's pieces. Against `npm start`, set the variables its banner prints.
import middy from '@middy/core';
import {
  bagOfWordsFor,
  createHandler,
  createSageMakerClient,
  invokeModel,
  payloadEncoderFor,
  toSentiment,
} from 'sentiment-lambda';
import { modelMiddleware } from 'sentiment-lambda/middlewares/model';
import { vocabularyMiddleware } from 'sentiment-lambda/middlewares/vocabulary';

const endpointName = process.env.SAGEMAKER_ENDPOINT_NAME ?? 'sentiment-local'; // npm start's endpoint
const vocabulary = { source: process.env.VOCABULARY_SOURCE ?? 'vocabulary.json' };
const model = { source: process.env.MODEL_SOURCE ?? 'model.ubj' }; // any form: .json, .ubj, model.tar.gz, s3://...

// The whole HTTP pipeline, as deployed behind API Gateway: calling a SageMaker endpoint...
export const api = createHandler({ endpointName, vocabulary });
// ...or scoring the XGBoost model in the function, with no endpoint to run or pay for.
export const apiInProcess = createHandler({ model, vocabulary });

// Handlers of your own: `{ "reviews": [...] }` in, one label per review out. The middlewares load the
// vocabulary and the model once (at init), cache them and set `context.vocabulary` and `context.model`.
const client = createSageMakerClient();
export const labels = middy()
  .use(vocabularyMiddleware(vocabulary))
  .handler(async (event, context) => {
    // One endpoint call for the whole batch.
    const payload = payloadEncoderFor(context.vocabulary).encode(event.reviews);
    const { scores } = await invokeModel(client, payload, { endpointName });
    return scores.map((score) => toSentiment(score).label);
  });

export const labelsInProcess = middy()
  .use(vocabularyMiddleware(vocabulary))
  .use(modelMiddleware(model)) // after the vocabulary: it checks the two are as wide
  .handler(async (event, context) =>
    event.reviews.map((review) => {
      const { indices, counts } = bagOfWordsFor(context.vocabulary).count(review);
      return toSentiment(context.model.predictCounts(indices, counts)).label;
    }),
  );
