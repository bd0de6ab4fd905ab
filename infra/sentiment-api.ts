/**
 * The `SentimentApi` construct: the three console steps of the original (IAM role, Lambda function,
 * API Gateway trigger) as one reviewed, least-privilege unit.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { DEFAULT_PAYLOAD_FORMAT, PAYLOAD_FORMATS, type PayloadFormat } from '../src/encoder/payload.ts';
import { DEFAULT_METRICS_NAMESPACE, DEFAULT_SERVICE_NAME, sentimentHandlerDefaults } from '../src/handler-defaults.ts';
import { ORIGIN_PATTERN, originListProblem } from '../src/http/origins.ts';
import { isSageMakerEndpointName } from '../src/sagemaker/endpoint-name.ts';
import { LAMBDA_ARTIFACT, lambdaArtifactPath } from './artifact.ts';
import { type SentimentAlarmThresholds, SentimentMonitoring } from './sentiment-monitoring.ts';

export type { PayloadFormat };

/** A Powertools log level (`POWERTOOLS_LOG_LEVEL`). */
export type PowertoolsLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'CRITICAL' | 'SILENT';

/** An API Gateway execution-logging level for every method of the stage. */
export type ExecutionLoggingLevel = 'OFF' | 'ERROR' | 'INFO';

/** The stage the original deployed to, and whose URL its web page posts to. */
export const STAGE_NAME = 'prod';

/** API Gateway's REST integration timeout (default quota): a Lambda still running past it answers nobody. */
export const API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS = 29;

