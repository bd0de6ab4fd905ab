/**
 * sentiment-lambda: a typed Middy pipeline serving a SageMaker bag-of-words sentiment model.
 *
 * `createHandler` is the whole pipeline; the middlewares, encoder and SageMaker helpers are exported
 * for handlers of your own (see the README).
 */

export { type HttpErrorBodyOptions, httpErrorBody } from '../middlewares/http-error-body.ts';
export { httpEventGuard } from '../middlewares/http-event-guard.ts';
export {
  ACCEPTED_CONTENT_TYPES,
  type HttpReviewBodyParserOptions,
  httpReviewBodyParser,
  type ParsedReviewEvent,
} from '../middlewares/http-review-body-parser.ts';
export {
  MODEL_UNAVAILABLE_MESSAGE,
  type ModelContext,
  type ModelMiddlewareOptions,
  type ModelSource,
  ModelVocabularyMismatch,
  modelMiddleware,
} from '../middlewares/model.ts';
export {
  type RequestLogContext,
  type RequestLogOptions,
  type RequestReport,
  requestLog,
} from '../middlewares/request-log.ts';
export {
  REQUEST_METRICS,
  type RequestMetricsContext,
  type RequestMetricsOptions,
  requestMetrics,
  STATUS_CLASS_DIMENSION,
} from '../middlewares/request-metrics.ts';
export {
  type ReviewRequestContext,
  type ReviewRequestOptions,
  reviewRequest,
  reviewRequestDefaults,
  reviewRequestEventSchema,
} from '../middlewares/review-request.ts';
export {
  VOCABULARY_UNAVAILABLE_MESSAGE,
  type VocabularyContext,
  type VocabularyMiddlewareOptions,
  type VocabularySource,
  vocabularyMiddleware,
} from '../middlewares/vocabulary.ts';
export type { ScoringBackend, ScoringCall, ScoringRows } from './backends/backend.ts';
export { type InProcessBackendOptions, inProcessBackend, type ScoringModelContext } from './backends/in-process.ts';
export { type SageMakerBackendOptions, sageMakerBackend } from './backends/sagemaker.ts';
export {
  asConfigurationError,
  ConfigurationError,
  DEFAULT_VOCABULARY_SOURCE,
  ENVIRONMENT_VARIABLES,
  handlerOptionsFromEnv,
} from './config.ts';
export * from './encoder/index.ts';
export { DEFAULT_METRICS_NAMESPACE, DEFAULT_SERVICE_NAME, sentimentHandlerDefaults } from './handler-defaults.ts';
export { type ClientErrorOptions, clientError, isHttpError, RETRY_AFTER_SECONDS } from './http/errors.ts';
export type { HttpEvent, HttpEventHead, HttpResult } from './http/event.ts';
export {
  createHandler,
  type InProcessHandlerOptions,
  type SageMakerHandlerOptions,
  type SentimentHandler,
  type SentimentHandlerCommonOptions,
  type SentimentHandlerOptions,
} from './pipeline.ts';
export {
  type RequestReportContext,
  type ReviewRequest,
  type ReviewRequestShape,
  startRequestState,
} from './request-state.ts';
export {
  createReviewClassifier,
  type ReviewClassifierContext,
  type ReviewClassifierOptions,
} from './review-classifier.ts';
export { createSageMakerClient, sageMakerClientDefaults, sdkSettingsFromEnvironment } from './sagemaker/client.ts';
export {
  type EndpointFailure,
  endpointFailureOf,
  modelTimeoutError,
  toClientError,
} from './sagemaker/errors.ts';
export { type InvokeModelOptions, invokeModel, type ModelReply } from './sagemaker/invoke.ts';
export { SAGEMAKER_MAX_REQUEST_BYTES } from './sagemaker/limits.ts';
export { parseScores, ScoreParseError } from './sagemaker/scores.ts';
export { pythonRound, type SentimentResult, toSentiment } from './sentiment.ts';
export { ModelLoadError } from './xgboost/errors.ts';
export { loadXGBoostModel, type ReadModel, readXGBoostModel } from './xgboost/load.ts';
export { SUPPORTED_OBJECTIVES, XGBoostModel } from './xgboost/model.ts';
