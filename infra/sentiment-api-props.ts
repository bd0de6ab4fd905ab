/**
 * What {@link SentimentApiProps} accepts, and each default, in one place for the construct, the docs and
 * the tests.
 *
 * @module
 */
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { DEFAULT_PAYLOAD_FORMAT, type PayloadFormat } from '../src/encoder/payload.ts';
import { DEFAULT_METRICS_NAMESPACE, DEFAULT_SERVICE_NAME, sentimentHandlerDefaults } from '../src/handler-defaults.ts';
import type { SentimentAlarmThresholds } from './alarm-thresholds.ts';
import { LAMBDA_ARTIFACT } from './artifact.ts';

export type { PayloadFormat };

/** A Powertools log level (`POWERTOOLS_LOG_LEVEL`). */
export type PowertoolsLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'CRITICAL' | 'SILENT';

/** An API Gateway execution-logging level for every method of the stage. */
export type ExecutionLoggingLevel = 'OFF' | 'ERROR' | 'INFO';

/** Every {@link PowertoolsLogLevel}. */
export const LOG_LEVELS = [
  'DEBUG',
  'INFO',
  'WARN',
  'ERROR',
  'CRITICAL',
  'SILENT',
] as const satisfies readonly PowertoolsLogLevel[];

/** Every {@link ExecutionLoggingLevel}. */
export const EXECUTION_LOGGING_LEVELS = ['OFF', 'ERROR', 'INFO'] as const satisfies readonly ExecutionLoggingLevel[];

/** The stage name, part of the URL the web page posts to (`https://.../prod/`). */
export const STAGE_NAME = 'prod';

/** API Gateway's REST integration timeout (default quota): a Lambda still running past it answers nobody. */
export const API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS = 29;

/**
 * Properties of {@link SentimentApi}. Every property has a default; what the function scores with is decided by
 * exactly one of `endpointName` (a SageMaker endpoint), `modelFile` or `modelSource` (a model scored in the
 * function), or, when none is given, the model the artifact bundles (`npm run build -- --model FILE`).
 */
export interface SentimentApiProps {
  /**
   * Score with this SageMaker endpoint hosting the XGBoost model (`SAGEMAKER_ENDPOINT_NAME`), as given to
   * `CreateEndpoint`. Must match SageMaker's pattern `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$`. The name keeps its
   * case in the environment (InvokeEndpoint matches it as given); the IAM resource uses the lowercase ARN
   * that SageMaker reports. The role may invoke this endpoint and no other.
   *
   * @default - no endpoint: the function scores the model itself (`modelFile`, `modelSource` or the bundled model)
   */
  readonly endpointName?: string;

  /**
   * Score in the function with this XGBoost model file on the machine that runs `cdk synth` (a path, relative
   * to the working directory), in any form xgboost or SageMaker writes (JSON, UBJSON, legacy binary, pickle, a
   * training job's `model.tar.gz`). The construct ships it with the function code, under `model/`, and points
   * `MODEL_SOURCE` at it. It is parsed at every cold start; `npm run build -- --model FILE --vocabulary FILE`
   * packs it instead, which a cold start reads in a millisecond.
   *
   * @default - none
   */
  readonly modelFile?: string;

  /**
   * Score in the function with the XGBoost model at `s3://bucket/key` (`MODEL_SOURCE`), such as a training
   * job's `model.tar.gz`, read at cold start; or a path relative to the function root, for code that carries
   * its model. An S3 source adds `s3:GetObject` on that one object to the role; an object encrypted with a
   * customer-managed KMS key also needs `kms:Decrypt`, which this construct does not grant.
   *
   * @default - none
   */
  readonly modelSource?: string;

  /**
   * Where the Lambda loads the vocabulary from (`VOCABULARY_SOURCE`): a path relative to the function root,
   * or `s3://bucket/key`. An S3 source adds `s3:GetObject` on that one object to the role; an object
   * encrypted with a customer-managed KMS key also needs `kms:Decrypt`, which this construct does not grant.
   * Give it when the model is not the one the artifact's vocabulary was built for: synth refuses to pair a
   * model of your own with the demo vocabulary.
   *
   * @default LAMBDA_ARTIFACT.vocabularyFile (`vocabulary.json`, bundled beside the handler)
   */
  readonly vocabularySource?: string;

  /**
   * Origins allowed to call the API from a browser (`CORS_ORIGINS`; the function answers the `OPTIONS` preflight): `['*']`
   * or a list of `http(s)://host[:port]` origins. Prefer the list of the sites that host the page.
   *
   * @default ['*'] (any page may call the API)
   */
  readonly allowedOrigins?: readonly string[];

  /**
   * A directory holding a built Lambda artifact (`npm run build -- --outdir DIR`), deployed as the function code.
   * Its `artifact.json` says what it bundles: a model (then no model prop is needed) and whether its vocabulary
   * is the demo one.
   *
   * @default <package>/dist/lambda (`LAMBDA_ARTIFACT.directory`, written by `npm run build` and shipped in the npm package)
   */
  readonly artifactDirectory?: string;

  /**
   * The function code, instead of an artifact directory. The construct cannot look into it: it does not know
   * whether it bundles a model or which vocabulary (name the model with `endpointName` or `modelSource`), and
   * cannot add `modelFile` to it.
   *
   * @default - the artifact in `artifactDirectory`
   */
  readonly code?: lambda.Code;

  /**
   * Lambda memory in MB, 128..10240. Memory also buys CPU. Behind an endpoint, the function mostly waits for
   * the SageMaker call, so more memory shortens little; scoring in the function, a large model (or a
   * `model.tar.gz` parsed at cold start) needs the memory to hold it and the CPU to read it.
   *
   * @default 256
   */
  readonly memorySize?: number;

