/**
 * The error replies of the SageMaker Runtime front end, in the shape the AWS SDK reads: status,
 * `x-amzn-ErrorType: <Name>` header, JSON body with `message`. The SDK maps the name to its own
 * exception class (`ModelError`, `ValidationError`, ...).
 */

/** An error reply, ready to be written. */
export interface AwsErrorReply {
  /** HTTP status. */
  readonly status: number;
  /** The `x-amzn-ErrorType` header; `undefined` sends none (as AWS's front end does for a 413). */
  readonly type: string | undefined;
  /** The JSON body. */
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * The status AWS uses for each error name the runtime API can answer with. `ThrottlingException`
 * is not modeled by SageMaker Runtime; the SDK retries it by name.
 */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  ValidationError: 400,
  ModelError: 424,
  ModelNotReadyException: 429,
  InternalFailure: 500,
  ServiceUnavailable: 503,
  InternalDependencyException: 530,
  ThrottlingException: 400,
  AccessDeniedException: 403,
  MissingAuthenticationTokenException: 403,
  InvalidSignatureException: 403,
  UnknownOperationException: 404,
};

/** Default messages, close to what AWS says, for injected errors without a message. */
const DEFAULT_MESSAGE: Readonly<Record<string, string>> = {
  ModelNotReadyException: 'Model is not ready to serve inference requests.',
  InternalFailure: 'An internal failure occurred. Retry your request.',
  ServiceUnavailable: 'The service is unavailable. Try your call again.',
  InternalDependencyException:
    'Your request caused an exception with an internal dependency. Contact customer support.',
  ThrottlingException: 'Rate exceeded',
};

/** A plain AWS error: `{"message": ...}` under `x-amzn-ErrorType: name`. */
export function awsError(name: string, message?: string, status?: number): AwsErrorReply {
  return {
    status: status ?? ERROR_STATUS[name] ?? 400,
    type: name,
    body: { message: message ?? DEFAULT_MESSAGE[name] ?? `${name} injected by the local endpoint.` },
  };
}

/** Where a model error's log would be, as AWS reports it. */
export interface ModelErrorContext {
  readonly endpointName: string;
  readonly region: string;
  readonly accountId: string;
  /** The variant that answered (AWS says "primary" for a single-variant endpoint). */
  readonly variantName: string;
}

/**
 * A model container's error as SageMaker wraps it: `ModelError` 424 carrying the container's
 * `OriginalStatusCode` and `OriginalMessage`, and the CloudWatch `LogStreamArn`.
 */
export function modelError(
  originalStatusCode: number,
  originalMessage: string,
  context: ModelErrorContext,
  status = 424,
): AwsErrorReply {
  const { endpointName, region, accountId } = context;
  const logGroup = `/aws/sagemaker/Endpoints/${endpointName}`;
  const kind = originalStatusCode >= 500 ? 'server' : 'client';
  const message =
    `Received ${kind} error (${originalStatusCode}) from primary with message "${originalMessage}". ` +
    `See https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logEventViewer:group=${logGroup} ` +
    `in account ${accountId} for more information.`;
  return {
    status,
    type: 'ModelError',
    body: {
      message,
      OriginalStatusCode: originalStatusCode,
      OriginalMessage: originalMessage,
      LogStreamArn: `arn:aws:logs:${region}:${accountId}:log-group:${logGroup}`,
    },
  };
}

/** The reply to a body over the size limit: AWS's front end answers 413 with no error type. */
export function payloadTooLarge(limit: number): AwsErrorReply {
  return { status: 413, type: undefined, body: { message: `HTTP content length exceeded ${limit} bytes.` } };
}
