/**
 * SageMaker's limit on a request, which the function checks before calling and the local endpoint
 * enforces as SageMaker does. A module of its own, without the SDK: the local endpoint imports it.
 */

/** SageMaker's limit on an InvokeEndpoint request body, in bytes (6 MiB). */
export const SAGEMAKER_MAX_REQUEST_BYTES = 6_291_456;
