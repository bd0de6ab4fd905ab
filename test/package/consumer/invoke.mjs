// A user's test: invoke the composed handlers directly with the package's event and context builders.
import { lambdaContext, restApiEvent } from 'sentiment-lambda/testing';
import { api, labels } from './composed-handler.mjs';

const reviews = JSON.parse(process.argv[2]);
const answers = [];
for (const review of reviews) {
  const response = await api(restApiEvent({ body: review }), lambdaContext());
  answers.push({ statusCode: response.statusCode, body: response.body });
}
const labelled = await labels({ reviews }, lambdaContext());
// Its own line: the handlers write their metrics (EMF) to stdout too.
console.log(`RESULT ${JSON.stringify({ answers, labels: labelled })}`);
