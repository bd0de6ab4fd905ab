/**
 * SageMaker's limit on a request, which the function checks before calling and the local endpoint
 * enforces as SageMaker does. A module of its own, without the SDK: the local endpoint imports it.
 */

/**
 * SageMaker's limit on an InvokeEndpoint request body, in bytes (6 MiB).
 *
 * @example
 * ```ts
 * import { type EncodedPayload, SAGEMAKER_MAX_REQUEST_BYTES } from 'sentiment-lambda';
 * // Refuse a batch SageMaker would refuse, before calling it (the body is ASCII: characters are bytes).
 * const fits = (payload: EncodedPayload) => payload.body.length <= SAGEMAKER_MAX_REQUEST_BYTES;
 * ```
 */
export const SAGEMAKER_MAX_REQUEST_BYTES = 6_291_456;
