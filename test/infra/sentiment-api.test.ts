import { existsSync, readFileSync } from 'node:fs';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LAMBDA_ARTIFACT, lambdaArtifactPath, PACKAGE_ROOT } from '../../infra/artifact.ts';
import { ACCESS_LOG_FIELDS } from '../../infra/rest-api.ts';
import type { SentimentApiProps } from '../../infra/sentiment-api.ts';
import { acknowledgmentsIn, buildApiStack, onlyResource, roleStatements } from './helpers.ts';

// Whether the build output exists is this file's to decide: other suites build dist/ concurrently.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return { ...fs, existsSync: vi.fn(fs.existsSync), readFileSync: vi.fn(fs.readFileSync) };
});

type Json = Record<string, unknown>;

/** `arn:${Partition}:sagemaker:${Region}:${Account}:endpoint/<name>`, as CloudFormation renders it. */
function endpointArnJson(lowercaseName: string): Json {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':sagemaker:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:endpoint/${lowercaseName}`,
      ],
    ],
  };
}

function logicalIdOf(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

describe('SentimentApi role', () => {
  it('may only invoke the one endpoint (by its lowercase ARN) and write its own log group', () => {
    // Prepare
    const { stack } = buildApiStack({ endpointName: 'Sentiment-XGBoost-2024' });

    // Act
    const template = Template.fromStack(stack);

    // Assess
    const functionLogGroup = (
      ((onlyResource(template, 'AWS::Lambda::Function').Properties as Json).LoggingConfig as Json).LogGroup as Json
    ).Ref as string;
    expect(roleStatements(template)).toEqual([
      {
        Sid: 'InvokeTheSentimentEndpoint',
        Effect: 'Allow',
        Action: 'sagemaker:InvokeEndpoint',
        Resource: endpointArnJson('sentiment-xgboost-2024'),
      },
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [functionLogGroup, 'Arn'] },
      },
    ]);
  });

  it('adds s3:GetObject on exactly the vocabulary object when the vocabulary lives in S3', () => {
    // Prepare
    const { stack } = buildApiStack({ vocabularySource: 's3://models.example-bucket/imdb/vocabulary-v2.json' });

    // Act
    const statements = roleStatements(Template.fromStack(stack));

    // Assess
    expect(statements.map((statement) => statement.Action)).toEqual([
      'sagemaker:InvokeEndpoint',
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      's3:GetObject',
    ]);
    expect(statements[2]).toEqual({
      Sid: 'ReadTheVocabulary',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::models.example-bucket/imdb/vocabulary-v2.json']],
      },
    });
  });

  it('has no managed policy, no other policy resource, and is assumable by Lambda only', () => {
    // Prepare
    const { stack } = buildApiStack();

    // Act
    const template = Template.fromStack(stack);

    // Assess
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.absent(),
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
      },
    });
  });
});

