/**
 * The core handler, the review classifier: encode the validated reviews, call the endpoint once, answer
 * in the client's shape. Everything around it (parsing, validation, vocabulary, CORS, errors, logs) is
 * middleware: see pipeline.ts.
 */
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { MiddyHandlerObject } from '@middy/core';
import type { Context } from 'aws-lambda';
import { type PayloadFormat, payloadEncoderFor } from './encoder/payload.ts';
import type { Vocabulary } from './encoder/vocabulary.ts';
import { clientError } from './http/errors.ts';
import { type HttpEventHead, type HttpResult, wantsJson } from './http/event.ts';
import { roundMs } from './monotonic-clock.ts';
import type { RequestReport, ReviewRequest } from './review-request.ts';
import { endpointFailureOf, toClientError } from './sagemaker/errors.ts';
import { invokeModel, SAGEMAKER_MAX_REQUEST_BYTES } from './sagemaker/invoke.ts';
import { toSentiment } from './sentiment.ts';

/**
 * The context the review classifier runs with: what the pipeline's middlewares add (the vocabulary,
 * the validated request, and the record the request log reads).
 */
export type ReviewClassifierContext = Context & {
  vocabulary: Vocabulary;
  reviewRequest: ReviewRequest;
  requestReport?: RequestReport;
};

/** Options of {@link createReviewClassifier}. */
export interface ReviewClassifierOptions {
  /** The SageMaker endpoint to call. */
  endpointName: string;
  /** The client, created once at init. */
  client: SageMakerRuntimeClient;
  /** Request body format sent to the endpoint (see {@link PayloadFormat}). */
  payloadFormat: PayloadFormat;
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' };
const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };

/** Creates the review classifier, the handler at the core of the chain. */
export function createReviewClassifier({ endpointName, client, payloadFormat }: ReviewClassifierOptions) {
  return async function classifyReviews(
    event: unknown,
    context: ReviewClassifierContext,
    { signal }: MiddyHandlerObject,
  ): Promise<HttpResult> {
    const { reviews, shape } = context.reviewRequest;
    const payload = payloadEncoderFor(context.vocabulary, payloadFormat).encode(reviews);
    const report = context.requestReport;
    if (report) {
      report.reviews = payload.rows;
      report.words = payload.words;
      report.knownWords = payload.knownWords;
      report.reviewText = reviews;
    }
    if (payload.body.length > SAGEMAKER_MAX_REQUEST_BYTES) {
      throw clientError(
        413,
        `The encoded reviews are ${payload.body.length} bytes, over SageMaker's ${SAGEMAKER_MAX_REQUEST_BYTES}-byte limit: send fewer reviews per request.`,
      );
    }
    // The bytes sent to the endpoint: a body refused above is never sent.
    if (report) report.payloadBytes = payload.body.length; // ASCII: characters are bytes

    // Middy aborts the signal when the call runs past the handler's deadline, and answers the 504 itself
    // before the call's rejection reaches the catch below: the abort is when the report learns of it.
    if (report) {
      signal.addEventListener(
        'abort',
        () => {
          report.endpointFailure ??= 'Timeout';
        },
        { once: true },
      );
    }
    let reply: Awaited<ReturnType<typeof invokeModel>>;
    try {
      reply = await invokeModel(client, payload, { endpointName, abortSignal: signal });
    } catch (error) {
      const failure = endpointFailureOf(error);
      if (report) report.endpointFailure ??= failure;
      throw toClientError(error, failure);
    }
    if (report) {
      report.endpointLatencyMs = roundMs(reply.latencyMs);
      report.sageMakerRequestId = reply.requestId;
      report.variant = reply.variant;
    }

    const results = reply.scores.map(toSentiment);
    // The original contract: raw text in, `1`/`0` out; a text client that asks for JSON gets the score too.
    if (shape === 'text' && !wantsJson(event as HttpEventHead)) {
      return { statusCode: 200, headers: { ...TEXT }, body: String(results[0]?.sentiment) };
    }
    const body = shape === 'reviews' ? { results } : results[0];
    return { statusCode: 200, headers: { ...JSON_TYPE }, body: JSON.stringify(body) };
  };
}
