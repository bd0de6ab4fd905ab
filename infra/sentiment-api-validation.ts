/**
 * {@link SentimentApiProps} checked and completed with their defaults ({@link SENTIMENT_API_DEFAULTS}), once, in
 * the construct's constructor: every error names the prop, shows the value and says what would be accepted.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { PAYLOAD_FORMATS } from '../src/encoder/payload.ts';
import { ORIGIN_PATTERN, originListProblem } from '../src/http/origins.ts';
import { isSageMakerEndpointName } from '../src/sagemaker/endpoint-name.ts';
import { locate, type SourceLocation } from '../src/source/location.ts';
import { LAMBDA_ARTIFACT } from './artifact.ts';
import type { LocalModelFile } from './function-code.ts';
import {
  EXECUTION_LOGGING_LEVELS,
  LOG_LEVELS,
  SENTIMENT_API_DEFAULTS,
  type SentimentApiProps,
} from './sentiment-api-props.ts';
import type { PropsValidator } from './validators.ts';

/** Where the function reads a vocabulary or a model from, as its role and its environment need it. */
export type DeployedLocation =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string };

/** A source prop: its text (the environment's value) and where it points. */
export interface DeployedSource {
  readonly text: string;
  readonly location: DeployedLocation;
}

/**
 * The largest deployment package Lambda takes, unzipped, code and layers included: a model file above it
 * cannot be shipped with a function at all.
 */
export const LAMBDA_UNZIPPED_CODE_LIMIT_BYTES = 250 * 1024 * 1024;