describe('SentimentApi function', () => {
  it('runs the artifact handler on Node.js 24, arm64, with the documented defaults', () => {
    // Prepare
    const { stack } = buildApiStack();

    // Act
    const template = Template.fromStack(stack);

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: LAMBDA_ARTIFACT.handler,
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 10,
    });
  });

  it('passes its configuration in the environment the handler reads', () => {
    // Prepare
    const { stack } = buildApiStack({
      endpointName: 'Sentiment-XGBoost',
      vocabularySource: 's3://vocab-bucket/vocabulary.json',
      allowedOrigins: ['https://a.example', 'https://b.example:8443'],
      payloadFormat: 'libsvm',
      maxReviewChars: 20000,
      maxBatchSize: 16,
      serviceName: 'reviews',
      logLevel: 'DEBUG',
      enableSourceMaps: true,
    });

    // Act
    const template = Template.fromStack(stack);

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          SAGEMAKER_ENDPOINT_NAME: 'Sentiment-XGBoost',
          VOCABULARY_SOURCE: 's3://vocab-bucket/vocabulary.json',
          CORS_ORIGINS: 'https://a.example,https://b.example:8443',
          PAYLOAD_FORMAT: 'libsvm',
          MAX_REVIEW_CHARS: '20000',
          MAX_BATCH_SIZE: '16',
          POWERTOOLS_SERVICE_NAME: 'reviews',
          POWERTOOLS_LOG_LEVEL: 'DEBUG',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });

  it('defaults to the bundled vocabulary, any origin, csv, and leaves the handler limits to the handler', () => {
    // Prepare
    const { stack } = buildApiStack();

    // Act
    const template = Template.fromStack(stack);

    // Assess
    const variables = (
      (onlyResource(template, 'AWS::Lambda::Function').Properties as Json).Environment as { Variables: Json }
    ).Variables;
    expect(variables).toEqual({
      SAGEMAKER_ENDPOINT_NAME: 'sentiment-xgboost',
      VOCABULARY_SOURCE: LAMBDA_ARTIFACT.vocabularyFile,
      CORS_ORIGINS: '*',
      PAYLOAD_FORMAT: 'csv',
      POWERTOOLS_SERVICE_NAME: 'sentiment-lambda',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_NAMESPACE: 'SentimentLambda',
    });
    // No NODE_OPTIONS: source maps are opt-in (enableSourceMaps), they cost every cold start.
    expect(variables).not.toHaveProperty('NODE_OPTIONS');
  });

  it('applies memory and timeout props', () => {
    // Prepare
    const { stack } = buildApiStack({ memorySize: 1024, timeout: Duration.seconds(25) });

    // Act
    const template = Template.fromStack(stack);

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1024, Timeout: 25 });
  });

  it('writes to its own log group, kept one month and retained by default', () => {
    // Prepare
    const { stack } = buildApiStack();

    // Act
    const template = Template.fromStack(stack);

    // Assess
    const functionLogGroup = (
      ((onlyResource(template, 'AWS::Lambda::Function').Properties as Json).LoggingConfig as Json).LogGroup as Json
    ).Ref as string;
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    expect(Object.keys(logGroups)).toHaveLength(2);
    expect(logGroups[functionLogGroup]).toMatchObject({
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Retain',
    });
  });

  it('applies the log retention and removal policy props to both log groups', () => {
    // Prepare
    const { stack } = buildApiStack({
      logRetention: logs.RetentionDays.ONE_WEEK,
      logRemovalPolicy: RemovalPolicy.DESTROY,
    });

    // Act
    const logGroups = Object.values(Template.fromStack(stack).findResources('AWS::Logs::LogGroup'));

    // Assess
    expect(logGroups).toHaveLength(2);
    for (const logGroup of logGroups) {
      expect(logGroup).toMatchObject({ Properties: { RetentionInDays: 7 }, DeletionPolicy: 'Delete' });
    }
  });

  it('deploys the build output directory when no code is given', () => {
    // Prepare
    vi.mocked(existsSync).mockReturnValueOnce(true);
    const realReadFileSync = vi.mocked(readFileSync).getMockImplementation() as typeof readFileSync;
    vi.mocked(readFileSync).mockImplementation(((file: string, ...rest: never[]) => {
      if (String(file).endsWith(LAMBDA_ARTIFACT.manifestFile)) {
        throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
      }
      return realReadFileSync(file, ...rest);
    }) as typeof readFileSync);
    const fromAsset = vi
      .spyOn(lambda.Code, 'fromAsset')
      .mockImplementation(() => lambda.Code.fromInline('exports.handler = async () => 1;') as never);

    // Act
    const { api } = buildApiStack({ code: undefined });

    // Assess
    expect(fromAsset).toHaveBeenCalledExactlyOnceWith(lambdaArtifactPath(LAMBDA_ARTIFACT.directory));
    expect(lambdaArtifactPath(LAMBDA_ARTIFACT.directory)).toBe(`${PACKAGE_ROOT}/dist/lambda`);
    expect(api.function.runtime).toBe(lambda.Runtime.NODEJS_24_X);
    expect(existsSync).toHaveBeenCalledWith(`${PACKAGE_ROOT}/dist/lambda/${LAMBDA_ARTIFACT.entryFile}`);
  });

  it('says to run the build when no code is given and there is no build output (a fresh clone)', () => {
    // Prepare
    vi.mocked(existsSync).mockReturnValueOnce(false);

    // Act
    const synth = () => buildApiStack({ code: undefined });

    // Assess
    expect(synth).toThrow(/the Lambda artifact is missing \(.*dist\/lambda\/index\.mjs\): run `npm run build` first/);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    // Back to the real implementation each vi.fn was created with (restoreAllMocks leaves vi.fn as it is).
    vi.mocked(readFileSync).mockReset();
    vi.mocked(existsSync).mockReset();
  });
});

