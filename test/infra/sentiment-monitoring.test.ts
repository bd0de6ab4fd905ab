import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENTIMENT_ALARM_DEFAULTS } from '../../infra/alarm-thresholds.ts';
import { SentimentApi, type SentimentApiProps } from '../../infra/sentiment-api.ts';
import { buildApiStack, buildModelStack, createArtifactDirectory } from './helpers.ts';

type Json = Record<string, unknown>;

/** The alarms of a template, by the construct id each one was created with. */
function alarmsOf(template: Template): Record<string, Json> {
  const alarms = template.findResources('AWS::CloudWatch::Alarm') as Record<string, { Properties: Json }>;
  return Object.fromEntries(
    Object.entries(alarms).map(([logicalId, alarm]) => [
      logicalId.replace(/^SentimentMonitoring/, '').replace(/[0-9A-F]{8}$/, ''),
      alarm.Properties,
    ]),
  );
}

/** The one metric an alarm watches (not a math expression). */
const watched = (alarm: Json | undefined) => ({
  namespace: alarm?.Namespace,
  name: alarm?.MetricName,
  dimensions: alarm?.Dimensions,
  statistic: alarm?.Statistic ?? alarm?.ExtendedStatistic,
});

describe('SentimentApi alarms', () => {
  it("alarms on the handler's metrics, in its namespace and service, at the documented defaults", () => {
    // Prepare
    const { stack } = buildApiStack({ serviceName: 'reviews-api', metricsNamespace: 'Reviews' });

    // Act
    const alarms = alarmsOf(Template.fromStack(stack));

    // Assess
    expect(Object.keys(alarms).sort()).toEqual([
      'EndpointThrottles',
      'LambdaErrors',
      'LambdaThrottles',
      'Latency',
      'ModelErrors',
      'ServerErrors',
      'VocabularyCoverage',
    ]);
    const service = [{ Name: 'service', Value: 'reviews-api' }];
    expect(watched(alarms.Latency)).toEqual({
      namespace: 'Reviews',
      name: 'HandlerLatency',
      dimensions: [{ Name: 'StatusClass', Value: '2xx' }, ...service],
      statistic: 'p99',
    });
    expect(alarms.Latency?.Threshold).toBe(SENTIMENT_ALARM_DEFAULTS.latencyP99Ms);
    expect(watched(alarms.ModelErrors)).toMatchObject({
      name: 'ModelErrors',
      dimensions: service,
      statistic: 'Sum',
    });
    expect(alarms.ModelErrors?.Threshold).toBe(1);
    expect(watched(alarms.EndpointThrottles)).toMatchObject({ name: 'EndpointThrottles' });
    expect(alarms.VocabularyCoverage).toMatchObject({
      MetricName: 'VocabularyCoverage',
      Statistic: 'Average',
      Period: 3600,
      Threshold: 50,
      ComparisonOperator: 'LessThanThreshold',
    });
    expect(watched(alarms.LambdaErrors)).toMatchObject({ namespace: 'AWS/Lambda', name: 'Errors' });
    expect(watched(alarms.LambdaThrottles)).toMatchObject({ namespace: 'AWS/Lambda', name: 'Throttles' });
    for (const alarm of Object.values(alarms)) {
      expect(alarm).toMatchObject({ TreatMissingData: 'notBreaching', EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    }
  });

  it('alarms on the 5xx rate: 5xx answers over all answers, in percent', () => {
    // Prepare
    const { stack } = buildApiStack();

    // Act
    const alarm = alarmsOf(Template.fromStack(stack)).ServerErrors;

    // Assess
    expect(alarm).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const queries = alarm?.Metrics as Array<{ Id: string; Expression?: string; MetricStat?: { Metric: Json } }>;
    expect(queries.find((query) => query.Expression)?.Expression).toBe('100 * FILL(errors, 0) / requests');
    expect(queries.find((query) => query.Id === 'errors')?.MetricStat?.Metric).toMatchObject({
      MetricName: 'Requests',
      Dimensions: [
        { Name: 'StatusClass', Value: '5xx' },
        { Name: 'service', Value: 'sentiment-lambda' },
      ],
    });
    expect(queries.find((query) => query.Id === 'requests')?.MetricStat?.Metric).toMatchObject({
      MetricName: 'Requests',
      Dimensions: [{ Name: 'service', Value: 'sentiment-lambda' }],
    });
  });

  it('takes each threshold given, and notifies an SNS topic when given one', () => {
    // Prepare
    const stack = new Stack(new App(), 'TestStack');
    new SentimentApi(stack, 'Sentiment', {
      endpointName: 'sentiment-xgboost',
      code: lambda.Code.fromInline('exports.handler = async () => 1;'),
      alarmThresholds: { latencyP99Ms: 250, vocabularyCoveragePercent: 70 },
      alarmTopic: new sns.Topic(stack, 'Alarms'),
    });

    // Act
    const alarms = alarmsOf(Template.fromStack(stack));

    // Assess
    expect(alarms.Latency?.Threshold).toBe(250);
    expect(alarms.VocabularyCoverage?.Threshold).toBe(70);
    expect(alarms.ModelErrors?.Threshold).toBe(SENTIMENT_ALARM_DEFAULTS.modelErrors);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.AlarmActions).toHaveLength(1);
      expect(alarm.OKActions).toHaveLength(1);
    }
  });

  it.each([
    [{ serverErrorPercent: 120 }, 'thresholds.serverErrorPercent must be a number in 0..100, got 120.'],
    [{ latencyP99Ms: -1 }, 'thresholds.latencyP99Ms must be a number >= 0, got -1.'],
    [
      { latencyP99: 500 },
      "SentimentMonitoring: thresholds has no 'latencyP99': the known keys are serverErrorPercent,",
    ],
  ])('refuses the thresholds %o, naming the wrong one', (alarmThresholds, message) => {
    // Act
    const synth = () => buildApiStack({ alarmThresholds: alarmThresholds as never });

    // Assess
    expect(synth).toThrow(message);
  });

  it('takes a threshold known only at deploy time (a CloudFormation parameter)', () => {
    // Prepare
    const stack = new Stack(new App(), 'TestStack');
    const threshold = new CfnParameter(stack, 'LatencyThreshold', { type: 'Number', default: 300 });

    // Act
    new SentimentApi(stack, 'Sentiment', {
      endpointName: 'sentiment-xgboost',
      code: lambda.Code.fromInline('exports.handler = async () => 1;'),
      alarmThresholds: { latencyP99Ms: threshold.valueAsNumber },
    });

    // Assess
    expect(alarmsOf(Template.fromStack(stack)).Latency?.Threshold).toEqual({ Ref: 'LatencyThreshold' });
  });
});

