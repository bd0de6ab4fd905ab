/**
 * The function's execution role: one inline least-privilege policy, no managed policy. It may score (invoke
 * the one endpoint, or read the one model object in S3), read the one vocabulary object when it is in S3, and
 * write its own log group; nothing else.
 *
 * @module
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { SentimentScoring } from './scoring.ts';
import type { DeployedLocation } from './sentiment-api-validation.ts';

/** What the role grants access to. */
export interface FunctionRoleProps {
  readonly scoring: SentimentScoring;
  readonly vocabulary: DeployedLocation;
  readonly logGroup: logs.ILogGroup;
}

/**
 * The role, as construct `Role` of `scope`. Built here rather than by `lambda.Function`: the default role
 * carries the managed AWSLambdaBasicExecutionRole (logs:CreateLogGroup and writes to every log group of the
 * account).
 */
export function createFunctionRole(scope: Construct, props: FunctionRoleProps): iam.Role {
  const { scoring } = props;
  return new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description:
      scoring.kind === 'endpoint'
        ? `Sentiment Lambda: invoke SageMaker endpoint ${scoring.endpointName}, write its own logs`
        : `Sentiment Lambda: score with the model in the function (${scoring.modelSource}), write its own logs`,
    inlinePolicies: { LeastPrivilege: new iam.PolicyDocument({ statements: functionRoleStatements(scope, props) }) },
  });
}

/** The role's statements: scoring first, then the logs, then the vocabulary. */
export function functionRoleStatements(scope: Construct, props: FunctionRoleProps): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const { scoring, vocabulary, logGroup } = props;
  const statements: iam.PolicyStatement[] = [];
  if (scoring.kind === 'endpoint') {
    statements.push(
      new iam.PolicyStatement({
        sid: 'InvokeTheSentimentEndpoint',
        actions: ['sagemaker:InvokeEndpoint'],
        resources: [endpointArn(stack, scoring.endpointName)],
      }),
    );
  } else if (scoring.location.kind === 's3') {
    statements.push(readObject(stack, 'ReadTheModel', scoring.location));
  }
  statements.push(
    new iam.PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      // The log group's Arn attribute ends with `:*`, which covers its log streams and nothing else.
      resources: [logGroup.logGroupArn],
    }),
  );
  if (vocabulary.kind === 's3') statements.push(readObject(stack, 'ReadTheVocabulary', vocabulary));
  return statements;
}

/** `s3:GetObject` on exactly one object (its key holds no IAM wildcard: the props' validation refuses them). */
function readObject(stack: Stack, sid: string, object: Extract<DeployedLocation, { kind: 's3' }>): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    actions: ['s3:GetObject'],
    resources: [`arn:${stack.partition}:s3:::${object.bucket}/${object.key}`],
  });
}

/** The lowercase endpoint ARN: SageMaker reports (and IAM matches) endpoint ARNs with the name lowercased. */
function endpointArn(stack: Stack, endpointName: string): string {
  return stack.formatArn({
    service: 'sagemaker',
    resource: 'endpoint',
    resourceName: Token.isUnresolved(endpointName) ? endpointName : endpointName.toLowerCase(),
  });
}
