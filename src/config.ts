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
 * Where `npm run build -- --model FILE` bundles the model, relative to the function root: the default
 * `MODEL_SOURCE` of an artifact that holds one.
 */
export const BUNDLED_MODEL_SOURCE = 'model.packed';

/**
 * The environment variables the deployed entry reads, the option each one sets, and what it means.
 * The AWS SDK and Powertools read their own (`AWS_REGION`, `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`,
 * `POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_LOG_LEVEL`...).
 */
export const ENVIRONMENT_VARIABLES = {
  SAGEMAKER_ENDPOINT_NAME: {
    option: 'endpointName',
    description: 'Name of the SageMaker endpoint to call. Set this or MODEL_SOURCE, not both.',
  },
  MODEL_SOURCE: {
    option: 'model.source',
    description:
      'The XGBoost model to score with in the function, in any form xgboost or SageMaker writes: a path relative ' +
      `to the function root, or s3://bucket/key (a training job's model.tar.gz). Set this or SAGEMAKER_ENDPOINT_NAME, ` +
      `not both. Default: the model the artifact bundles (${BUNDLED_MODEL_SOURCE}), if any.`,
  },
  MODEL_CACHE_EXPIRY_MS: {
    option: 'model.cacheExpiry',
    description: 'How long a loaded model is kept, in ms, at most a day (86400000); -1 forever (default), 0 never.',
  },
  VOCABULARY_SOURCE: {
    option: 'vocabulary.source',
    description: `Vocabulary JSON: a path relative to the function root, or s3://bucket/key. Default ${DEFAULT_VOCABULARY_SOURCE}.`,
  },
  VOCABULARY_CACHE_EXPIRY_MS: {
    option: 'vocabulary.cacheExpiry',
    description:
      'How long a loaded vocabulary is kept, in ms, at most a day (86400000); -1 forever (default), 0 never.',
  },
  CORS_ORIGINS: { option: 'corsOrigins', description: 'Comma-separated allowed origins, or * (default).' },
  PAYLOAD_FORMAT: {
    option: 'payloadFormat',
    description:
      'csv (default: dense rows, every vocabulary column) or libsvm (sparse; only for models trained on sparse input).',
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

/** What the deployed artifact holds besides its code. */
export interface BundledFiles {
  /** The model the artifact bundles ({@link BUNDLED_MODEL_SOURCE}), when it bundles one. */
  readonly model?: string | undefined;
}

/**
 * Handler options from the environment (default `process.env`): a SageMaker endpoint's
 * (`SAGEMAKER_ENDPOINT_NAME`) or the model in the function's (`MODEL_SOURCE`, by default the one the
 * artifact bundles). Exactly one of the two.
 * @throws {ConfigurationError} naming the variable that cannot be read, or both when both or neither are set.
 */
export function handlerOptionsFromEnv(env: Env = process.env, bundled: BundledFiles = {}): SentimentHandlerOptions {
  const endpointName = text(env, 'SAGEMAKER_ENDPOINT_NAME');
  const modelSource = text(env, 'MODEL_SOURCE');
  const bundledModel = modelSource === undefined && endpointName === undefined ? bundled.model : undefined;
  if (endpointName !== undefined && modelSource !== undefined) {
    throw new ConfigurationError(
      'Both SAGEMAKER_ENDPOINT_NAME and MODEL_SOURCE are set: set SAGEMAKER_ENDPOINT_NAME to score with a SageMaker ' +
        'endpoint, or MODEL_SOURCE to score with the model in the function, not both.',
    );
  }
  if (endpointName === undefined && modelSource === undefined && bundledModel === undefined) {
    throw new ConfigurationError(
      'Neither SAGEMAKER_ENDPOINT_NAME nor MODEL_SOURCE is set: set SAGEMAKER_ENDPOINT_NAME to the name of the ' +
        'SageMaker endpoint to call, or MODEL_SOURCE to the XGBoost model to score with in the function ' +
        '(a path in the function, or s3://bucket/key), or deploy an artifact built with npm run build -- --model FILE.',
    );
  }
  const common = {
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
  if (endpointName !== undefined) return { endpointName, ...common };
  return {
    model: {
      source: (modelSource ?? bundledModel) as string,
      cacheExpiry: integer(env, 'MODEL_CACHE_EXPIRY_MS'),
    },
    ...common,
  };
}

/**
 * A factory's refusal of an option, told in terms of the variable that set it
 * (`MAX_BATCH_SIZE="0" is invalid: reviewRequest: Option 'maxBatchSize' must be >= 1.`).
 * Anything else is returned as it is.
 */
export function asConfigurationError(error: unknown, env: Env = process.env): unknown {
  // `vocabularyMiddleware: Option 'cacheExpiry'`, `createHandler: Option 'corsOrigins[0]'`: the factory,
  // and the option's own name, which a middleware's factory gives without the handler option it sits in.
  const match = /^(\w+): Option '([\w.]+)/.exec((error as Error)?.message ?? '');
  if (match === null) return error;
  const [, owner, option] = match as unknown as [string, string, string];
  const path = `${OPTION_OWNERS[owner] ?? ''}${option}`;
  const variable = (Object.keys(ENVIRONMENT_VARIABLES) as Variable[]).find(
    (name) => ENVIRONMENT_VARIABLES[name].option === path && env[name] !== undefined,
  );
  if (variable === undefined) return error;
  return new ConfigurationError(
    `${variable}=${JSON.stringify(env[variable])} is invalid: ${(error as Error).message}`,
    {
      cause: error,
    },
  );
}

/** The handler option each middleware's options sit in: its errors name options without it. */
const OPTION_OWNERS: Readonly<Record<string, string>> = {
  vocabularyMiddleware: 'vocabulary.',
  modelMiddleware: 'model.',
};
