/**
 * The one SageMaker Runtime client a function uses, created at init and reused by every invocation
 * (the SDK keeps HTTPS connections alive between calls, so warm requests skip the TLS handshake).
 */
import { SageMakerRuntimeClient, type SageMakerRuntimeClientConfig } from '@aws-sdk/client-sagemaker-runtime';
import { resolveOptions } from '../options.ts';

/** Defaults for the client: bounded connect time so a dead endpoint fails fast; standard retries. */
export const sageMakerClientDefaults: SageMakerRuntimeClientConfig = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 2_000 },
};

/**
 * Creates the client. The endpoint comes from `config.endpoint`, or from `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`
 * / `AWS_ENDPOINT_URL` as the SDK reads them, which is how the offline stack's local endpoint is reached
 * without code changes. `config` wins over {@link sageMakerClientDefaults}; a setting given as `undefined`
 * (say `endpoint: process.env.UNSET`) takes the default, as if it were not given.
 */
export function createSageMakerClient(config: SageMakerRuntimeClientConfig = {}): SageMakerRuntimeClient {
  // The SDK checks its own configuration: this only takes the defaults for what is not given.
  return new SageMakerRuntimeClient(
    resolveOptions(
      'createSageMakerClient',
      { type: 'object', additionalProperties: true },
      sageMakerClientDefaults,
      config,
    ),
  );
}
