/**
 * The `SentimentApi` construct: the three resources a console set-up clicks together (IAM role, Lambda
 * function, API Gateway trigger) as one reviewed, least-privilege unit, scoring with a SageMaker endpoint or with the
 * XGBoost model in the function. Its parts live by concern: the props and their defaults
 * (sentiment-api-props.ts), their validation (sentiment-api-validation.ts), what the function scores with
 * (scoring.ts), its code (function-code.ts), role (function-role.ts) and environment (function-environment.ts),
 * the REST API (rest-api.ts) and the alarms (sentiment-monitoring.ts).
 *
 * @module
 */
import { Annotations, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_ARTIFACT } from './artifact.ts';
import { functionCode, locateArtifact } from './function-code.ts';
import { functionEnvironment } from './function-environment.ts';
import { createFunctionRole } from './function-role.ts';
import { createSentimentRestApi } from './rest-api.ts';
import { chooseScoring, type SentimentScoring } from './scoring.ts';
import { API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS, type SentimentApiProps } from './sentiment-api-props.ts';
import { resolveSentimentApiProps } from './sentiment-api-validation.ts';
import { SentimentMonitoring } from './sentiment-monitoring.ts';
import { PropsValidator } from './validators.ts';

export type { SentimentApiProps };

/**
 * An anonymous `POST /` API (stage `prod`) in front of a Node.js 24 Lambda that scores movie reviews with a
 * SageMaker XGBoost endpoint or with the XGBoost model in the function: the role, function and trigger of a
 * hand-made set-up, with a role that may only invoke that one endpoint (or read the one model object,
 * when it lives in S3), read the one vocabulary object (when it lives in S3) and write its own log group.
 *
 * @example
 * ```ts
 * // Behind a SageMaker endpoint:
 * new SentimentApi(this, 'Sentiment', { endpointName: 'sentiment-xgboost' });
 * // The model in the function, read from a training job's output at cold start:
 * new SentimentApi(this, 'Sentiment', {
 *   modelSource: 's3://models.example/sentiment/output/model.tar.gz',
 *   vocabularySource: 's3://models.example/sentiment/vocabulary.json',
 *   allowedOrigins: ['https://reviews.example'],
 * });
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
  /** What the function scores with: the endpoint, or the model in the function. */
  public readonly scoring: SentimentScoring;

  /**
   * @param scope - The parent construct.
   * @param id - The construct id.
   * @param props - The configuration; validated here, with errors that name the offending property.
   * @throws Error when a property is out of range or malformed, or the props choose no way to score, or several.
   */
  public constructor(scope: Construct, id: string, props: SentimentApiProps = {}) {
    super(scope, id);
    const check = new PropsValidator('SentimentApi');
    const config = resolveSentimentApiProps(check, props);
    const artifact = locateArtifact(check, config);
    const { scoring, warnings } = chooseScoring(check, config, artifact);
    this.scoring = scoring;
    for (const warning of warnings) Annotations.of(this).addWarningV2(warning.id, warning.message);
    if (config.timeoutSeconds !== undefined && config.timeoutSeconds > API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS) {
      Annotations.of(this).addWarningV2(
        'sentiment-lambda:timeoutExceedsIntegrationTimeout',
        `timeout is ${config.timeoutSeconds} s but API Gateway answers 504 after ${API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS} s; ` +
          'the function would keep running (and billing) for nobody unless the integration timeout quota was raised.',
      );
    }

    const logGroupProps = { retention: config.logRetention, removalPolicy: config.logRemovalPolicy };
    this.logGroup = new logs.LogGroup(this, 'FunctionLogs', logGroupProps);
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', logGroupProps);
    this.role = createFunctionRole(this, {
      scoring,
      vocabulary: config.vocabularySource.location,
      logGroup: this.logGroup,
    });

    this.function = new lambda.Function(this, 'Function', {
      description:
        scoring.kind === 'endpoint'
          ? 'Scores a movie review with the SageMaker XGBoost sentiment endpoint (1 positive, 0 negative).'
          : 'Scores a movie review with the XGBoost sentiment model in the function (1 positive, 0 negative).',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: LAMBDA_ARTIFACT.handler,
      code: functionCode(artifact, config.modelFile),
      memorySize: config.memorySize,
      timeout: config.timeout,
      environment: functionEnvironment(scoring, config),
      role: this.role,
      logGroup: this.logGroup,
      tracing: config.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      reservedConcurrentExecutions: config.reservedConcurrency,
    });

    this.api = createSentimentRestApi(this, {
      function: this.function,
      restApiName: `${Stack.of(this).stackName}-${id}`,
      accessLogGroup: this.accessLogGroup,
      allowedOrigins: config.allowedOrigins,
      throttlingRateLimit: config.throttlingRateLimit,
      throttlingBurstLimit: config.throttlingBurstLimit,
      executionLoggingLevel: config.executionLoggingLevel,
      webAclArn: config.webAclArn,
      tracing: config.tracing,
    });
    this.url = this.api.url;
    new CfnOutput(this, 'Url', {
      description: 'Invoke URL of the prod stage: POST a movie review here.',
      value: this.url,
    });

    this.monitoring = new SentimentMonitoring(this, 'Monitoring', {
      function: this.function,
      api: this.api,
      scoring: scoring.kind,
      namespace: config.metricsNamespace,
      serviceName: config.serviceName,
      thresholds: config.alarmThresholds,
      alarmTopic: config.alarmTopic,
      dashboard: config.dashboard,
    });

    if (config.tracing) {
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
