/** Test helpers for invoking the Middy chain directly: `import { restApiEvent, lambdaContext } from 'sentiment-lambda/testing'`. */
export type { Explanation, WordContribution } from '../explanation.ts';
export type { ReviewAnswer, ReviewRequestBody, ReviewResult } from '../json-contract.ts';
export type { SentimentResult } from '../sentiment.ts';
export {
  answerOf,
  functionUrlEvent,
  httpApiEvent,
  lambdaContext,
  restApiEvent,
  type TestContextOptions,
  type TestRequest,
} from './events.ts';
