/**
 * SageMaker's `EndpointName` rule (CreateEndpoint / InvokeEndpoint API reference), shared by the
 * handler options, the environment configuration and the CDK construct so the three cannot drift.
 */
const SAGEMAKER_ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** Whether `name` is a valid SageMaker endpoint name: letters, digits and inner hyphens, 1 to 63 characters. */
export function isSageMakerEndpointName(name: unknown): name is string {
  return typeof name === 'string' && SAGEMAKER_ENDPOINT_NAME_PATTERN.test(name);
}
