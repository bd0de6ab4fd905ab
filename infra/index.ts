/**
 * CDK constructs of the sentiment Lambda, for use in your own CDK app.
 *
 * @example
 * ```ts
 * import { SentimentApi } from 'sentiment-lambda/infra';
 * new SentimentApi(stack, 'Sentiment', { endpointName: 'sentiment-xgboost' });
 * ```
 *
 * @module
 */
export { LAMBDA_ARTIFACT, lambdaArtifactPath, PACKAGE_ROOT } from './artifact.ts';
export {
  ACCESS_LOG_FIELDS,
  API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS,
  type ExecutionLoggingLevel,
  type PayloadFormat,
  type PowertoolsLogLevel,
  SENTIMENT_API_DEFAULTS,
  SentimentApi,
  type SentimentApiProps,
  STAGE_NAME,
} from './sentiment-api.ts';
export {
  SENTIMENT_ALARM_DEFAULTS,
  type SentimentAlarmThresholds,
  SentimentMonitoring,
  type SentimentMonitoringProps,
} from './sentiment-monitoring.ts';
export { CONTEXT_KEYS, SentimentStack, type SentimentStackProps } from './sentiment-stack.ts';