describe('SentimentApi REST API', () => {
  it('proxies POST / to the function on a regional API with stage prod', () => {
    // Prepare
    const { stack } = buildApiStack();

    // Act
    const template = Template.fromStack(stack);

    // Assess
    const functionId = logicalIdOf(template, 'AWS::Lambda::Function');
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      ResourceId: { 'Fn::GetAtt': [Match.anyValue(), 'RootResourceId'] },
      Integration: {
        Type: 'AWS_PROXY',
        IntegrationHttpMethod: 'POST',
        Uri: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [functionId, 'Arn'] }])] },
      },
    });
    template.resourceCountIs('AWS::ApiGateway::Method', 2);
    template.resourceCountIs('AWS::ApiGateway::Resource', 0);
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod' });
  });

  it('proxies the CORS preflight to the function, which defines the answer once for every deployment', () => {
    // Prepare
    const { stack } = buildApiStack({ allowedOrigins: ['https://a.example', 'https://b.example'] });

    // Act
    const template = Template.fromStack(stack);

    // Assess
    const functionId = logicalIdOf(template, 'AWS::Lambda::Function');
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      AuthorizationType: 'NONE',
      Integration: {
        Type: 'AWS_PROXY',
        Uri: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [functionId, 'Arn'] }])] },
      },
    });
    expect(
      Object.keys(template.findResources('AWS::ApiGateway::Method', { Properties: { Integration: { Type: 'MOCK' } } })),
    ).toEqual([]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { CORS_ORIGINS: 'https://a.example,https://b.example' } },
    });
  });

  it('puts the CORS header on the errors API Gateway answers itself (429, 504, ...)', () => {
    // Prepare
    const single = Template.fromStack(buildApiStack({ allowedOrigins: ['https://reviews.example'] }).stack);
    const several = Template.fromStack(
      buildApiStack({ allowedOrigins: ['https://a.example', 'https://b.example'] }).stack,
    );

    // Act
    const singleResponses = Object.values(single.findResources('AWS::ApiGateway::GatewayResponse'));
    const severalResponses = Object.values(several.findResources('AWS::ApiGateway::GatewayResponse'));

    // Assess
    expect(singleResponses.map((r) => (r as { Properties: Json }).Properties.ResponseType).sort()).toEqual([
      'DEFAULT_4XX',
      'DEFAULT_5XX',
    ]);
    for (const response of singleResponses) {
      expect(response).toMatchObject({
        Properties: {
          ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://reviews.example'" },
        },
      });
    }
    for (const response of severalResponses) {
      expect(response).toMatchObject({
        Properties: {
          ResponseParameters: {
            'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
            'gatewayresponse.header.Vary': "'Origin'",
          },
        },
      });
    }
  });

  it('throttles the stage with the default limits and accepts others', () => {
    // Prepare
    const defaults = Template.fromStack(buildApiStack().stack);
    const custom = Template.fromStack(buildApiStack({ throttlingRateLimit: 2.5, throttlingBurstLimit: 5 }).stack);

    // Act
    const expectThrottling = (template: Template, rate: number, burst: number) =>
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        MethodSettings: [
          Match.objectLike({
            HttpMethod: '*',
            ResourcePath: '/*',
            ThrottlingRateLimit: rate,
            ThrottlingBurstLimit: burst,
          }),
        ],
      });

    // Assess
    expectThrottling(defaults, 10, 20);
    expectThrottling(custom, 2.5, 5);
  });

  it('writes one JSON access-log line per request to its own log group, without request bodies', () => {
    // Prepare
    const { stack } = buildApiStack();

    // Act
    const template = Template.fromStack(stack);

    // Assess
    const stage = onlyResource(template, 'AWS::ApiGateway::Stage').Properties as Json;
    const accessLog = stage.AccessLogSetting as { DestinationArn: { 'Fn::GetAtt': [string, string] }; Format: string };
    const [logGroupId] = accessLog.DestinationArn['Fn::GetAtt'];
    expect(template.findResources('AWS::Logs::LogGroup')[logGroupId]).toMatchObject({
      Properties: { RetentionInDays: 30 },
    });
    const format = JSON.parse(accessLog.Format) as Json;
    expect(format).toEqual(ACCESS_LOG_FIELDS);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      status: '$context.status',
      integrationErrorMessage: '$context.integrationErrorMessage',
    });
    expect(stage.MethodSettings).toEqual([
      expect.objectContaining({ DataTraceEnabled: false, LoggingLevel: 'OFF', MetricsEnabled: false }),
    ]);
    expect(stage.TracingEnabled).toBe(false);
  });

  it('turns on execution logging only when asked, and never creates the account-wide CloudWatch role', () => {
    // Prepare
    const { stack } = buildApiStack({ executionLoggingLevel: 'ERROR' });

    // Act
    const template = Template.fromStack(stack);

    // Assess
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ LoggingLevel: 'ERROR', DataTraceEnabled: false })],
    });
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    template.resourceCountIs('AWS::IAM::Role', 1);
  });

  it('associates a WAF web ACL with the stage when one is given', () => {
    // Prepare
    const webAclArn = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/sentiment/0123abcd';

    // Act
    const template = Template.fromStack(buildApiStack({ webAclArn }).stack);

    // Assess
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: webAclArn });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  it('outputs the invoke URL of the prod stage, once', () => {
    // Prepare
    const { stack, api } = buildApiStack();

    // Act
    const outputs = Object.values(Template.fromStack(stack).findOutputs('*'));

    // Assess
    expect(outputs).toHaveLength(1);
    expect(JSON.stringify(outputs[0])).toContain('.execute-api.');
    expect(stack.resolve(api.url)).toEqual(stack.resolve(api.api.url));
    expect(JSON.stringify(stack.resolve(api.url))).toContain('DeploymentStageprod');
  });
});

