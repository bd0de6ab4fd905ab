/**
 * The function's environment: the variables the deployed entry reads (named in src/config.ts's
 * `ENVIRONMENT_VARIABLES`, whose keys type them here) and the ones Powertools and Node read
 * (`POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_LOG_LEVEL`, `POWERTOOLS_METRICS_NAMESPACE`, `NODE_OPTIONS`).
 *
 * @module
 */
import type { ENVIRONMENT_VARIABLES } from '../src/config.ts';
import type { SentimentScoring } from './scoring.ts';
import type { ResolvedSentimentApiProps } from './sentiment-api-validation.ts';

/** A variable the deployed entry reads (src/config.ts). */
export type HandlerVariable = keyof typeof ENVIRONMENT_VARIABLES;

/**
 * The environment of the function: one shape's scoring variable (`SAGEMAKER_ENDPOINT_NAME` or `MODEL_SOURCE`,
 * never both), the vocabulary, CORS, the row format, the limits given, and the logs' and metrics' names.
 */
export function functionEnvironment(
  scoring: SentimentScoring,
  props: Pick<
    ResolvedSentimentApiProps,
    | 'vocabularySource'
    | 'allowedOrigins'
    | 'payloadFormat'
    | 'maxReviewChars'
    | 'maxBatchSize'
    | 'serviceName'
    | 'logLevel'
    | 'metricsNamespace'
    | 'enableSourceMaps'
  >,
): Record<string, string> {
  const handler: Partial<Record<HandlerVariable, string>> = {
    ...(scoring.kind === 'endpoint'
      ? { SAGEMAKER_ENDPOINT_NAME: scoring.endpointName }
      : { MODEL_SOURCE: scoring.modelSource }),
    VOCABULARY_SOURCE: props.vocabularySource.text,
    CORS_ORIGINS: props.allowedOrigins.join(','),
    PAYLOAD_FORMAT: props.payloadFormat,
  };
  if (props.maxReviewChars !== undefined) handler.MAX_REVIEW_CHARS = String(props.maxReviewChars);
  if (props.maxBatchSize !== undefined) handler.MAX_BATCH_SIZE = String(props.maxBatchSize);
  return {
    ...handler,
    POWERTOOLS_SERVICE_NAME: props.serviceName,
    POWERTOOLS_LOG_LEVEL: props.logLevel,
    POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
    ...(props.enableSourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
  };
}
