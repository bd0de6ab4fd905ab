/**
 * CDK constructs of the sentiment Lambda, for use in your own CDK app.
 *
 * @example
 * ```ts
 * import { SentimentApi } from 'sentiment-lambda/infra';
 * new SentimentApi(stack, 'Sentiment', { endpointName: 'sentiment-xgboost' });
 * // or, the model in the function:
 * new SentimentApi(stack, 'Sentiment', { modelSource: 's3://models.example/output/model.tar.gz', vocabularySource: 's3://...' });
 * ```
 *
 * @module
 */

export { SENTIMENT_ALARM_DEFAULTS, type SentimentAlarmThresholds } from './alarm-thresholds.ts';
export type { ScoringKind, SentimentScoring } from './scoring.ts';
export { SentimentApi } from './sentiment-api.ts';
export {
  type ExecutionLoggingLevel,
  type PayloadFormat,
  type PowertoolsLogLevel,
  SENTIMENT_API_DEFAULTS,
  type SentimentApiProps,
  STAGE_NAME,
} from './sentiment-api-props.ts';
export type { DeployedLocation } from './sentiment-api-validation.ts';
export { SentimentMonitoring, type SentimentMonitoringProps } from './sentiment-monitoring.ts';
export { CONTEXT_KEYS, SentimentStack, type SentimentStackProps } from './sentiment-stack.ts';
