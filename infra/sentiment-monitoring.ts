/**
 * The `SentimentMonitoring` construct: CloudWatch alarms and a dashboard over the metrics the handler
 * writes (middlewares/request-metrics.ts, as EMF) and over the Lambda function's and API Gateway's own.
 * `SentimentApi` creates one; it can also watch a function deployed another way.
 *
 * @module
 */
import { Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { type REQUEST_METRICS, STATUS_CLASS_DIMENSION } from '../middlewares/request-metrics.ts';
import { type OptionSchema, resolveOptions } from '../src/options.ts';

/**
 * The thresholds of the alarms, each one over a 5-minute period unless it says otherwise. An alarm goes
 * off after 2 of 3 periods over its threshold; missing data (no traffic) is not a breach.
 */
export interface SentimentAlarmThresholds {
  /**
   * Answers with a 5xx status, as a percentage of all answers (`Requests` of status class `5xx` over all).
   *
   * @default 5
   */
  readonly serverErrorPercent?: number;
  /**
   * The handler's p99 latency for successful answers (`HandlerLatency`, status class `2xx`), in ms.
   *
   * @default 1000
   */
  readonly latencyP99Ms?: number;
  /**
   * Calls the model container failed (`ModelErrors`): a ModelError is a model or configuration fault, such as a
   * vocabulary that does not match the model, so one is enough.
   *
   * @default 1
   */
  readonly modelErrors?: number;
  /**
   * Calls refused as busy (`EndpointThrottles`: throttling, model not ready, service unavailable).
   *
   * @default 5
   */
  readonly endpointThrottles?: number;
  /**
   * Average share of the reviews' words the vocabulary knows (`VocabularyCoverage`), in percent, over an hour:
   * the alarm goes off below it. Falling coverage is traffic drifting from what the model was trained on.
   *
   * @default 50
   */
  readonly vocabularyCoveragePercent?: number;
  /**
   * The function's own errors (`AWS/Lambda` `Errors`: crashes and timeouts, which the handler never answers).
   *
   * @default 1
   */
  readonly lambdaErrors?: number;
  /**
   * The function's throttled invocations (`AWS/Lambda` `Throttles`).
   *
   * @default 1
   */
  readonly lambdaThrottles?: number;
}

/** The defaults of {@link SentimentAlarmThresholds}. */
export const SENTIMENT_ALARM_DEFAULTS: Required<SentimentAlarmThresholds> = {
  serverErrorPercent: 5,
  latencyP99Ms: 1000,
  modelErrors: 1,
  endpointThrottles: 5,
  vocabularyCoveragePercent: 50,
  lambdaErrors: 1,
  lambdaThrottles: 1,
};

/** Properties of {@link SentimentMonitoring}. */
export interface SentimentMonitoringProps {
  /** The function whose metrics are watched. */
  readonly function: lambda.IFunction;
  /** The REST API in front of it, for API Gateway's own metrics on the dashboard. */
  readonly api?: apigateway.RestApi;
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

const percent = { type: 'number', minimum: 0, maximum: 100 } as const;
const count = { type: 'number', minimum: 0 } as const;
const thresholdSchema: OptionSchema = {
  type: 'object',
  properties: {
    serverErrorPercent: percent,
    latencyP99Ms: count,
    modelErrors: count,
    endpointThrottles: count,
    vocabularyCoveragePercent: percent,
    lambdaErrors: count,
    lambdaThrottles: count,
  },
  additionalProperties: false,
};

const PERIOD = Duration.minutes(5);

/**
 * Alarms on the 5xx rate, the p99 latency, SageMaker model errors and throttling, low vocabulary coverage,
 * and the function's own errors and throttles; and a dashboard of those metrics beside API Gateway's and
 * the function's.
 */
export class SentimentMonitoring extends Construct {
  /** The alarms, by name: `ServerErrors`, `Latency`, `ModelErrors`, `EndpointThrottles`, `VocabularyCoverage`, `LambdaErrors`, `LambdaThrottles`. */
  public readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** The dashboard, unless `dashboard` is false. */
  public readonly dashboard: cloudwatch.Dashboard | undefined;

  /**
   * @param scope - The parent construct.
   * @param id - The construct id.
   * @param props - What to watch, and the thresholds; validated here.
   * @throws TypeError when a threshold is unknown, or not a number in its range.
   */
  public constructor(scope: Construct, id: string, props: SentimentMonitoringProps) {
    super(scope, id);
    const thresholds = resolveOptions(
      'SentimentMonitoring thresholds',
      thresholdSchema,
      SENTIMENT_ALARM_DEFAULTS,
      props.thresholds,
    );
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
    this.alarms = {
      ServerErrors: alarm(
        'ServerErrors',
        serverErrorRate,
        thresholds.serverErrorPercent,
        `At least ${thresholds.serverErrorPercent}% of answers were 5xx: the model endpoint failing, busy or slow (see the Endpoint* metrics and the function's log).`,
      ),
      Latency: alarm(
        'Latency',
        metric('HandlerLatency', 'p99', '2xx'),
        thresholds.latencyP99Ms,
        `The p99 of successful answers took at least ${thresholds.latencyP99Ms} ms (HandlerLatency; EndpointLatency is the model's part).`,
      ),
      ModelErrors: alarm(
        'ModelErrors',
        metric('ModelErrors', 'Sum'),
        thresholds.modelErrors,
        'The model container failed a call (ModelError): a model fault, or a vocabulary that does not match the model.',
      ),
      EndpointThrottles: alarm(
        'EndpointThrottles',
        metric('EndpointThrottles', 'Sum'),
        thresholds.endpointThrottles,
        'SageMaker refused calls as busy (throttling, model not ready, unavailable): the endpoint needs more instances.',
      ),
      VocabularyCoverage: alarm(
        'VocabularyCoverage',
        metric('VocabularyCoverage', 'Average').with({ period: Duration.hours(1) }),
        thresholds.vocabularyCoveragePercent,
        `In 2 of 3 hours, the vocabulary knew less than ${thresholds.vocabularyCoveragePercent}% of the reviews' words: traffic has drifted from what the model was trained on.`,
        true,
      ),
      LambdaErrors: alarm(
        'LambdaErrors',
        fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
        thresholds.lambdaErrors,
        'The function itself failed (a crash or a timeout): the handler never answered these.',
      ),
      LambdaThrottles: alarm(
        'LambdaThrottles',
        fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
        thresholds.lambdaThrottles,
        'Lambda throttled invocations: the account or reserved concurrency is exhausted.',
      ),
    };
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
    const percentiles = (name: 'HandlerLatency' | 'EndpointLatency') =>
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
      graph('Latency (ms)', [...percentiles('HandlerLatency'), ...percentiles('EndpointLatency')]),
    );
    this.dashboard.addWidgets(
      graph('Vocabulary coverage (%)', [
        metric('VocabularyCoverage', 'Average').with({ label: 'average' }),
        metric('VocabularyCoverage', 'Minimum').with({ label: 'minimum' }),
      ]),
      graph('Endpoint errors', [
        metric('EndpointErrors', 'Sum'),
        metric('ModelErrors', 'Sum'),
        metric('EndpointThrottles', 'Sum'),
      ]),
      graph('Reviews and payload', [metric('Reviews', 'Sum'), metric('PayloadBytes', 'Average')]),
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