describe('SentimentApi alarms and dashboard scoring in the function', () => {
  let stub: ReturnType<typeof createArtifactDirectory>;
  beforeAll(() => {
    stub = createArtifactDirectory({ demoVocabulary: false, model: { demo: false } });
  });
  afterAll(() => {
    stub.cleanup();
  });
  const buildInProcess = (props: Partial<SentimentApiProps> = {}) =>
    buildModelStack({ artifactDirectory: stub.directory, ...props });

  it('has no endpoint alarms, and the latency alarm still covers the handler', () => {
    // Act
    const alarms = alarmsOf(Template.fromStack(buildInProcess().stack));

    // Assess
    expect(Object.keys(alarms).sort()).toEqual([
      'LambdaErrors',
      'LambdaThrottles',
      'Latency',
      'ServerErrors',
      'VocabularyCoverage',
    ]);
    expect(watched(alarms.Latency)).toMatchObject({ name: 'HandlerLatency', statistic: 'p99' });
    expect(alarms.Latency?.AlarmDescription).toMatch(/ModelLatency is the model's part/);
    expect(JSON.stringify(alarms)).not.toMatch(/[Ee]ndpoint/);
  });

  it('shows ModelLatency on the dashboard, and none of the endpoint metrics', () => {
    // Act
    const dashboards = Template.fromStack(buildInProcess().stack).findResources('AWS::CloudWatch::Dashboard');

    // Assess
    const [dashboard] = Object.values(dashboards) as [{ Properties: { DashboardBody: unknown } }];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const name of ['Requests', 'HandlerLatency', 'ModelLatency', 'VocabularyCoverage', 'Reviews', 'ColdStart']) {
      expect(body, name).toContain(`\\"SentimentLambda\\",\\"${name}\\"`);
    }
    for (const name of ['EndpointLatency', 'PayloadBytes', 'EndpointErrors', 'ModelErrors', 'EndpointThrottles']) {
      expect(body, name).not.toContain(`\\"${name}\\"`);
    }
  });

  it('warns that the endpoint thresholds given have no alarm to set', () => {
    // Act
    const { stack } = buildInProcess({ alarmThresholds: { modelErrors: 3, latencyP99Ms: 200 } });

    // Assess
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('modelErrors'));
    expect(warnings.map((warning) => warning.id)).toEqual(['/TestStack/Sentiment/Monitoring']);
    expect(alarmsOf(Template.fromStack(stack)).Latency?.Threshold).toBe(200);
  });
});

describe('SentimentApi dashboard', () => {
  it("shows the handler's metrics beside API Gateway's and the function's", () => {
    // Prepare
    const { stack } = buildApiStack();

    // Act
    const dashboards = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');

    // Assess
    const [dashboard] = Object.values(dashboards) as [{ Properties: { DashboardBody: unknown } }];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const name of [
      'Requests',
      'HandlerLatency',
      'EndpointLatency',
      'VocabularyCoverage',
      'ModelErrors',
      'ColdStart',
    ]) {
      expect(body, name).toContain(`\\"SentimentLambda\\",\\"${name}\\"`);
    }
    for (const name of ['Count', '4XXError', '5XXError', 'IntegrationLatency'])
      expect(body).toContain(`\\"AWS/ApiGateway\\",\\"${name}\\"`);
    for (const name of ['Invocations', 'Errors', 'Throttles', 'Duration'])
      expect(body).toContain(`\\"AWS/Lambda\\",\\"${name}\\"`);
    expect(body).toContain('alarm');
  });

  it('is left out with dashboard: false', () => {
    // Act
    const template = Template.fromStack(buildApiStack({ dashboard: false }).stack);

    // Assess
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 7);
  });
});

describe('SentimentApi tracing and concurrency', () => {
  it('is off by default; with tracing, the function and the stage trace and the role may write traces', () => {
    // Act
    const off = Template.fromStack(buildApiStack().stack);
    const on = Template.fromStack(buildApiStack({ tracing: true, reservedConcurrency: 20 }).stack);

    // Assess
    off.hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: Match.absent(),
      ReservedConcurrentExecutions: Match.absent(),
    });
    off.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: false });
    on.hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      ReservedConcurrentExecutions: 20,
    });
    on.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
    on.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' }],
      },
    });
  });

  it('refuses a reserved concurrency that is not a positive integer', () => {
    // Act
    const synth = () => buildApiStack({ reservedConcurrency: 0 });

    // Assess
    expect(synth).toThrow(/reservedConcurrency must be an integer >= 1, got 0/);
  });
});
