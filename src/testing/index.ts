/** Test helpers for invoking the Middy chain directly: `import { restApiEvent, lambdaContext } from 'sentiment-lambda/testing'`. */
export {
  functionUrlEvent,
  httpApiEvent,
  lambdaContext,
  restApiEvent,
  type TestContextOptions,
  type TestRequest,
} from './events.ts';
