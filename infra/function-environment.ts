/**
 * The function's environment: the variables the deployed entry reads (named in src/config.ts's
 * `ENVIRONMENT_VARIABLES`, whose keys type them here) and the ones Powertools and Node read.
 *
 * @module
 */
import type { ENVIRONMENT_VARIABLES } from '../src/config.ts';
import type { SentimentScoring } from './scoring.ts';
import type { ResolvedSentimentApiProps } from './sentiment-api-validation.ts';

/** A variable the deployed entry reads (src/config.ts). */
export type HandlerVariable = keyof typeof ENVIRONMENT_VARIABLES;

/** The variables Powertools and Node read, which the construct sets. */
export const RUNTIME_VARIABLES = {
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  nodeOptions: 'NODE_OPTIONS',
} as const;

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
    [RUNTIME_VARIABLES.serviceName]: props.serviceName,
    [RUNTIME_VARIABLES.logLevel]: props.logLevel,
    [RUNTIME_VARIABLES.metricsNamespace]: props.metricsNamespace,
    ...(props.enableSourceMaps ? { [RUNTIME_VARIABLES.nodeOptions]: '--enable-source-maps' } : {}),
  };
}
