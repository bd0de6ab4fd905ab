// A user's test: invoke the composed handlers directly with the package's event and context builders.
import { lambdaContext, restApiEvent } from 'sentiment-lambda/testing';
import { api, apiInProcess, labels, labelsInProcess } from './composed-handler.mjs';

const reviews = JSON.parse(process.argv[2]);
const answersOf = async (handler) => {
  const answers = [];
  for (const review of reviews) {
    const response = await handler(restApiEvent({ body: review }), lambdaContext());
    answers.push({ statusCode: response.statusCode, body: response.body });
  }
  return answers;
};
const result = {
  answers: await answersOf(api),
  answersInProcess: await answersOf(apiInProcess),
  labels: await labels({ reviews }, lambdaContext()),
  labelsInProcess: await labelsInProcess({ reviews }, lambdaContext()),
};
// Its own line: the handlers write their metrics (EMF) to stdout too.
console.log(`RESULT ${JSON.stringify(result)}`);