/** A path inside the function root: `/`-separated segments, none of them `.` or `..`. */
const RELATIVE_FILE_PATTERN = /^(?!\.{1,2}(?:\/|$))(?!.*\/\.{1,2}(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;
/** `s3://bucket/key`: S3 bucket naming rules; a key without IAM wildcard characters. */
const S3_SOURCE_PATTERN = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/([^*?]+)$/;
/** A browser origin: scheme, host and optional port; no path, no trailing slash. */
const ORIGIN = new RegExp(ORIGIN_PATTERN);
/** A regional WAFv2 web ACL (API Gateway stages take regional ACLs only). */
const WEB_ACL_ARN_PATTERN = /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+$/;

const LOG_LEVELS: readonly string[] = [
  'DEBUG',
  'INFO',
  'WARN',
  'ERROR',
  'CRITICAL',
  'SILENT',
] satisfies PowertoolsLogLevel[];
const EXECUTION_LOGGING_LEVELS: readonly string[] = ['OFF', 'ERROR', 'INFO'] satisfies ExecutionLoggingLevel[];

/** Properties of {@link SentimentApi}. Every property except `endpointName` has a default. */
export interface SentimentApiProps {
  /**
   * Name of the SageMaker endpoint hosting the XGBoost model (`SAGEMAKER_ENDPOINT_NAME`), as given to
   * `CreateEndpoint`. Must match SageMaker's pattern `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$`. The name keeps its
   * case in the environment (InvokeEndpoint matches it as given); the IAM resource uses the lowercase ARN
   * that SageMaker reports.
   */
  readonly endpointName: string;

  /**
   * Where the Lambda loads the vocabulary from (`VOCABULARY_SOURCE`): a path relative to the function root,
   * or `s3://bucket/key`. An S3 source adds `s3:GetObject` on that one object to the role; an object
   * encrypted with a customer-managed KMS key also needs `kms:Decrypt`, which this construct does not grant.
   *
   * @default LAMBDA_ARTIFACT.vocabularyFile (`vocabulary.json`, bundled beside the handler)
   */
  readonly vocabularySource?: string;

  /**
   * Origins allowed to call the API from a browser (`CORS_ORIGINS`; the function answers the `OPTIONS` preflight): `['*']`
   * or a list of `http(s)://host[:port]` origins. Prefer the list of the sites that host the page.
   *
   * @default ['*'] (what the original answered)
   */
  readonly allowedOrigins?: readonly string[];

  /**
   * The function code.
   *
   * @default lambda.Code.fromAsset(<package>/dist/lambda) (`LAMBDA_ARTIFACT.directory`, written by `npm run build` and shipped in the npm package)
   */
  readonly code?: lambda.Code;

  /**
   * Lambda memory in MB, 128..10240. Memory also buys CPU; the handler's own work (encoding one review into a
   * 5,000-wide vector) is small next to the SageMaker call, so more memory shortens little.
   *
   * @default 256
   */
  readonly memorySize?: number;

  /**
   * Lambda timeout, 1..900 s in whole seconds. The SageMaker call dominates a request, and API Gateway gives
   * up after 29 s, so a larger value only lets a function keep running (and billing) after the caller got a
   * 504: the construct accepts it (for accounts that raised the integration timeout quota) but adds a
   * synthesis warning.
   *
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;

  /**
   * Request body format sent to the XGBoost container (`PAYLOAD_FORMAT`).
   *
   * @default 'csv' (what the original sent)
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
   * function's errors and throttles); each one missing takes its default (`SENTIMENT_ALARM_DEFAULTS`).
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

/** The defaults of {@link SentimentApiProps}, in one place for the docs and the tests. */
export const SENTIMENT_API_DEFAULTS = {
  vocabularySource: LAMBDA_ARTIFACT.vocabularyFile,
  allowedOrigins: sentimentHandlerDefaults.corsOrigins,
  memorySize: 256,
  timeoutSeconds: 10,
  payloadFormat: DEFAULT_PAYLOAD_FORMAT,
  serviceName: DEFAULT_SERVICE_NAME,
  logLevel: 'INFO',
  logRetention: logs.RetentionDays.ONE_MONTH,
  throttlingRateLimit: 10,
  throttlingBurstLimit: 20,
  executionLoggingLevel: 'OFF',
} as const;

/**
 * One JSON line per request in the access-log group: API Gateway's standard fields (as in
 * `AccessLogFormat.jsonWithStandardFields`) plus latency and the integration / gateway error fields, which
 * are what execution logs would otherwise be needed for (why a request got a 502, 504 or 429).
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: apigateway.AccessLogField.contextRequestId(),
  ip: apigateway.AccessLogField.contextIdentitySourceIp(),
  user: apigateway.AccessLogField.contextIdentityUser(),
  caller: apigateway.AccessLogField.contextIdentityCaller(),
  requestTime: apigateway.AccessLogField.contextRequestTime(),
  httpMethod: apigateway.AccessLogField.contextHttpMethod(),
  resourcePath: apigateway.AccessLogField.contextResourcePath(),
  status: apigateway.AccessLogField.contextStatus(),
  protocol: apigateway.AccessLogField.contextProtocol(),
  responseLength: apigateway.AccessLogField.contextResponseLength(),
  responseLatency: apigateway.AccessLogField.contextResponseLatency(),
  integrationStatus: apigateway.AccessLogField.contextIntegrationStatus(),
  integrationLatency: apigateway.AccessLogField.contextIntegrationLatency(),
  integrationErrorMessage: apigateway.AccessLogField.contextIntegrationErrorMessage(),
  errorMessage: apigateway.AccessLogField.contextErrorMessage(),
  errorResponseType: apigateway.AccessLogField.contextErrorResponseType(),
};

/** A vocabulary source, parsed. */
type VocabularySource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string };

/**
 * An anonymous `POST /` API (stage `prod`) in front of a Node.js 24 Lambda that scores movie reviews with a
 * SageMaker XGBoost endpoint: the original's hand-made role, function and trigger, with a role that may
 * only invoke that one endpoint (and read the one vocabulary object, when it lives in S3) and write its own
 * log group.
 *
 * @example
 * ```ts
 * const api = new SentimentApi(this, 'Sentiment', {
 *   endpointName: 'sentiment-xgboost',
 *   allowedOrigins: ['https://reviews.example'],
 * });
 * new CfnOutput(this, 'Url', { value: api.url });
 * ```
 */
export class SentimentApi extends Construct {
  /** The Lambda function serving `POST /`. */
  public readonly function: lambda.Function;
  /** The REST API (regional, stage `prod`). */
  public readonly api: apigateway.RestApi;
  /** The invoke URL of the `prod` stage, ending with `/`: the URL the web page posts to. */
  public readonly url: string;
  /** The function's execution role (inline least-privilege policy, no managed policies). */
  public readonly role: iam.Role;
  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;
  /** The API access-log group (one JSON line per request). */
  public readonly accessLogGroup: logs.LogGroup;
  /** The alarms and the dashboard. */
  public readonly monitoring: SentimentMonitoring;

  /**
   * @param scope - The parent construct.
   * @param id - The construct id.
   * @param props - The configuration; validated here, with errors that name the offending property.
   * @throws Error when a property is out of range or malformed.
   */
  public constructor(scope: Construct, id: string, props: SentimentApiProps) {
    super(scope, id);

    const endpointName = validateEndpointName(props.endpointName);
    const vocabularySourceText = props.vocabularySource ?? SENTIMENT_API_DEFAULTS.vocabularySource;
    const vocabularySource = parseVocabularySource(vocabularySourceText);
    const allowedOrigins = validateOrigins(props.allowedOrigins ?? SENTIMENT_API_DEFAULTS.allowedOrigins);
    const memorySize = validateIntegerRange(
      'memorySize',
      props.memorySize ?? SENTIMENT_API_DEFAULTS.memorySize,
      128,
      10240,
    );
    const timeout = props.timeout ?? Duration.seconds(SENTIMENT_API_DEFAULTS.timeoutSeconds);
    const timeoutSeconds = validateTimeout(timeout);
    const payloadFormat = validateOneOf(
      'payloadFormat',
      props.payloadFormat ?? SENTIMENT_API_DEFAULTS.payloadFormat,
      PAYLOAD_FORMATS,
    );
    const logLevel = validateOneOf('logLevel', props.logLevel ?? SENTIMENT_API_DEFAULTS.logLevel, LOG_LEVELS);
    const executionLoggingLevel = validateOneOf(
      'executionLoggingLevel',
      props.executionLoggingLevel ?? SENTIMENT_API_DEFAULTS.executionLoggingLevel,
      EXECUTION_LOGGING_LEVELS,
    );
    const serviceName = props.serviceName ?? SENTIMENT_API_DEFAULTS.serviceName;
    if (serviceName.trim() === '') {
      throw new Error('SentimentApi: serviceName must not be empty.');
    }
    const rateLimit = props.throttlingRateLimit ?? SENTIMENT_API_DEFAULTS.throttlingRateLimit;
    if (!Number.isFinite(rateLimit) || rateLimit <= 0) {
      throw new Error(
        `SentimentApi: throttlingRateLimit must be a number of requests per second > 0, got ${rateLimit}.`,
      );
    }
    const burstLimit = validateIntegerRange(
      'throttlingBurstLimit',
      props.throttlingBurstLimit ?? SENTIMENT_API_DEFAULTS.throttlingBurstLimit,
      1,
      Number.MAX_SAFE_INTEGER,
    );
    const maxReviewChars =
      props.maxReviewChars === undefined
        ? undefined
        : validateIntegerRange('maxReviewChars', props.maxReviewChars, 1, Number.MAX_SAFE_INTEGER);
    const maxBatchSize =
      props.maxBatchSize === undefined
        ? undefined
        : validateIntegerRange('maxBatchSize', props.maxBatchSize, 1, Number.MAX_SAFE_INTEGER);
    const reservedConcurrency =
      props.reservedConcurrency === undefined
        ? undefined
        : validateIntegerRange('reservedConcurrency', props.reservedConcurrency, 1, Number.MAX_SAFE_INTEGER);
    const metricsNamespace = props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
    if (!/^[A-Za-z0-9.\-_/#:]{1,255}$/.test(metricsNamespace) || metricsNamespace.startsWith('AWS/')) {
      throw new Error(
        `SentimentApi: metricsNamespace '${metricsNamespace}' is not a CloudWatch namespace of your own: 1-255 letters, digits and . - _ / # :, not starting with AWS/.`,
      );
    }
    if (
      props.webAclArn !== undefined &&
      !Token.isUnresolved(props.webAclArn) &&
      !WEB_ACL_ARN_PATTERN.test(props.webAclArn)
    ) {
      throw new Error(
        `SentimentApi: webAclArn must be a regional WAFv2 web ACL ARN (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>), got '${props.webAclArn}'.`,
      );
    }
    if (timeoutSeconds !== undefined && timeoutSeconds > API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS) {
      Annotations.of(this).addWarningV2(
        'sentiment-lambda:timeoutExceedsIntegrationTimeout',
        `timeout is ${timeoutSeconds} s but API Gateway answers 504 after ${API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS} s; ` +
          'the function would keep running (and billing) for nobody unless the integration timeout quota was raised.',
      );
    }

    const stack = Stack.of(this);
    const retention = props.logRetention ?? SENTIMENT_API_DEFAULTS.logRetention;
    const removalPolicy = props.logRemovalPolicy ?? RemovalPolicy.RETAIN;

    this.logGroup = new logs.LogGroup(this, 'FunctionLogs', { retention, removalPolicy });
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', { retention, removalPolicy });

    // The role is built here rather than by lambda.Function: the default role carries the managed
    // AWSLambdaBasicExecutionRole (logs:CreateLogGroup and writes to every log group of the account).
    const statements = [
      new iam.PolicyStatement({
        sid: 'InvokeTheSentimentEndpoint',
        actions: ['sagemaker:InvokeEndpoint'],
        resources: [endpointArn(stack, endpointName)],
      }),
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        // The log group's Arn attribute ends with `:*`, which covers its log streams and nothing else.
        resources: [this.logGroup.logGroupArn],
      }),
    ];
    if (vocabularySource.kind === 's3') {
      statements.push(
        new iam.PolicyStatement({
          sid: 'ReadTheVocabulary',
          actions: ['s3:GetObject'],
          resources: [`arn:${stack.partition}:s3:::${vocabularySource.bucket}/${vocabularySource.key}`],
        }),
      );
    }
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Sentiment Lambda: invoke SageMaker endpoint ${endpointName}, write its own logs`,
      inlinePolicies: { LeastPrivilege: new iam.PolicyDocument({ statements }) },
    });

    const environment: Record<string, string> = {
      SAGEMAKER_ENDPOINT_NAME: endpointName,
      VOCABULARY_SOURCE: vocabularySourceText,
      CORS_ORIGINS: allowedOrigins.join(','),
      PAYLOAD_FORMAT: payloadFormat,
      POWERTOOLS_SERVICE_NAME: serviceName,
      POWERTOOLS_LOG_LEVEL: logLevel,
      POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
    };
    if (props.enableSourceMaps === true) environment.NODE_OPTIONS = '--enable-source-maps';
    if (maxReviewChars !== undefined) environment.MAX_REVIEW_CHARS = String(maxReviewChars);
    if (maxBatchSize !== undefined) environment.MAX_BATCH_SIZE = String(maxBatchSize);

    this.function = new lambda.Function(this, 'Function', {
      description: 'Scores a movie review with the SageMaker XGBoost sentiment endpoint (1 positive, 0 negative).',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: LAMBDA_ARTIFACT.handler,
      code: props.code ?? builtArtifact(),
      memorySize,
      timeout,
      environment,
      role: this.role,
      logGroup: this.logGroup,
      tracing: props.tracing === true ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      reservedConcurrentExecutions: reservedConcurrency,
    });

    const executionLogging = executionLoggingLevel as ExecutionLoggingLevel;
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: `${stack.stackName}-${id}`,
      description: 'Movie review sentiment: POST the review text to the stage URL, get 1 (positive) or 0 (negative).',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      // Never let the construct create the account-wide API Gateway CloudWatch role (see executionLoggingLevel).
      cloudWatchRole: false,
      deployOptions: {
        stageName: STAGE_NAME,
        throttlingRateLimit: rateLimit,
        throttlingBurstLimit: burstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        loggingLevel: apigateway.MethodLoggingLevel[executionLogging],
        dataTraceEnabled: false,
        tracingEnabled: props.tracing === true,
        metricsEnabled: false,
      },
    });
    // RestApi adds an unnamed `Endpoint` output; the construct's `Url` output below replaces it.
    this.api.node.tryRemoveChild('Endpoint');

    const integration = new apigateway.LambdaIntegration(this.function);
    const postMethod = this.api.root.addMethod('POST', integration);
    // The CORS preflight goes to the function too: its answer (allowed origins, methods, headers,
    // max-age, security headers) is defined once, in the pipeline, for every way it is deployed.
    const optionsMethod = this.api.root.addMethod('OPTIONS', integration);

    // Errors API Gateway answers itself (throttling 429, timeout 504, unknown route 403) carry the CORS
    // header too, so a browser page can read them instead of failing with an opaque CORS error.
    const originHeader = gatewayResponseOrigin(allowedOrigins);
    for (const [id, type] of [
      ['Default4xx', apigateway.ResponseType.DEFAULT_4XX],
      ['Default5xx', apigateway.ResponseType.DEFAULT_5XX],
    ] as const) {
      this.api.addGatewayResponse(id, { type, responseHeaders: originHeader });
    }

    if (props.webAclArn !== undefined) {
      new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
        resourceArn: this.api.deploymentStage.stageArn,
        webAclArn: props.webAclArn,
      });
    }

    this.url = this.api.url;
    new CfnOutput(this, 'Url', {
      description: 'Invoke URL of the prod stage: POST a movie review here.',
      value: this.url,
    });

    this.monitoring = new SentimentMonitoring(this, 'Monitoring', {
      function: this.function,
      api: this.api,
      namespace: metricsNamespace,
      serviceName,
      thresholds: props.alarmThresholds,
      alarmTopic: props.alarmTopic,
      dashboard: props.dashboard,
    });

    acknowledgeDesignDecisions(this.api, postMethod, optionsMethod, {
      executionLogging: executionLogging !== 'OFF',
      webAcl: props.webAclArn !== undefined,
    });
    if (props.tracing === true) {
      // Lambda adds X-Ray's write permissions to the role's default policy when tracing is active.
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level ' +
          'permissions, so the statement Lambda adds for tracing has Resource *. Nothing else in the role does.',
      });
    }
  }
}

/**
 * Records, for cdk-nag's AwsSolutions pack, the rules this design deliberately does not follow and why.
 */
function acknowledgeDesignDecisions(
  api: apigateway.RestApi,
  postMethod: apigateway.Method,
  optionsMethod: apigateway.Method,
  enabled: { readonly executionLogging: boolean; readonly webAcl: boolean },
): void {
  const publicByDesign =
    'The original API is public and unauthenticated by design: its static page posts the review anonymously ' +
    'with XMLHttpRequest and cannot hold credentials. Abuse is bounded by stage throttling; for more, put a ' +
    'usage plan with API keys behind a backend, or associate a WAF web ACL (webAclArn) with a rate-based rule.';
  Validations.of(postMethod).acknowledge(
    { id: 'AwsSolutions-APIG4', reason: publicByDesign },
    { id: 'AwsSolutions-COG4', reason: `${publicByDesign} There are no users, so there is no Cognito user pool.` },
  );
  Validations.of(optionsMethod).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason:
      'This is the CORS preflight: browsers send it without credentials, so it cannot be authorized. The ' +
      'function answers it (204 with the CORS and security headers) without calling the model.',
  });
  Validations.of(api).acknowledge({
    id: 'AwsSolutions-APIG2',
    reason:
      'The body is the raw review text sent as text/plain (the original page contract); API Gateway request ' +
      'validators only check JSON-schema models and parameters, so the Lambda validates the body itself ' +
      '(size, batch size, type) and answers 400 with CORS headers and a message a person can act on.',
  });
  if (!enabled.webAcl) {
    Validations.of(api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No WAF by default: a web ACL costs a monthly fee per ACL and rule, more than this demo API, and stage ' +
        'throttling already caps the request rate. Pass webAclArn (a regional WAFv2 ACL with a rate-based rule) ' +
        'to associate one.',
    });
  }
  if (!enabled.executionLogging) {
    Validations.of(api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG6',
      reason:
        'Execution logging needs the account-wide API Gateway CloudWatch role (AWS::ApiGateway::Account, a ' +
        'per-region singleton this stack must not own). Each request is still logged: JSON access logs on the ' +
        'stage plus the function structured logs. Set executionLoggingLevel to ERROR once the account role exists.',
    });
  }
}

/**
 * The artifact `npm run build` writes (shipped in the npm package): refused with the fix in the message
 * when it is not there, rather than CDK's bare "Cannot find asset" at synth.
 */
function builtArtifact(): lambda.Code {
  const directory = lambdaArtifactPath(LAMBDA_ARTIFACT.directory);
  if (!existsSync(path.join(directory, LAMBDA_ARTIFACT.entryFile))) {
    throw new Error(
      `SentimentApi: the Lambda artifact is missing (${path.join(directory, LAMBDA_ARTIFACT.entryFile)}): ` +
        'run `npm run build` first, or pass the function code as the `code` property.',
    );
  }
  return lambda.Code.fromAsset(directory);
}

/** The lowercase endpoint ARN: SageMaker reports (and IAM matches) endpoint ARNs with the name lowercased. */
function endpointArn(stack: Stack, endpointName: string): string {
  return stack.formatArn({
    service: 'sagemaker',
    resource: 'endpoint',
    resourceName: Token.isUnresolved(endpointName) ? endpointName : endpointName.toLowerCase(),
  });
}

/** The `Access-Control-Allow-Origin` (and `Vary`) headers of API Gateway's own error responses. */
function gatewayResponseOrigin(origins: readonly string[]): Record<string, string> {
  if (origins.length === 1) {
    return { 'Access-Control-Allow-Origin': `'${origins[0]}'` };
  }
  // A gateway response has one static value per header: with several allowed origins, echo the caller's.
  // These bodies are API Gateway's generic messages ("Too Many Requests"), nothing worth keeping from a site.
  return { 'Access-Control-Allow-Origin': 'method.request.header.Origin', Vary: "'Origin'" };
}

function validateEndpointName(name: string): string {
  if (typeof name !== 'string' || name === '') {
    throw new Error('SentimentApi: endpointName is required (the name of the SageMaker endpoint to invoke).');
  }
  if (!Token.isUnresolved(name) && !isSageMakerEndpointName(name)) {
    throw new Error(
      `SentimentApi: endpointName '${name}' is not a SageMaker endpoint name: 1-63 letters, digits and hyphens, ` +
        'starting and ending with a letter or digit (^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$).',
    );
  }
  return name;
}

function parseVocabularySource(source: string): VocabularySource {
  if (source.startsWith('s3://')) {
    const match = S3_SOURCE_PATTERN.exec(source);
    if (match?.[1] === undefined || match[2] === undefined || match[1].includes('..')) {
      throw new Error(
        `SentimentApi: vocabularySource '${source}' is not a valid s3://bucket/key: the bucket must follow S3 naming ` +
          '(3-63 lowercase letters, digits, dots, hyphens) and the key must be non-empty, without * or ?.',
      );
    }
    return { kind: 's3', bucket: match[1], key: match[2] };
  }
  if (!RELATIVE_FILE_PATTERN.test(source)) {
    throw new Error(
      `SentimentApi: vocabularySource '${source}' must be a path relative to the function root (such as ` +
        `'${LAMBDA_ARTIFACT.vocabularyFile}', no leading '/', no '..') or an s3://bucket/key URL.`,
    );
  }
  return { kind: 'file', path: source };
}

