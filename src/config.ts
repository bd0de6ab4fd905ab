/**
 * The deployed function's configuration, read from environment variables once at init. This module
 * only reads: it turns each variable's text into the option it sets, and leaves checking the value to
 * the factory that takes the option (createHandler and its middlewares), so each is checked once.
 * A bad value stops the cold start with an error that names the variable (see src/lambda.ts).
 */
import type { SentimentHandlerOptions } from './pipeline.ts';

/** A missing, unreadable or invalid environment variable. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** Where a bundled vocabulary is, relative to the function root: the default `VOCABULARY_SOURCE`. */
export const DEFAULT_VOCABULARY_SOURCE = 'vocabulary.json';

/**
 * The environment variables the deployed entry reads, the option each one sets, and what it means.
 * The AWS SDK and Powertools read their own (`AWS_REGION`, `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`,
 * `POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_LOG_LEVEL`...).
 */
export const ENVIRONMENT_VARIABLES = {
  SAGEMAKER_ENDPOINT_NAME: { option: 'endpointName', description: 'Name of the SageMaker endpoint to call. Required.' },
  VOCABULARY_SOURCE: {
    option: 'source',
    description: `Vocabulary JSON: a path relative to the function root, or s3://bucket/key. Default ${DEFAULT_VOCABULARY_SOURCE}.`,
  },
  VOCABULARY_CACHE_EXPIRY_MS: {
    option: 'cacheExpiry',
    description:
      'How long a loaded vocabulary is kept, in ms, at most a day (86400000); -1 forever (default), 0 never.',
  },
  CORS_ORIGINS: { option: 'corsOrigins', description: 'Comma-separated allowed origins, or * (default).' },
  PAYLOAD_FORMAT: {
    option: 'payloadFormat',
    description:
      'csv (default, dense rows as the original) or libsvm (sparse; only for models trained on sparse input).',
  },
  MAX_REVIEW_CHARS: { option: 'maxReviewChars', description: 'Longest accepted review in characters (413 above).' },
  MAX_BATCH_SIZE: { option: 'maxBatchSize', description: 'Most reviews per request (413 above).' },
  MAX_BODY_BYTES: { option: 'maxBodyBytes', description: 'Largest request body in bytes (413 above, before parsing).' },
  TIMEOUT_EARLY_MS: {
    option: 'timeoutEarlyInMillis',
    description: 'Answer 504 this many ms before the Lambda timeout.',
  },
  LOG_REVIEW_TEXT: { option: 'logReviewText', description: 'true to log review text (debugging only). Default false.' },
} as const satisfies Record<string, { option: string; description: string }>;

type Variable = keyof typeof ENVIRONMENT_VARIABLES;
type Env = Readonly<Record<string, string | undefined>>;

/** A variable's text, trimmed; `undefined` when unset or blank, so the option takes its default. */
function text(env: Env, name: Variable): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

/** A whole number (`-1`, `0`, `500`...). Whether it is in range is for the option's factory to say. */
function integer(env: Env, name: Variable): number | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new ConfigurationError(`${name}=${JSON.stringify(value)} is invalid: expected a whole number.`);
  }
  return Number(value);
}

function flag(env: Env, name: Variable): boolean | undefined {
  const value = text(env, name)?.toLowerCase();
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') {
    throw new ConfigurationError(`${name}=${JSON.stringify(env[name])} is invalid: use true or false.`);
  }
  return value === 'true';
}

/** Handler options from the environment (default `process.env`). */
export function handlerOptionsFromEnv(env: Env = process.env): SentimentHandlerOptions {
  const endpointName = text(env, 'SAGEMAKER_ENDPOINT_NAME');
  if (endpointName === undefined) {
    throw new ConfigurationError('SAGEMAKER_ENDPOINT_NAME is not set: set it to the name of the SageMaker endpoint.');
  }
  return {
    endpointName,
    vocabulary: {
      source: text(env, 'VOCABULARY_SOURCE') ?? DEFAULT_VOCABULARY_SOURCE,
      cacheExpiry: integer(env, 'VOCABULARY_CACHE_EXPIRY_MS'),
    },
    payloadFormat: text(env, 'PAYLOAD_FORMAT')?.toLowerCase() as SentimentHandlerOptions['payloadFormat'],
    corsOrigins: text(env, 'CORS_ORIGINS')
      ?.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    maxReviewChars: integer(env, 'MAX_REVIEW_CHARS'),
    maxBatchSize: integer(env, 'MAX_BATCH_SIZE'),
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES'),
    timeoutEarlyInMillis: integer(env, 'TIMEOUT_EARLY_MS'),
    logReviewText: flag(env, 'LOG_REVIEW_TEXT'),
  };
}

/**
 * A factory's refusal of an option, told in terms of the variable that set it
 * (`MAX_BATCH_SIZE="0" is invalid: reviewRequest: Option 'maxBatchSize' must be >= 1.`).
 * Anything else is returned as it is.
 */
export function asConfigurationError(error: unknown, env: Env = process.env): unknown {
  // `Option 'vocabulary.cacheExpiry'`, `Option 'corsOrigins[0]'`: the option's own name.
  const path = /Option '([\w.[\]]+)'/.exec((error as Error)?.message ?? '')?.[1];
  const option = path
    ?.split('.')
    .pop()
    ?.replace(/\[\d+\]$/, '');
  const variable = (Object.keys(ENVIRONMENT_VARIABLES) as Variable[]).find(
    (name) => ENVIRONMENT_VARIABLES[name].option === option && env[name] !== undefined,
  );
  if (variable === undefined) return error;
  return new ConfigurationError(
    `${variable}=${JSON.stringify(env[variable])} is invalid: ${(error as Error).message}`,
    {
      cause: error,
    },
  );
}