/** A path inside the function root: `/`-separated segments, none of them `.` or `..`. */
const RELATIVE_FILE_PATTERN = /^(?!\.{1,2}(?:\/|$))(?!.*\/\.{1,2}(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;
/** A browser origin: scheme, host and optional port; no path, no trailing slash. */
const ORIGIN = new RegExp(ORIGIN_PATTERN);
/** A regional WAFv2 web ACL (API Gateway stages take regional ACLs only). */
const WEB_ACL_ARN_PATTERN = /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+$/;
/** A CloudWatch namespace: 1-255 of these characters (and not `AWS/`, checked apart). */
const METRICS_NAMESPACE_PATTERN = /^[A-Za-z0-9.\-_/#:]{1,255}$/;
/** Characters IAM reads as wildcards in a resource ARN. */
const IAM_WILDCARDS = /[*?]/;

/** The props that choose what the function scores with: one of them, or the model the artifact bundles. */
export const SCORING_PROPS = ['endpointName', 'modelFile', 'modelSource'] as const;

/** The props, checked, with every default filled in. */
export type ResolvedSentimentApiProps = ReturnType<typeof resolveSentimentApiProps>;

/**
 * Checks `props` and fills in the defaults.
 *
 * @param check - The construct's validator (its name starts every message).
 * @param props - The construct's props.
 * @returns The props with their defaults, and the sources parsed.
 * @throws Error naming the first prop that cannot be deployed.
 */
export function resolveSentimentApiProps(check: PropsValidator, props: SentimentApiProps) {
  const defaults = SENTIMENT_API_DEFAULTS;
  const optionalPositive = (prop: string, value: number | undefined) =>
    value === undefined ? undefined : check.integer(prop, value, 1);

  const timeout = props.timeout ?? Duration.seconds(defaults.timeoutSeconds);
  const metricsNamespace = check.matches(
    'metricsNamespace',
    props.metricsNamespace ?? defaults.metricsNamespace,
    (namespace) => METRICS_NAMESPACE_PATTERN.test(namespace) && !namespace.startsWith('AWS/'),
    'a CloudWatch namespace of your own: 1-255 letters, digits and . - _ / # :, not starting with AWS/',
  );
  // What the props choose between, refused before anything is read from the artifact.
  const choosers = SCORING_PROPS.filter((prop) => props[prop] !== undefined);
  if (choosers.length > 1) {
    check.fail(
      `${choosers.join(' and ')} each choose what the function scores with: give one of endpointName (a SageMaker ` +
        'endpoint), modelFile or modelSource (a model scored in the function).',
    );
  }
  if (props.code !== undefined && props.artifactDirectory !== undefined) {
    check.fail('code and artifactDirectory both give the function code: give one of them.');
  }
  if (props.code !== undefined && props.modelFile !== undefined) {
    check.fail(
      'modelFile is shipped inside the artifact, which the code prop hides from the construct: give the ' +
        'artifact as artifactDirectory instead of code, or upload the model and set modelSource.',
    );
  }
  return {
    endpointName: props.endpointName === undefined ? undefined : endpointName(check, props.endpointName),
    modelFile: props.modelFile === undefined ? undefined : modelFile(check, props.modelFile),
    modelSource:
      props.modelSource === undefined
        ? undefined
        : source(check, 'modelSource', check.nonBlank('modelSource', props.modelSource), LAMBDA_ARTIFACT.modelFile),
    vocabularySource: source(
      check,
      'vocabularySource',
      props.vocabularySource ?? defaults.vocabularySource,
      defaults.vocabularySource,
    ),
    vocabularySourceGiven: props.vocabularySource !== undefined,
    allowedOrigins: origins(check, props.allowedOrigins ?? defaults.allowedOrigins),
    memorySize: check.integer('memorySize', props.memorySize ?? defaults.memorySize, 128, 10240),
    timeout,
    timeoutSeconds: check.wholeSeconds('timeout', timeout, 1, 900),
    payloadFormat: check.oneOf('payloadFormat', props.payloadFormat ?? defaults.payloadFormat, PAYLOAD_FORMATS),
    maxReviewChars: optionalPositive('maxReviewChars', props.maxReviewChars),
    maxBatchSize: optionalPositive('maxBatchSize', props.maxBatchSize),
    serviceName: check.nonBlank('serviceName', props.serviceName ?? defaults.serviceName),
    logLevel: check.oneOf('logLevel', props.logLevel ?? defaults.logLevel, LOG_LEVELS),
    enableSourceMaps: props.enableSourceMaps ?? defaults.enableSourceMaps,
    logRetention: props.logRetention ?? defaults.logRetention,
    logRemovalPolicy: props.logRemovalPolicy ?? defaults.logRemovalPolicy,
    throttlingRateLimit: check.number(
      'throttlingRateLimit',
      props.throttlingRateLimit ?? defaults.throttlingRateLimit,
      {
        above: 0,
        unit: 'requests per second',
      },
    ),
    throttlingBurstLimit: check.integer(
      'throttlingBurstLimit',
      props.throttlingBurstLimit ?? defaults.throttlingBurstLimit,
      1,
    ),
    executionLoggingLevel: check.oneOf(
      'executionLoggingLevel',
      props.executionLoggingLevel ?? defaults.executionLoggingLevel,
      EXECUTION_LOGGING_LEVELS,
    ),
    webAclArn:
      props.webAclArn === undefined
        ? undefined
        : check.matches(
            'webAclArn',
            props.webAclArn,
            WEB_ACL_ARN_PATTERN,
            'a regional WAFv2 web ACL ARN (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)',
          ),
    metricsNamespace,
    alarmThresholds: props.alarmThresholds,
    alarmTopic: props.alarmTopic,
    dashboard: props.dashboard ?? defaults.dashboard,
    tracing: props.tracing ?? defaults.tracing,
    reservedConcurrency: optionalPositive('reservedConcurrency', props.reservedConcurrency),
    artifactDirectory: props.artifactDirectory,
    code: props.code,
  };
}

function endpointName(check: PropsValidator, name: string): string {
  if (typeof name !== 'string' || name === '') {
    check.fail(
      'endpointName is empty: give the name of the SageMaker endpoint to invoke, or leave it out to score ' +
        'with the model in the function.',
    );
  }
  return check.matches(
    'endpointName',
    name,
    isSageMakerEndpointName,
    'a SageMaker endpoint name: 1-63 letters, digits and hyphens, starting and ending with a letter or digit ' +
      '(^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$)',
  );
}

/**
 * A vocabulary or model source: `s3://bucket/key` as the function reads it (src/source/location.ts), with a key
 * IAM can name alone, or a path inside the function root. Not an absolute path or a `file://` URL: a path of
 * the machine that runs synth means nothing in the function.
 */
function source(check: PropsValidator, prop: string, text: string, example: string): DeployedSource {
  if (text.startsWith('s3://')) {
    const located = locate(text);
    if ('problem' in located) check.fail(`${prop} '${text}' ${located.problem}.`);
    // An s3:// text is located in S3, or not at all.
    const { bucket, key } = located as Extract<SourceLocation, { kind: 's3' }>;
    // The key goes into the role's resource ARN, where * and ? are wildcards: the grant would cover other objects.
    if (IAM_WILDCARDS.test(key)) {
      check.fail(
        `${prop} '${text}' has * or ? in its key, which IAM reads as wildcards: the role could read other ` +
          'objects too. Name an object whose key is without * or ?.',
      );
    }
    return { text, location: { kind: 's3', bucket, key } };
  }
  if (!RELATIVE_FILE_PATTERN.test(text)) {
    check.fail(
      `${prop} '${text}' must be a path relative to the function root (such as '${example}', no leading '/', ` +
        "no '..') or an s3://bucket/key URL.",
    );
  }
  return { text, location: { kind: 'file', path: text } };
}

function modelFile(check: PropsValidator, given: string): LocalModelFile {
  const file = path.resolve(check.nonBlank('modelFile', given));
  const stats = statSync(file, { throwIfNoEntry: false });
  if (stats === undefined || !stats.isFile()) {
    check.fail(
      `modelFile '${given}' is not a file (${file}): give the path of the XGBoost model, relative to the ` +
        'directory cdk runs in.',
    );
  }
  if (stats.size > LAMBDA_UNZIPPED_CODE_LIMIT_BYTES) {
    check.fail(
      `modelFile '${given}' is ${Math.round(stats.size / 2 ** 20)} MB: more than a function can hold (Lambda takes ` +
        '250 MB unzipped, code included). Serve it from a SageMaker endpoint (endpointName).',
    );
  }
  return { given, path: file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
}

function origins(check: PropsValidator, list: readonly string[]): readonly string[] {
  const problem = originListProblem(list);
  if (problem !== undefined) check.fail(`allowedOrigins ${problem}.`);
  if (list[0] === '*') return list;
  for (const origin of list) {
    check.matches(
      'allowedOrigins entry',
      origin,
      ORIGIN,
      "an origin: expected http(s)://host[:port], without path or trailing slash (e.g. 'https://reviews.example'), or '*'",
    );
  }
  return list;
}