  /**
   * Lambda timeout, 1..900 s in whole seconds. API Gateway gives up after 29 s, so a larger value only lets a
   * function keep running (and billing) after the caller got a 504: the construct accepts it (for accounts that
   * raised the integration timeout quota) but adds a synthesis warning.
   *
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;

  /**
   * Row format (`PAYLOAD_FORMAT`): the body sent to the XGBoost container, or, in the function, whether a word a
   * review lacks is 0 (`csv`) or missing (`libsvm`), so that a model scores alike in both.
   *
   * @default 'csv' (dense rows, as models trained on CSV read them)
   */
  readonly payloadFormat?: PayloadFormat;

  /**
   * Longest review the handler accepts, in characters (`MAX_REVIEW_CHARS`); a positive integer.
   *
   * @default - unset: the handler's built-in limit applies
   */
  readonly maxReviewChars?: number;

  /**
   * Most reviews the handler accepts in one batch request (`MAX_BATCH_SIZE`); a positive integer.
   *
   * @default - unset: the handler's built-in limit applies
   */
  readonly maxBatchSize?: number;

  /**
   * The `service` key of every log line (`POWERTOOLS_SERVICE_NAME`).
   *
   * @default 'sentiment-lambda' (`DEFAULT_SERVICE_NAME`, the handler's own default)
   */
  readonly serviceName?: string;

  /**
   * Handler log level (`POWERTOOLS_LOG_LEVEL`).
   *
   * @default 'INFO'
   */
  readonly logLevel?: PowertoolsLogLevel;

  /**
   * Map stack traces in the function's logs back to the TypeScript sources (`NODE_OPTIONS=--enable-source-maps`;
   * the source map ships in the artifact either way). Off by default: the flag lengthens every cold
   * start (docs/cold-start.md has the figure).
   *
   * @default false
   */
  readonly enableSourceMaps?: boolean;

  /**
   * Retention of the function's log group and of the API access-log group.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to both log groups when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN (logs are an audit trail; delete them by hand)
   */
  readonly logRemovalPolicy?: RemovalPolicy;

  /**
   * Steady-state request rate limit of the stage, in requests per second (> 0). Every request above it gets a
   * 429 before reaching Lambda or SageMaker, which caps the bill of an anonymous public API.
   *
   * @default 10
   */
  readonly throttlingRateLimit?: number;

  /**
   * Burst limit of the stage (a positive integer): how many requests may arrive at once above the rate.
   *
   * @default 20
   */
  readonly throttlingBurstLimit?: number;

  /**
   * API Gateway execution logging for every method. Anything but `'OFF'` needs the account-wide API Gateway
   * CloudWatch Logs role (`AWS::ApiGateway::Account`, a per-region singleton) to exist already, or the deploy
   * fails; this construct does not create it, because a stack that owns an account singleton breaks every
   * other API in the region when it is deleted. Request and response bodies (review text) are never logged
   * (`dataTraceEnabled: false`).
   *
   * @default 'OFF' (access logs and the function's structured logs cover each request)
   */
  readonly executionLoggingLevel?: ExecutionLoggingLevel;

  /**
   * ARN of a regional AWS WAFv2 web ACL to associate with the stage (for example a rate-based rule per IP).
   *
   * @default - no web ACL: the stage throttling is the only abuse control
   */
  readonly webAclArn?: string;

  /**
   * The CloudWatch namespace of the handler's metrics (`POWERTOOLS_METRICS_NAMESPACE`).
   *
   * @default 'SentimentLambda' (`DEFAULT_METRICS_NAMESPACE`)
   */
  readonly metricsNamespace?: string;

  /**
   * Thresholds of the alarms (5xx rate, p99 latency, model errors, endpoint throttles, vocabulary coverage, the
   * function's errors and throttles); each one missing takes its default (`SENTIMENT_ALARM_DEFAULTS`). The
   * model-error and endpoint-throttle alarms exist behind an endpoint only.
   *
   * @default SENTIMENT_ALARM_DEFAULTS
   */
  readonly alarmThresholds?: SentimentAlarmThresholds;

  /**
   * An SNS topic the alarms notify when they go off and when they recover.
   *
   * @default - no notification
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Create the CloudWatch dashboard of the handler's, the function's and API Gateway's metrics.
   *
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * AWS X-Ray active tracing of the function and the API stage. The role then also may write trace segments.
   *
   * @default false
   */
  readonly tracing?: boolean;

  /**
   * Concurrent executions reserved for the function (and its ceiling): caps what a traffic spike can cost and
   * how hard it can drive the SageMaker endpoint.
   *
   * @default - none: the function shares the account's unreserved concurrency
   */
  readonly reservedConcurrency?: number;
}

/** The defaults of {@link SentimentApiProps}, in one place for the construct, the docs and the tests. */
export const SENTIMENT_API_DEFAULTS = {
  vocabularySource: LAMBDA_ARTIFACT.vocabularyFile,
  allowedOrigins: sentimentHandlerDefaults.corsOrigins,
  artifactDirectory: LAMBDA_ARTIFACT.directory,
  memorySize: 256,
  timeoutSeconds: 10,
  payloadFormat: DEFAULT_PAYLOAD_FORMAT,
  serviceName: DEFAULT_SERVICE_NAME,
  logLevel: 'INFO',
  enableSourceMaps: false,
  logRetention: logs.RetentionDays.ONE_MONTH,
  logRemovalPolicy: RemovalPolicy.RETAIN,
  throttlingRateLimit: 10,
  throttlingBurstLimit: 20,
  executionLoggingLevel: 'OFF',
  metricsNamespace: DEFAULT_METRICS_NAMESPACE,
  dashboard: true,
  tracing: false,
} as const;
