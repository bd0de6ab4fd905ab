/**
 * A local stand-in for API Gateway: turns each HTTP request into a REST API (v1 proxy) event, invokes
 * the real handler with a Lambda-like context, and writes its proxy result back. `GET /` serves the
 * web page. Nothing in the handler knows it is not on AWS.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { lambdaContext } from '../src/testing/events.ts';

/** A Lambda handler as the front calls it. */
export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Options of {@link createHttpFront}. */
export interface HttpFrontOptions {
  handler: ProxyHandler;
  /** Lambda timeout the context counts down from, as deployed. Default 10,000 ms. */
  timeoutMs?: number;
  /** Directory of the web page, served at `GET /`. Default: none. */
  webDirectory?: URL;
  /** What the page shows about the model served, as JSON at `GET /_model`. Default: none (404). */
  modelInfo?: object;
  /** Largest accepted body, as API Gateway's 10 MB payload limit. Default 10 MiB. */
  maxBodyBytes?: number;
}

const PAGE_FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/words.js': 'words.js',
  '/style.css': 'style.css',
};
const PAGE_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * Reads a request's body, keeping at most `limit` bytes; the rest is drained, so that the reply to a body
 * over the limit reaches the client. `bytes` counts all of it.
 */
export async function readBody(
  request: IncomingMessage,
  limit: number,
): Promise<{ body: Buffer; bytes: number; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request) {
    bytes += (chunk as Buffer).length;
    if (bytes <= limit) chunks.push(chunk as Buffer);
  }
  return { body: Buffer.concat(chunks), bytes, tooLarge: bytes > limit };
}

function toEvent(request: IncomingMessage, body: Buffer): APIGatewayProxyEvent {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] as string;
    const value = request.rawHeaders[i + 1] as string;
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const query = Object.fromEntries(url.searchParams);
  const method = request.method ?? 'GET';
  // API Gateway passes text bodies as strings; the front base64-encodes only what is not valid UTF-8.
  const text = body.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(body);
  return {
    resource: url.pathname,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: body.length === 0 ? null : isText ? text : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !isText,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${request.httpVersion}`,
      httpMethod: method,
      identity: {
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/prod${url.pathname}`,
      stage: 'prod',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: url.pathname,
    },
  };
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer) {
  response.writeHead(status, headers);
  response.end(body);
}

/** Creates (does not start) the HTTP front. */
export function createHttpFront(options: HttpFrontOptions): Server {
  const { handler, timeoutMs = 10_000, webDirectory, modelInfo, maxBodyBytes = 10 * 1024 * 1024 } = options;
  return createServer(async (request, response) => {
    try {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const page = PAGE_FILES[path];
      if (request.method === 'GET' && webDirectory && page) {
        const file = await readFile(new URL(page, webDirectory));
        send(response, 200, { 'Content-Type': PAGE_TYPES[page.split('.').pop() as string] as string }, file);
        return;
      }
      if (request.method === 'GET' && path === '/_model' && modelInfo !== undefined) {
        send(response, 200, { 'Content-Type': 'application/json' }, JSON.stringify(modelInfo));
        return;
      }
      const { body, tooLarge } = await readBody(request, maxBodyBytes);
      if (tooLarge) {
        send(response, 413, { 'Content-Type': 'application/json' }, '{"message":"Request Entity Too Large"}');
        return;
      }
      const result = await handler(
        toEvent(request, body),
        lambdaContext({ remainingTimeMs: timeoutMs, awsRequestId: randomUUID() }),
      );
      const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
      const payload = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
      send(response, result.statusCode, headers, payload ?? '');
    } catch (error) {
      // What API Gateway answers when the Lambda itself fails.
      console.error('handler invocation failed', error);
      if (!response.headersSent) {
        send(response, 502, { 'Content-Type': 'application/json' }, '{"message":"Internal server error"}');
      }
    }
  });
}