function validateOrigins(origins: readonly string[]): readonly string[] {
  const problem = originListProblem(origins);
  if (problem !== undefined) throw new Error(`SentimentApi: allowedOrigins ${problem}.`);
  if (origins[0] === '*') return origins;
  for (const origin of origins) {
    if (!ORIGIN.test(origin)) {
      throw new Error(
        `SentimentApi: allowedOrigins entry '${origin}' is not an origin: expected http(s)://host[:port], ` +
          "without path or trailing slash (e.g. 'https://reviews.example'), or '*'.",
      );
    }
  }
  return origins;
}

function validateIntegerRange(prop: string, value: number, min: number, max: number): number {
  if (Token.isUnresolved(value)) return value;
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}..${max}`;
    throw new Error(`SentimentApi: ${prop} must be an integer ${range}, got ${value}.`);
  }
  return value;
}

function validateTimeout(timeout: Duration): number | undefined {
  if (timeout.isUnresolved()) return undefined;
  const millis = timeout.toMilliseconds();
  if (millis % 1000 !== 0 || millis < 1000 || millis > 900_000) {
    throw new Error(
      `SentimentApi: timeout must be a whole number of seconds in 1..900, got ${timeout.toHumanString()}.`,
    );
  }
  return millis / 1000;
}

function validateOneOf(prop: string, value: string, allowed: readonly string[]): string {
  if (!allowed.includes(value)) {
    throw new Error(`SentimentApi: ${prop} must be one of ${allowed.join(', ')}, got '${value}'.`);
  }
  return value;
}
