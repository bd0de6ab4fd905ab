/**
 * The thresholds of `SentimentMonitoring`'s alarms and their defaults, apart from the construct so that
 * `SentimentApi`'s props can take them without importing the construct.
 *
 * @module
 */

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
   * vocabulary that does not match the model, so one is enough. Behind an endpoint only.
   *
   * @default 1
   */
  readonly modelErrors?: number;
  /**
   * Calls refused as busy (`EndpointThrottles`: throttling, model not ready, service unavailable). Behind an
   * endpoint only.
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
