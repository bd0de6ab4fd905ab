/**
 * The deployed function's configuration, read from environment variables once at init. A bad value
 * stops the cold start with an error that names the variable, rather than failing requests later.
 */
import { isPayloadFormat, type PayloadFormat } from './encoder/payload.ts';
import type { SentimentHandlerOptions } from './pipeline.ts';
import { isSageMakerEndpointName } from './sagemaker/endpoint-name.ts';

/** A missing or invalid environment variable. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/**
 * The environment variables the deployed entry reads. The AWS SDK and Powertools read their own
 * (`AWS_REGION`, `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`, `POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_LOG_LEVEL`...).
 */
export const ENVIRONMENT_VARIABLES = {
  SAGEMAKER_ENDPOINT_NAME: 'Name of the SageMaker endpoint to call. Required.',
  VOCABULARY_SOURCE:
    'Vocabulary JSON: a path relative to the function root, or s3://bucket/key. Default vocabulary.json.',
  VOCABULARY_CACHE_EXPIRY_MS: 'How long a loaded vocabulary is kept, in ms; -1 forever (default), 0 never.',
  CORS_ORIGINS: 'Comma-separated allowed origins (https://example.com,...), or * (default).',
  PAYLOAD_FORMAT:
    'csv (default, dense rows as the original) or libsvm (sparse; only for models trained on sparse input).',
  MAX_REVIEW_CHARS: 'Longest accepted review in characters (413 above). Default 100000.',
  MAX_BATCH_SIZE: 'Most reviews per request (413 above). Default 100.',
  TIMEOUT_EARLY_MS: 'Answer 504 this many ms before the Lambda timeout. Default 500.',
  LOG_REVIEW_TEXT: 'true to log review text (debugging only). Default false.',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function positiveInteger(env: Env, name: keyof typeof ENVIRONMENT_VARIABLES, min = 1): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
    throw new ConfigurationError(`${name}=${JSON.stringify(raw)} is invalid: expected an integer >= ${min}.`);
  }
  return value;
}

function corsOrigins(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const origins = raw
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigurationError(
        `CORS_ORIGINS contains ${JSON.stringify(origin)}: expected * or origins like https://example.com (no path).`,
      );
    }
  }
  return origins;
}

/** Handler options from the environment (default `process.env`). */
export function handlerOptionsFromEnv(env: Env = process.env): SentimentHandlerOptions {
  const endpointName = env.SAGEMAKER_ENDPOINT_NAME?.trim();
  if (!endpointName) {
    throw new ConfigurationError('SAGEMAKER_ENDPOINT_NAME is not set: set it to the name of the SageMaker endpoint.');
  }
  if (!isSageMakerEndpointName(endpointName)) {
    throw new ConfigurationError(
      `SAGEMAKER_ENDPOINT_NAME=${JSON.stringify(endpointName)} is not a valid endpoint name.`,
    );
  }
  const payloadFormat = (env.PAYLOAD_FORMAT?.trim().toLowerCase() || 'csv') as PayloadFormat;
  if (!isPayloadFormat(payloadFormat)) {
    throw new ConfigurationError(`PAYLOAD_FORMAT=${JSON.stringify(env.PAYLOAD_FORMAT)} is invalid: use csv or libsvm.`);
  }
  const logReviewText = env.LOG_REVIEW_TEXT?.trim().toLowerCase();
  if (logReviewText !== undefined && logReviewText !== '' && logReviewText !== 'true' && logReviewText !== 'false') {
    throw new ConfigurationError(
      `LOG_REVIEW_TEXT=${JSON.stringify(env.LOG_REVIEW_TEXT)} is invalid: use true or false.`,
    );
  }
  const source = env.VOCABULARY_SOURCE?.trim() || 'vocabulary.json';
  const cacheExpiry = positiveInteger(env, 'VOCABULARY_CACHE_EXPIRY_MS', -1);
  return {
    endpointName,
    vocabulary: { source, cacheExpiry },
    payloadFormat,
    corsOrigins: corsOrigins(env.CORS_ORIGINS),
    maxReviewChars: positiveInteger(env, 'MAX_REVIEW_CHARS'),
    maxBatchSize: positiveInteger(env, 'MAX_BATCH_SIZE'),
    timeoutEarlyInMillis: positiveInteger(env, 'TIMEOUT_EARLY_MS', 0),
    logReviewText: logReviewText === 'true',
  };
}
