/**
 * The SageMaker backend: the rows as the XGBoost container's request body (CSV, byte for byte the
 * reference preprocessing's, or libsvm), one InvokeEndpoint call for the whole batch, one score per row
 * read back from the reply.
 */
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { type PayloadFormat, payloadEncoderFor } from '../encoder/payload.ts';
import { clientError } from '../http/errors.ts';
import { roundMs } from '../monotonic-clock.ts';
import { endpointFailureOf, toClientError } from '../sagemaker/errors.ts';
import { invokeModel } from '../sagemaker/invoke.ts';
import { SAGEMAKER_MAX_REQUEST_BYTES } from '../sagemaker/limits.ts';
import type { ScoringBackend } from './backend.ts';

/**
 * Options of {@link sageMakerBackend}.
 *
 * @example
 * ```ts
 * import { createSageMakerClient, type SageMakerBackendOptions, sageMakerBackend } from 'sentiment-lambda';
 * const options: SageMakerBackendOptions = {
 *   endpointName: 'sentiment-xgboost',
 *   client: createSageMakerClient({ region: 'eu-west-1' }),
 *   payloadFormat: 'csv',
 * };
 * const backend = sageMakerBackend(options);
 * ```
 */
export interface SageMakerBackendOptions {
  /** The SageMaker endpoint to call. */
  readonly endpointName: string;
  /** The client, created once at init. */
  readonly client: SageMakerRuntimeClient;
  /** Request body format sent to the endpoint (see {@link PayloadFormat}). */
  readonly payloadFormat: PayloadFormat;
}

/**
 * Scores with a SageMaker endpoint.
 *
 * @example
 * ```ts
 * import { createReviewClassifier, createSageMakerClient, sageMakerBackend } from 'sentiment-lambda';
 * // One InvokeEndpoint call per request; SageMaker's failures become 502, 503 or 504 with a message to act on.
 * const backend = sageMakerBackend({ endpointName: 'sentiment', client: createSageMakerClient(), payloadFormat: 'csv' });
 * const classify = createReviewClassifier({ backend });
 * ```
 */
export function sageMakerBackend({ endpointName, client, payloadFormat }: SageMakerBackendOptions): ScoringBackend {
  return {
    name: 'sagemaker',
    async score({ vocabulary, rows }, { signal, report }) {
      const payload = payloadEncoderFor(vocabulary, payloadFormat).encodeRows(rows);
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
      return reply.scores;
    },
  };
}
