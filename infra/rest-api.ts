/**
 * The REST API in front of the function: `POST /` and the CORS preflight proxied to it on a regional API
 * (stage `prod`), throttled, with JSON access logs, CORS headers on API Gateway's own errors, an optional WAF
 * web ACL, and the cdk-nag rules this design deliberately does not follow, acknowledged with the reason.
 *
 * @module
 */
import { Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { type ExecutionLoggingLevel, STAGE_NAME } from './sentiment-api-props.ts';

/**
 * One JSON line per request in the access-log group: API Gateway's standard fields (as in
 * `AccessLogFormat.jsonWithStandardFields`) plus latency and the integration / gateway error fields, which
 * are what execution logs would otherwise be needed for (why a request got a 502, 504 or 429).
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: apigateway.AccessLogField.contextRequestId(),
  ip: apigateway.AccessLogField.contextIdentitySourceIp(),
  user: apigateway.AccessLogField.contextIdentityUser(),
  caller: apigateway.AccessLogField.contextIdentityCaller(),
  requestTime: apigateway.AccessLogField.contextRequestTime(),
  httpMethod: apigateway.AccessLogField.contextHttpMethod(),
  resourcePath: apigateway.AccessLogField.contextResourcePath(),
  status: apigateway.AccessLogField.contextStatus(),
  protocol: apigateway.AccessLogField.contextProtocol(),
  responseLength: apigateway.AccessLogField.contextResponseLength(),
  responseLatency: apigateway.AccessLogField.contextResponseLatency(),
  integrationStatus: apigateway.AccessLogField.contextIntegrationStatus(),
  integrationLatency: apigateway.AccessLogField.contextIntegrationLatency(),
  integrationErrorMessage: apigateway.AccessLogField.contextIntegrationErrorMessage(),
  errorMessage: apigateway.AccessLogField.contextErrorMessage(),
  errorResponseType: apigateway.AccessLogField.contextErrorResponseType(),
};

/** What the API is built from. */
export interface SentimentRestApiProps {
  /** The function answering `POST /` and the preflight. */
  readonly function: lambda.IFunction;
  /** The API's name, unique in the account and region. */
  readonly restApiName: string;
  readonly accessLogGroup: logs.ILogGroup;
  readonly allowedOrigins: readonly string[];
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly executionLoggingLevel: ExecutionLoggingLevel;
  readonly webAclArn: string | undefined;
  readonly tracing: boolean;
}

/** The API, as construct `Api` of `scope` (and `WebAclAssociation`, with a web ACL). */
export function createSentimentRestApi(scope: Construct, props: SentimentRestApiProps): apigateway.RestApi {
  const api = new apigateway.RestApi(scope, 'Api', {
    restApiName: props.restApiName,
    description: 'Movie review sentiment: POST the review text to the stage URL, get 1 (positive) or 0 (negative).',
    endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
    // Never let the construct create the account-wide API Gateway CloudWatch role (see executionLoggingLevel).
    cloudWatchRole: false,
    deployOptions: {
      stageName: STAGE_NAME,
      throttlingRateLimit: props.throttlingRateLimit,
      throttlingBurstLimit: props.throttlingBurstLimit,
      accessLogDestination: new apigateway.LogGroupLogDestination(props.accessLogGroup),
      accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      loggingLevel: apigateway.MethodLoggingLevel[props.executionLoggingLevel],
      dataTraceEnabled: false,
      tracingEnabled: props.tracing,
      metricsEnabled: false,
    },
  });
  // RestApi adds an unnamed `Endpoint` output; the construct's `Url` output replaces it.
  api.node.tryRemoveChild('Endpoint');

  const integration = new apigateway.LambdaIntegration(props.function);
  const postMethod = api.root.addMethod('POST', integration);
  // The CORS preflight goes to the function too: its answer (allowed origins, methods, headers,
  // max-age, security headers) is defined once, in the pipeline, for every way it is deployed.
  const optionsMethod = api.root.addMethod('OPTIONS', integration);

  // Errors API Gateway answers itself (throttling 429, timeout 504, unknown route 403) carry the CORS
  // header too, so a browser page can read them instead of failing with an opaque CORS error.
  const responseHeaders = gatewayResponseOrigin(props.allowedOrigins);
  api.addGatewayResponse('Default4xx', { type: apigateway.ResponseType.DEFAULT_4XX, responseHeaders });
  api.addGatewayResponse('Default5xx', { type: apigateway.ResponseType.DEFAULT_5XX, responseHeaders });

  if (props.webAclArn !== undefined) {
    new wafv2.CfnWebACLAssociation(scope, 'WebAclAssociation', {
      resourceArn: api.deploymentStage.stageArn,
      webAclArn: props.webAclArn,
    });
  }
  acknowledgeDesignDecisions(api, postMethod, optionsMethod, {
    executionLogging: props.executionLoggingLevel !== 'OFF',
    webAcl: props.webAclArn !== undefined,
  });
  return api;
}

/** The `Access-Control-Allow-Origin` (and `Vary`) headers of API Gateway's own error responses. */
function gatewayResponseOrigin(origins: readonly string[]): Record<string, string> {
  if (origins.length === 1) {
    return { 'Access-Control-Allow-Origin': `'${origins[0]}'` };
  }
  // A gateway response has one static value per header: with several allowed origins, echo the caller's.
  // These bodies are API Gateway's generic messages ("Too Many Requests"), nothing worth keeping from a site.
  return { 'Access-Control-Allow-Origin': 'method.request.header.Origin', Vary: "'Origin'" };
}

/**
 * Records, for cdk-nag's AwsSolutions pack, the rules this design deliberately does not follow and why.
 */
function acknowledgeDesignDecisions(
  api: apigateway.RestApi,
  postMethod: apigateway.Method,
  optionsMethod: apigateway.Method,
  enabled: { readonly executionLogging: boolean; readonly webAcl: boolean },
): void {
  const publicByDesign =
    'The API is public and unauthenticated by design: the static web page that calls it posts the review ' +
    'anonymously with XMLHttpRequest and cannot hold credentials. Abuse is bounded by stage throttling; for ' +
    'more, put a usage plan with API keys behind a backend, or associate a WAF web ACL (webAclArn) with a ' +
    'rate-based rule.';
  Validations.of(postMethod).acknowledge(
    { id: 'AwsSolutions-APIG4', reason: publicByDesign },
    { id: 'AwsSolutions-COG4', reason: `${publicByDesign} There are no users, so there is no Cognito user pool.` },
  );
  Validations.of(optionsMethod).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason:
      'This is the CORS preflight: browsers send it without credentials, so it cannot be authorized. The ' +
      'function answers it (204 with the CORS and security headers) without calling the model.',
  });
  Validations.of(api).acknowledge({
    id: 'AwsSolutions-APIG2',
    reason:
      'The body may be the raw review text sent as text/plain, as the web page sends it; API Gateway request ' +
      'validators only check JSON-schema models and parameters, so the Lambda validates the body itself ' +
      '(size, batch size, type) and answers 400 with CORS headers and a message a person can act on.',
  });
  if (!enabled.webAcl) {
    Validations.of(api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No WAF by default: a web ACL costs a monthly fee per ACL and rule, more than this demo API, and stage ' +
        'throttling already caps the request rate. Pass webAclArn (a regional WAFv2 ACL with a rate-based rule) ' +
        'to associate one.',
    });
  }
  if (!enabled.executionLogging) {
    Validations.of(api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG6',
      reason:
        'Execution logging needs the account-wide API Gateway CloudWatch role (AWS::ApiGateway::Account, a ' +
        'per-region singleton this stack must not own). Each request is still logged: JSON access logs on the ' +
        'stage plus the function structured logs. Set executionLoggingLevel to ERROR once the account role exists.',
    });
  }
}
