/**
 * The defaults of `createHandler` (src/pipeline.ts), in a module of their own so that the CDK construct
 * (infra/) can take them without loading the handler and its dependencies at synth.
 */
import { DEFAULT_PAYLOAD_FORMAT } from './encoder/payload.ts';

/** The `service` of the logs and metrics when neither `logger`/`metrics` nor `POWERTOOLS_SERVICE_NAME` names one. */
export const DEFAULT_SERVICE_NAME = 'sentiment-lambda';

/** The CloudWatch namespace of the metrics when neither `metrics` nor `POWERTOOLS_METRICS_NAMESPACE` names one. */
export const DEFAULT_METRICS_NAMESPACE = 'SentimentLambda';

/**
 * Defaults of `createHandler`'s options (src/pipeline.ts checks that each is one of them, of its type).
 * The options it passes on to a middleware take that middleware's defaults (`maxReviewChars`,
 * `maxBatchSize`, `maxBodyBytes`, `logReviewText`, the vocabulary's).
 */
export const sentimentHandlerDefaults = {
  payloadFormat: DEFAULT_PAYLOAD_FORMAT,
  corsOrigins: ['*'],
  timeoutEarlyInMillis: 500,
} as const;
