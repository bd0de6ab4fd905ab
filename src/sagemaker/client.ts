/**
 * The one SageMaker Runtime client a function uses, created at init and reused by every invocation
 * (the SDK keeps HTTPS connections alive between calls, so warm requests skip the TLS handshake).
 */
import { SageMakerRuntimeClient, type SageMakerRuntimeClientConfig } from '@aws-sdk/client-sagemaker-runtime';

/** Defaults for the client: bounded connect time so a dead endpoint fails fast; standard retries. */
export const sageMakerClientDefaults: SageMakerRuntimeClientConfig = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 2_000 },
};

/**
 * Creates the client. The endpoint comes from `config.endpoint`, or from `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`
 * / `AWS_ENDPOINT_URL`, which is how the offline stack's local endpoint is reached without code changes.
 */
export function createSageMakerClient(config: SageMakerRuntimeClientConfig = {}): SageMakerRuntimeClient {
  return new SageMakerRuntimeClient({ ...sageMakerClientDefaults, ...config });
}