describe('SentimentApi props validation', () => {
  it.each<[string, Partial<SentimentApiProps>, RegExp]>([
    ['an endpoint name with an underscore', { endpointName: 'my_endpoint' }, /endpointName 'my_endpoint'/],
    ['an endpoint name of 64 characters', { endpointName: 'a'.repeat(64) }, /endpointName/],
    ['an endpoint name ending in a hyphen', { endpointName: 'sentiment-' }, /endpointName/],
    ['an empty endpoint name', { endpointName: '' }, /endpointName is empty/],
    ['an absolute vocabulary path', { vocabularySource: '/etc/vocabulary.json' }, /vocabularySource/],
    ['a vocabulary path leaving the root', { vocabularySource: '../vocabulary.json' }, /vocabularySource/],
    ['an https vocabulary URL', { vocabularySource: 'https://example.com/v.json' }, /vocabularySource/],
    ['an S3 source without a key', { vocabularySource: 's3://bucket/' }, /vocabularySource 's3:\/\/bucket\/'/],
    ['an S3 key with a wildcard', { vocabularySource: 's3://bucket/vocab/*' }, /without \* or \?/],
    ['an S3 bucket with capitals', { vocabularySource: 's3://My-Bucket/v.json' }, /vocabularySource/],
    ['an origin with a path', { allowedOrigins: ['https://a.example/page'] }, /allowedOrigins entry/],
    ['an origin with a trailing slash', { allowedOrigins: ['https://a.example/'] }, /allowedOrigins entry/],
    ['an origin without scheme', { allowedOrigins: ['a.example'] }, /allowedOrigins entry 'a.example'/],
    ['* mixed with origins', { allowedOrigins: ['*', 'https://a.example'] }, /allowedOrigins mixes/],
    ['no origins', { allowedOrigins: [] }, /allowedOrigins must not be empty/],
    ['127 MB', { memorySize: 127 }, /memorySize must be an integer 128\.\.10240, got 127/],
    ['10241 MB', { memorySize: 10241 }, /memorySize/],
    ['a fractional memory size', { memorySize: 256.5 }, /memorySize/],
    ['a zero timeout', { timeout: Duration.seconds(0) }, /timeout must be a whole number of seconds in 1\.\.900/],
    ['a 901 s timeout', { timeout: Duration.seconds(901) }, /timeout/],
    ['a sub-second timeout', { timeout: Duration.millis(1500) }, /timeout/],
    ['an unknown payload format', { payloadFormat: 'json' as never }, /payloadFormat must be one of csv, libsvm/],
    ['an unknown log level', { logLevel: 'TRACE' as never }, /logLevel/],
    ['an unknown execution logging level', { executionLoggingLevel: 'ALL' as never }, /executionLoggingLevel/],
    ['a zero rate limit', { throttlingRateLimit: 0 }, /throttlingRateLimit/],
    ['a fractional burst limit', { throttlingBurstLimit: 1.5 }, /throttlingBurstLimit must be an integer >= 1/],
    ['a zero review limit', { maxReviewChars: 0 }, /maxReviewChars/],
    ['a fractional batch size', { maxBatchSize: 2.5 }, /maxBatchSize/],
    ['a blank service name', { serviceName: ' ' }, /serviceName/],
    ['a global WAF ACL', { webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/1' }, /webAclArn/],
  ])('rejects %s with an error naming the prop', (_case, props, message) => {
    // Prepare
    const build = () => buildApiStack(props);

    // Act & Assess
    expect(build).toThrow(message);
  });

  it.each<[string, Partial<SentimentApiProps>]>([
    ['a 63-character endpoint name', { endpointName: `a${'-b'.repeat(31)}` }],
    ['a nested relative vocabulary path', { vocabularySource: 'data/vocabulary.v2.json' }],
    ['an http origin with a port', { allowedOrigins: ['http://localhost:5173'] }],
    ['the limits of memory and timeout', { memorySize: 10240, timeout: Duration.minutes(15) }],
  ])('accepts %s', (_case, props) => {
    // Prepare
    const build = () => buildApiStack(props);

    // Act & Assess
    expect(build).not.toThrow();
  });

  it('warns, without failing, when the timeout exceeds the API Gateway integration timeout', () => {
    // Prepare
    const { stack } = buildApiStack({ timeout: Duration.seconds(60) });

    // Act
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('504 after 29 s'));

    // Assess
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.id).toBe('/TestStack/Sentiment');
  });
});

