/**
 * The `SentimentMonitoring` construct: CloudWatch alarms and a dashboard over the metrics the handler
 * writes (middlewares/request-metrics.ts, as EMF) and over the Lambda function's and API Gateway's own,
 * fitted to what the function scores with: a SageMaker endpoint's failures and latency, or the model's in
 * the function. `SentimentApi` creates one; it can also watch a function deployed another way.
 *
 * @module
 */
import { Annotations, Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { type REQUEST_METRICS, STATUS_CLASS_DIMENSION } from '../middlewares/request-metrics.ts';
import { SENTIMENT_ALARM_DEFAULTS, type SentimentAlarmThresholds } from './alarm-thresholds.ts';
import type { ScoringKind } from './scoring.ts';
import { PropsValidator } from './validators.ts';

/** Properties of {@link SentimentMonitoring}. */
export interface SentimentMonitoringProps {
  /** The function whose metrics are watched. */
  readonly function: lambda.IFunction;
  /** The REST API in front of it, for API Gateway's own metrics on the dashboard. */
  readonly api?: apigateway.RestApi;
  /**
   * What the function scores with: `'endpoint'` (a SageMaker endpoint: its latency, payload, errors and throttles
   * are watched) or `'in-process'` (the model in the function: its latency; there is no endpoint to fail).
   *
   * @default 'endpoint'
   */
  readonly scoring?: ScoringKind;
  /** The CloudWatch namespace the handler writes to (`POWERTOOLS_METRICS_NAMESPACE`). */
  readonly namespace: string;
  /** The `service` dimension the handler writes (`POWERTOOLS_SERVICE_NAME`). */
  readonly serviceName: string;
  /** Alarm thresholds; each one missing takes its default ({@link SENTIMENT_ALARM_DEFAULTS}). */
  readonly thresholds?: SentimentAlarmThresholds;
  /**
   * Where alarms notify, when they go off and when they recover.
   *
   * @default - no notification: the alarms show in the console and on the dashboard
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Create the dashboard (a CloudWatch dashboard costs a monthly fee beyond the free ones).
   *
   * @default true
   */
  readonly dashboard?: boolean;
}

type Threshold = keyof SentimentAlarmThresholds;

/** The thresholds that are percentages; the others are counts or milliseconds, >= 0. */
const PERCENT_THRESHOLDS: readonly Threshold[] = ['serverErrorPercent', 'vocabularyCoveragePercent'];

/** The thresholds of alarms on a SageMaker endpoint's failures, which a function scoring in process has not. */
const ENDPOINT_THRESHOLDS: readonly Threshold[] = ['modelErrors', 'endpointThrottles'];

/** The thresholds given over their defaults, each checked (a Token passes: CloudFormation checks it). */
function resolveThresholds(given: SentimentAlarmThresholds = {}): Required<SentimentAlarmThresholds> {
  const check = new PropsValidator('SentimentMonitoring');
  check.knownKeys('thresholds', given, Object.keys(SENTIMENT_ALARM_DEFAULTS));
  const thresholds = { ...SENTIMENT_ALARM_DEFAULTS };
  for (const [name, value] of Object.entries(given) as [Threshold, number | undefined][]) {
    if (value === undefined) continue;
    const bounds = PERCENT_THRESHOLDS.includes(name) ? { min: 0, max: 100 } : { min: 0 };
    thresholds[name] = check.number(`thresholds.${name}`, value, bounds);
  }
  return thresholds;
}

const PERIOD = Duration.minutes(5);

/** The handler's metrics that measure how long the scoring took, by shape. */
const SCORING_LATENCY = { endpoint: 'EndpointLatency', 'in-process': 'ModelLatency' } as const satisfies Record<
  ScoringKind,
  keyof typeof REQUEST_METRICS
>;

/**
 * Alarms on the 5xx rate, the p99 latency, low vocabulary coverage and the function's own errors and throttles,
 * plus, behind an endpoint, SageMaker model errors and throttling; and a dashboard of those metrics beside API
 * Gateway's and the function's.
 */
export class SentimentMonitoring extends Construct {
  /**
   * The alarms, by name: `ServerErrors`, `Latency`, `VocabularyCoverage`, `LambdaErrors`, `LambdaThrottles`, and,
   * behind an endpoint, `ModelErrors` and `EndpointThrottles`.
   */
  public readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** The dashboard, unless `dashboard` is false. */
  public readonly dashboard: cloudwatch.Dashboard | undefined;

  /**
   * @param scope - The parent construct.
   * @param id - The construct id.
   * @param props - What to watch, and the thresholds; validated here.
   * @throws Error when a threshold is unknown, or not a number in its range.
   */
  public constructor(scope: Construct, id: string, props: SentimentMonitoringProps) {
    super(scope, id);
    const thresholds = resolveThresholds(props.thresholds);
    const scoring = props.scoring ?? 'endpoint';
    const behindEndpoint = scoring === 'endpoint';
    const unused = behindEndpoint ? [] : ENDPOINT_THRESHOLDS.filter((name) => props.thresholds?.[name] !== undefined);
    if (unused.length > 0) {
      Annotations.of(this).addWarningV2(
        'sentiment-lambda:thresholdWithoutAlarm',
        `${unused.join(' and ')} set a threshold of an alarm on a SageMaker endpoint, but the function scores in ` +
          'process: there is no such alarm.',
      );
    }
    const metric = (name: keyof typeof REQUEST_METRICS, statistic: string, statusClass?: string) =>
      new cloudwatch.Metric({
        namespace: props.namespace,
        metricName: name,
        dimensionsMap: {
          service: props.serviceName,
          ...(statusClass === undefined ? {} : { [STATUS_CLASS_DIMENSION]: statusClass }),
        },
        statistic,
        period: PERIOD,
      });

    const requestsByClass = Object.fromEntries(
      ['2xx', '4xx', '5xx'].map((statusClass) => [statusClass, metric('Requests', 'Sum', statusClass)]),
    );
    const serverErrorRate = new cloudwatch.MathExpression({
      expression: '100 * FILL(errors, 0) / requests',
      usingMetrics: { errors: requestsByClass['5xx'] as cloudwatch.Metric, requests: metric('Requests', 'Sum') },
      label: '5xx answers (%)',
      period: PERIOD,
    });
    const fn = props.function;
    const alarm = (
      name: string,
      target: cloudwatch.IMetric,
      threshold: number,
      description: string,
      below = false,
    ): cloudwatch.Alarm =>
      new cloudwatch.Alarm(this, name, {
        metric: target,
        threshold,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: below
          ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD
          : cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
    const scoringLatency = SCORING_LATENCY[scoring];
    const alarms: Record<string, cloudwatch.Alarm> = {
      ServerErrors: alarm(
        'ServerErrors',
        serverErrorRate,
        thresholds.serverErrorPercent,
        `At least ${thresholds.serverErrorPercent}% of answers were 5xx: ` +
          (behindEndpoint
            ? "the model endpoint failing, busy or slow (see the Endpoint* metrics and the function's log)."
            : "the model failing to load or to score in time (see the function's log)."),
      ),
      Latency: alarm(
        'Latency',
        metric('HandlerLatency', 'p99', '2xx'),
        thresholds.latencyP99Ms,
        `The p99 of successful answers took at least ${thresholds.latencyP99Ms} ms (HandlerLatency; ${scoringLatency} is the model's part).`,
      ),
    };
    if (behindEndpoint) {
      alarms.ModelErrors = alarm(
        'ModelErrors',
        metric('ModelErrors', 'Sum'),
        thresholds.modelErrors,
        'The model container failed a call (ModelError): a model fault, or a vocabulary that does not match the model.',
      );
      alarms.EndpointThrottles = alarm(
        'EndpointThrottles',
        metric('EndpointThrottles', 'Sum'),
        thresholds.endpointThrottles,
        'SageMaker refused calls as busy (throttling, model not ready, unavailable): the endpoint needs more instances.',
      );
    }
    alarms.VocabularyCoverage = alarm(
      'VocabularyCoverage',
      metric('VocabularyCoverage', 'Average').with({ period: Duration.hours(1) }),
      thresholds.vocabularyCoveragePercent,
      `In 2 of 3 hours, the vocabulary knew less than ${thresholds.vocabularyCoveragePercent}% of the reviews' words: traffic has drifted from what the model was trained on.`,
      true,
    );
    alarms.LambdaErrors = alarm(
      'LambdaErrors',
      fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
      thresholds.lambdaErrors,
      'The function itself failed (a crash or a timeout): the handler never answered these.',
    );
    alarms.LambdaThrottles = alarm(
      'LambdaThrottles',
      fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
      thresholds.lambdaThrottles,
      'Lambda throttled invocations: the account or reserved concurrency is exhausted.',
    );
    this.alarms = alarms;
    if (props.alarmTopic !== undefined) {
      const topic = new actions.SnsAction(props.alarmTopic);
      for (const each of Object.values(this.alarms)) {
        each.addAlarmAction(topic);
        each.addOkAction(topic);
      }
    }

    this.dashboard = props.dashboard === false ? undefined : new cloudwatch.Dashboard(this, 'Dashboard');
    if (this.dashboard === undefined) return;
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8) =>
      new cloudwatch.GraphWidget({ title, left, width, height: 6 });
    const percentiles = (name: 'HandlerLatency' | typeof scoringLatency) =>
      ['p50', 'p99'].map((statistic) => metric(name, statistic).with({ label: `${name} ${statistic}` }));
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: Object.values(this.alarms), width: 24, height: 3 }),
    );
    this.dashboard.addWidgets(
      graph(
        'Answers by status class',
        Object.entries(requestsByClass).map(([statusClass, each]) => each.with({ label: statusClass })),
      ),
      graph('5xx answers (%)', [serverErrorRate]),
      graph('Latency (ms)', [...percentiles('HandlerLatency'), ...percentiles(scoringLatency)]),
    );
    this.dashboard.addWidgets(
      graph('Vocabulary coverage (%)', [
        metric('VocabularyCoverage', 'Average').with({ label: 'average' }),
        metric('VocabularyCoverage', 'Minimum').with({ label: 'minimum' }),
      ]),
      ...(behindEndpoint
        ? [
            graph('Endpoint errors', [
              metric('EndpointErrors', 'Sum'),
              metric('ModelErrors', 'Sum'),
              metric('EndpointThrottles', 'Sum'),
            ]),
            graph('Reviews and payload', [metric('Reviews', 'Sum'), metric('PayloadBytes', 'Average')]),
          ]
        : // In process there is no endpoint to fail and no payload sent: the model's failures are 5xx answers.
          [graph('Reviews', [metric('Reviews', 'Sum')])]),
    );
    const lambdaMetrics = [
      fn.metricInvocations({ period: PERIOD }),
      fn.metricErrors({ period: PERIOD }),
      fn.metricThrottles({ period: PERIOD }),
    ];
    this.dashboard.addWidgets(
      graph('Lambda: invocations, errors, throttles', lambdaMetrics),
      graph('Lambda: duration p99 (ms)', [fn.metricDuration({ period: PERIOD, statistic: 'p99' })]),
      graph('Cold starts', [
        new cloudwatch.Metric({
          namespace: props.namespace,
          metricName: 'ColdStart',
          dimensionsMap: { service: props.serviceName, function_name: fn.functionName },
          statistic: 'Sum',
          period: PERIOD,
        }),
      ]),
    );
    if (props.api !== undefined) {
      const api = props.api;
      this.dashboard.addWidgets(
        graph('API Gateway: requests, 4xx, 5xx', [
          api.metricCount({ period: PERIOD }),
          api.metricClientError({ period: PERIOD }),
          api.metricServerError({ period: PERIOD }),
        ]),
        graph('API Gateway: latency p99 (ms)', [
          api.metricLatency({ period: PERIOD, statistic: 'p99' }),
          api.metricIntegrationLatency({ period: PERIOD, statistic: 'p99' }),
        ]),
      );
    }
  }
}
