/**
 * Builders for the events and context a Lambda receives, so tests invoke the Middy chain directly the
 * way API Gateway and Function URLs do. Exported for users' own tests (`sentiment-lambda/testing`).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { ReviewAnswer, ReviewRequestBody } from '../json-contract.ts';

/**
 * What a test request says; the builders fill in the rest of the event.
 *
 * @example
 * ```ts
 * import { restApiEvent, type TestRequest } from 'sentiment-lambda/testing';
 * const batch: TestRequest = { json: { reviews: ['Great', 'Dull'], explain: true } };
 * const event = restApiEvent(batch);
 * ```
 */
export interface TestRequest {
  /** Request body. Default: none. */
  body?: string | null;
  /**
   * A JSON request, typed (`review` or `reviews`, and `explain`): sent as its JSON text, with
   * `Content-Type: application/json` unless `headers` say otherwise. Give it or `body`, not both.
   */
  json?: ReviewRequestBody;
  /**
   * Headers as the client sent them. Default: `Content-Type: text/plain;charset=UTF-8`, what a page's
   * `XMLHttpRequest.send(text)` sends (`application/json` with `json`).
   */
  headers?: Record<string, string>;
  /** Default `POST`. */
  method?: string;
  /** Send `body` base64-encoded (the builder encodes it), as Function URLs do for binary types. */
  base64?: boolean;
  /** Default `/`. */
  path?: string;
  /** The query string's parameters, e.g. `{ explain: 'true' }` (the page's way to ask for explanations). Default: none. */
  query?: Record<string, string>;
}

const TEXT_PAGE_HEADERS = { 'Content-Type': 'text/plain;charset=UTF-8' };
const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** The request's headers, as given, else those of its kind of body. */
function headersOf(request: TestRequest): Record<string, string> {
  return request.headers ?? (request.json === undefined ? TEXT_PAGE_HEADERS : JSON_HEADERS);
}

function encodeBody(request: TestRequest): { body: string | undefined; isBase64Encoded: boolean } {
  if (request.json !== undefined && request.body != null) {
    throw new TypeError('A test request has a body or json, not both.');
  }
  const body = request.json === undefined ? (request.body ?? undefined) : JSON.stringify(request.json);
  if (body === undefined) return { body, isBase64Encoded: false };
  return request.base64
    ? { body: Buffer.from(body, 'utf8').toString('base64'), isBase64Encoded: true }
    : { body, isBase64Encoded: false };
}

/**
 * An API Gateway REST API (v1 proxy integration) event, as the `SentimentApi` construct's stage delivers it.
 *
 * @example
 * ```ts
 * import { createHandler } from 'sentiment-lambda';
 * import { lambdaContext, restApiEvent } from 'sentiment-lambda/testing';
 * const handler = createHandler({ model: { source: 'model.ubj' }, vocabulary: { source: 'vocabulary.json' } });
 * const response = await handler(restApiEvent({ body: 'What a wonderful film' }), lambdaContext());
 * // { statusCode: 200, body: '1', headers: {...} }
 * ```
 */
