/**
 * sentiment-lambda: a typed Middy pipeline serving a SageMaker bag-of-words sentiment model.
 *
 * `createHandler` is the whole pipeline; the middlewares, encoder and SageMaker helpers are exported
 * for handlers of your own (see the README). Every export is in the API report, api/sentiment-lambda.api.md.
 */

export { type HttpErrorBodyOptions, httpErrorBody } from '../middlewares/http-error-body.ts';
export { httpEventGuard } from '../middlewares/http-event-guard.ts';
export {
  type HttpReviewBodyParserOptions,
  httpReviewBodyParser,
  type ParsedReviewEvent,
} from '../middlewares/http-review-body-parser.ts';
export {
  MODEL_UNAVAILABLE_MESSAGE,
  type ModelContext,
  type ModelMiddlewareOptions,
  type ModelSource,
  modelMiddleware,
} from '../middlewares/model.ts';
export { type RequestLogContext, type RequestLogOptions, requestLog } from '../middlewares/request-log.ts';
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
  reviewRequestEventSchema,
} from '../middlewares/review-request.ts';
export {
  VOCABULARY_UNAVAILABLE_MESSAGE,
  type VocabularyContext,
  type VocabularyMiddlewareOptions,
  type VocabularySource,
  vocabularyMiddleware,
} from '../middlewares/vocabulary.ts';
export type { ExplainedScore, ScoringBackend, ScoringCall, ScoringRows } from './backends/backend.ts';
export { type InProcessBackendOptions, inProcessBackend, type ScoringModelContext } from './backends/in-process.ts';
export { type SageMakerBackendOptions, sageMakerBackend } from './backends/sagemaker.ts';
export {
  type BagOfWords,
  bagOfWordsFor,
  type CountedReviews,
  type TransientWordCounts,
  type WordCounts,
} from './encoder/bag-of-words.ts';
export {
  type EncodedPayload,
  PAYLOAD_CONTENT_TYPES,
  type PayloadEncoder,
  type PayloadFormat,
  payloadEncoderFor,
} from './encoder/payload.ts';
export { Vocabulary, VocabularyError, type VocabularyInput } from './encoder/vocabulary.ts';
export type { Explanation, WordContribution } from './explanation.ts';
export { type ClientErrorOptions, clientError } from './http/errors.ts';
export type { HttpEvent, HttpEventHead, HttpResult } from './http/event.ts';
export type { ReviewAnswer, ReviewRequestBody, ReviewResult } from './json-contract.ts';
export {
  createHandler,
  type InProcessHandlerOptions,
  type SageMakerHandlerOptions,
  type SentimentHandler,
  type SentimentHandlerCommonOptions,
  type SentimentHandlerOptions,
} from './pipeline.ts';
export {
  type RequestReport,
  type RequestReportContext,
  type ReviewRequest,
  type ReviewRequestShape,
  type StatefulRequest,
  startRequestState,
} from './request-state.ts';
export {
  createReviewClassifier,
  type ReviewClassifierContext,
  type ReviewClassifierOptions,
} from './review-classifier.ts';
export { createSageMakerClient } from './sagemaker/client.ts';
export type { EndpointFailure } from './sagemaker/errors.ts';
export { type InvokeModelOptions, invokeModel, type ModelReply } from './sagemaker/invoke.ts';
export { SAGEMAKER_MAX_REQUEST_BYTES } from './sagemaker/limits.ts';
export { ScoreParseError } from './sagemaker/scores.ts';
export { type SentimentResult, toSentiment } from './sentiment.ts';
export type { CachedSourceOptions } from './source/cached-source.ts';
export { ModelLoadError } from './xgboost/errors.ts';
export { loadXGBoostModel } from './xgboost/load.ts';
export { type SparseRow, XGBoostModel } from './xgboost/model.ts';