describe('SentimentApi and cdk-nag AwsSolutions', () => {
  const expectedReasons = (ids: string[]) => ids.map((id) => `AwsSolutions-${id}`).sort();

  it.each<[string, Partial<SentimentApiProps>, string[]]>([
    ['defaults', {}, ['APIG2', 'APIG3', 'APIG4', 'APIG4', 'APIG6', 'COG4']],
    [
      'a WAF web ACL and execution logging',
      {
        webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/sentiment/0123abcd',
        executionLoggingLevel: 'ERROR',
        vocabularySource: 's3://vocab-bucket/vocabulary.json',
      },
      ['APIG2', 'APIG4', 'APIG4', 'COG4'],
    ],
    [
      'X-Ray tracing and reserved concurrency',
      { tracing: true, reservedConcurrency: 5 },
      ['APIG2', 'APIG3', 'APIG4', 'APIG4', 'APIG6', 'COG4', 'IAM5[Resource::*]'],
    ],
  ])('has no finding with %s, and acknowledges only the rules it must, with reasons', (_case, props, acknowledged) => {
    // Prepare
    const { app, stack } = buildApiStack(props);

    // Act
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    const acknowledgments = acknowledgmentsIn(stack);

    // Assess
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
    expect(acknowledgments.map((a) => a.id).sort()).toEqual(expectedReasons(acknowledged));
    for (const { id, reason } of acknowledgments) {
      expect(reason.length, `${id} needs a reason that says why`).toBeGreaterThan(80);
    }
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('explains the public, unauthenticated API and what to add for more protection', () => {
    // Prepare
    const { stack } = buildApiStack();

    // Act
    const reasons = (method: string) =>
      Object.fromEntries(
        acknowledgmentsIn(stack)
          .filter((a) => a.path.endsWith(`/${method}`))
          .map((a) => [a.id, a.reason]),
      );

    // Assess
    expect(reasons('POST')['AwsSolutions-APIG4']).toMatch(/public and unauthenticated by design/);
    expect(reasons('POST')['AwsSolutions-APIG4']).toMatch(/usage plan/);
    expect(reasons('POST')['AwsSolutions-APIG4']).toMatch(/WAF/);
    expect(reasons('POST')['AwsSolutions-COG4']).toMatch(/Cognito/);
    expect(reasons('OPTIONS')['AwsSolutions-APIG4']).toMatch(/preflight: browsers send it without credentials/);
  });
});