export function restApiEvent(request: TestRequest = {}): APIGatewayProxyEvent {
  const { body, isBase64Encoded } = encodeBody(request);
  const headers = headersOf(request);
  const method = request.method ?? 'POST';
  const path = request.path ?? '/';
  return {
    resource: path,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: request.query === undefined ? null : { ...request.query },
    multiValueQueryStringParameters:
      request.query === undefined
        ? null
        : Object.fromEntries(Object.entries(request.query).map(([name, value]) => [name, [value]])),
    pathParameters: null,
    stageVariables: null,
    body: body ?? null,
    isBase64Encoded,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: {
        sourceIp: '203.0.113.10',
        userAgent: 'vitest',
      } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/prod${path}`,
      stage: 'prod',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1_700_000_000_000,
      resourceId: 'abc123',
      resourcePath: path,
    },
  };
}

function v2Event(request: TestRequest, domainName: string): APIGatewayProxyEventV2 {
  const { body, isBase64Encoded } = encodeBody(request);
  const headers = Object.fromEntries(Object.entries(headersOf(request)).map(([k, v]) => [k.toLowerCase(), v]));
  const method = request.method ?? 'POST';
  const path = request.path ?? '/';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(request.query ?? {}).toString(),
    ...(request.query === undefined ? {} : { queryStringParameters: { ...request.query } }),
    headers,
    ...(body === undefined ? {} : { body }),
    isBase64Encoded,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      domainName,
      domainPrefix: domainName.split('.')[0] as string,
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'vitest' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: '$default',
      stage: '$default',
      time: '14/Nov/2023:22:13:20 +0000',
      timeEpoch: 1_700_000_000_000,
    },
  };
}

/**
 * An API Gateway HTTP API (payload format 2.0) event. Header names are lower-cased, as HTTP APIs do.
 *
 * @example
 * ```ts
 * import { httpApiEvent, lambdaContext } from 'sentiment-lambda/testing';
 * // `handler` is yours: createHandler's, or a chain of your own.
 * const response = await handler(httpApiEvent({ body: 'A dull film', base64: true }), lambdaContext());
 * ```
 */
export function httpApiEvent(request: TestRequest = {}): APIGatewayProxyEventV2 {
  return v2Event(request, 'abcdef1234.execute-api.us-east-1.amazonaws.com');
}

/**
 * A Lambda Function URL event (the HTTP API 2.0 shape, on a `lambda-url` domain).
 *
 * @example
 * ```ts
 * import { functionUrlEvent, lambdaContext } from 'sentiment-lambda/testing';
 * // `handler` is yours: a GET is answered 405, with `Allow: POST, OPTIONS`.
 * const response = await handler(functionUrlEvent({ method: 'GET' }), lambdaContext());
 * ```
 */
export function functionUrlEvent(request: TestRequest = {}): APIGatewayProxyEventV2 {
  return v2Event(request, 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws');
}

/**
 * Options of {@link lambdaContext}.
 *
 * @example
 * ```ts
 * import { lambdaContext, type TestContextOptions } from 'sentiment-lambda/testing';
 * const options: TestContextOptions = { remainingTimeMs: 3_000, awsRequestId: 'test-1' };
 * const context = lambdaContext(options);
 * ```
 */
export interface TestContextOptions {
  /** What `getRemainingTimeInMillis()` returns at the start. Default 10,000 (a 10 s timeout). */
  remainingTimeMs?: number;
  /** Default a fixed UUID. */
  awsRequestId?: string;
}

/**
 * A Lambda context whose remaining time counts down from `remainingTimeMs`.
 *
 * @example
 * ```ts
 * import { lambdaContext } from 'sentiment-lambda/testing';
 * const context = lambdaContext({ remainingTimeMs: 3_000 });
 * context.getRemainingTimeInMillis(); // 3000, counting down as the test runs
 * ```
 */
export function lambdaContext(options: TestContextOptions = {}): Context {
  const deadline = Date.now() + (options.remainingTimeMs ?? 10_000);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'sentiment-lambda',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:sentiment-lambda',
    memoryLimitInMB: '256',
    awsRequestId: options.awsRequestId ?? '7f2c1b5e-0d3a-4c8e-9b1f-2a6d5e4c3b21',
    logGroupName: '/aws/lambda/sentiment-lambda',
    logStreamName: '2026/11/25/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * The typed JSON body of a 200 answer (a result, or `{"results": [...]}`), or an error that shows the
 * status and body when the answer is not one: a test reads the answer it expects in one line.
 *
 * @example
 * ```ts
 * import { answerOf, lambdaContext, restApiEvent } from 'sentiment-lambda/testing';
 * const answer = answerOf(await handler(restApiEvent({ json: { review: 'Great', explain: true } }), lambdaContext()));
 * if (!('results' in answer)) console.log(answer.label, answer.explanation?.words[0]);
 * ```
 * @throws {Error} naming the status and the body, for an answer that is not a 200 with a JSON body.
 */
export function answerOf(response: {
  statusCode: number;
  headers?: Record<string, unknown>;
  body?: string;
}): ReviewAnswer {
  const contentType = String(response.headers?.['Content-Type'] ?? response.headers?.['content-type'] ?? '');
  if (response.statusCode !== 200 || !contentType.startsWith('application/json')) {
    throw new Error(`Expected a 200 with a JSON body, got ${response.statusCode} (${contentType}): ${response.body}`);
  }
  return JSON.parse(response.body ?? '') as ReviewAnswer;
}
