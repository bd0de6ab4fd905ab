/**
 * Downstream faults at the handler level: `createHandler` with the real SDK (SigV4, standard retries) calling
 * the local SageMaker endpoint, whose fault injection plays every failure. `test/offline/stack.test.ts`
 * covers a few faults end to end over HTTP; this suite covers the rest: every error type, where the SDK
 * retries and where it must not (no retry storm), a deadline that really cancels the HTTP request, a reset
 * connection, a reply cut short on the wire, and every way a reply can fail to be one number per review.
 */
import { once } from 'node:events';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINT_NAME, type EndpointServer, startEndpointServer } from '../../local/endpoint/server.ts';
import { loadDefaultModel } from '../../local/model/default-model.ts';
import { createLocalHandler } from '../../local/stack.ts';
import type { SentimentHandler } from '../../src/pipeline.ts';
import { lambdaContext } from '../../src/testing/events.ts';
import { until } from '../helpers/net.ts';
import { batchRequest, captureOutput, headerOf, type OutputCapture, pageRequest } from '../helpers/pipeline.ts';

const POSITIVE = 'What a wonderful, moving film';
const NEGATIVE = 'Awful, boring, stupid and terrible.';
const BUSY_MESSAGE = 'The sentiment model is busy or not ready. Try again in a few seconds.';
const UNREADABLE = /could not be read as one score per review/;

let endpoint: EndpointServer;
let handler: SentimentHandler;
const { model, vocabulary } = await loadDefaultModel();

function newHandler(endpointUrl: string): SentimentHandler {
  return createLocalHandler(endpointUrl, vocabulary, {
    logger: new Logger({ serviceName: 'downstream-faults-test', logLevel: 'SILENT' }),
  });
}

async function classify(
  review: string | string[] = POSITIVE,
  remainingTimeMs = 10_000,
  target: SentimentHandler = handler,
): Promise<APIGatewayProxyResult> {
  const event = Array.isArray(review) ? batchRequest(review) : pageRequest(review);
  return (await target(event, lambdaContext({ remainingTimeMs }))) as APIGatewayProxyResult;
}

/** Endpoint invocations since the call. */
function countCalls(): () => number {
  const start = endpoint.stats.invocations;
  return () => endpoint.stats.invocations - start;
}

/** An ordinary request succeeds: the fault left nothing behind in the warm handler. */
async function expectRecovered(): Promise<void> {
  const next = await classify();
  expect(next.statusCode).toBe(200);
  expect(next.body).toBe('1');
}

beforeAll(async () => {
  endpoint = await startEndpointServer({ port: 0, models: { [DEFAULT_ENDPOINT_NAME]: model } });
  handler = newHandler(endpoint.url);
});

// The handler's metrics (one EMF line per request) are not what these tests look at: kept out of the output.
let output: OutputCapture;
beforeEach(() => {
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  endpoint.faults.clear();
});

afterAll(async () => {
  await endpoint?.close();
});

describe('each SageMaker error type -> its documented status', () => {
  const cases = [
    // name, status, retried by the SDK, message
    { name: 'ModelError', status: 502, calls: 1, message: /model failed while scoring/ },
    { name: 'ValidationError', status: 502, calls: 1, message: /rejected the call/ },
    { name: 'ModelNotReadyException', status: 503, calls: 3, message: BUSY_MESSAGE },
    { name: 'InternalFailure', status: 503, calls: 3, message: BUSY_MESSAGE },
    { name: 'ServiceUnavailable', status: 503, calls: 3, message: BUSY_MESSAGE },
    { name: 'ThrottlingException', status: 503, calls: 3, message: BUSY_MESSAGE },
    { name: 'InternalDependencyException', status: 503, calls: 1, message: BUSY_MESSAGE },
    { name: 'AccessDeniedException', status: 502, calls: 1, message: /call to the sentiment model failed/ },
  ] as const;

  for (const { name, status, calls: expectedCalls, message } of cases) {
    it(`${name} on every attempt -> ${status} in ${expectedCalls} endpoint call(s), then recovery`, async () => {
      // Prepare
      endpoint.faults.error(name, { times: 'always', originalMessage: 'secret container detail' });
      const calls = countCalls();
      const started = performance.now();

      // Act
      const reply = await classify();
      const elapsed = performance.now() - started;
      endpoint.faults.clear();

      // Assess
      expect(reply.statusCode, reply.body).toBe(status);
      if (typeof message === 'string') expect(reply.body).toBe(message);
      else expect(reply.body).toMatch(message);
      expect(reply.body).not.toMatch(/secret|arn:aws|Exception|Error/);
      expect(headerOf(reply, 'Access-Control-Allow-Origin')).toBe('*');
      expect(headerOf(reply, 'Retry-After') !== undefined).toBe(status === 503);
      expect(calls()).toBe(expectedCalls);
      // Throttling-class errors back off up to 1 s + 2 s; the others up to 0.1 s + 0.2 s.
      expect(elapsed).toBeLessThan(3500);
      await expectRecovered();
    });
  }
});

describe('retries: where the SDK retries, and no retry storm', () => {
  it('InternalFailure and ServiceUnavailable once each are retried transparently: 200 after 3 calls', async () => {
    // Prepare
    endpoint.faults.error('InternalFailure').error('ServiceUnavailable');
    const calls = countCalls();

    // Act
    const reply = await classify();

    // Assess
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toBe('1');
    expect(calls()).toBe(3);
  });

  it('ModelError on every call, 20 requests in a row: exactly one call each, quickly', async () => {
    // Prepare
    endpoint.faults.error('ModelError', { times: 'always' });
    const calls = countCalls();
    const started = performance.now();

    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await classify()).statusCode);
    const elapsed = performance.now() - started;

    // Assess
    expect(statuses).toEqual(Array(20).fill(502));
    expect(calls()).toBe(20);
    expect(elapsed).toBeLessThan(2000);
  });

  it('ValidationError on every call, 20 requests in a row: exactly one call each', async () => {
    // Prepare
    endpoint.faults.error('ValidationError', { times: 'always' });
    const calls = countCalls();

    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await classify()).statusCode);

    // Assess
    expect(statuses).toEqual(Array(20).fill(502));
    expect(calls()).toBe(20);
  });

  it("ThrottlingException on every call, 5 requests: 3 calls each, each within the SDK's backoff bound", async () => {
    // Prepare: throttling backoff is random(0, 500 ms * 2^attempt): at most 1 s + 2 s over 3 attempts.
    endpoint.faults.error('ThrottlingException', { times: 'always' });
    const calls = countCalls();

    // Act
    const statuses: number[] = [];
    const durations: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      statuses.push((await classify()).statusCode);
      durations.push(performance.now() - started);
    }

    // Assess
    expect(statuses).toEqual(Array(5).fill(503));
    expect(calls()).toBe(15);
    expect(Math.max(...durations)).toBeLessThan(3500);
  });
});

describe('a slow endpoint past the deadline', () => {
  it('answers 504 before the Lambda timeout, and the abort closes the HTTP request (the endpoint sees it)', async () => {
    // Prepare: 1 s left, 500 ms kept back, the endpoint answers after 1.2 s.
    endpoint.faults.latency(1200);
    const calls = countCalls();
    const droppedBefore = endpoint.stats.byStatus.dropped ?? 0;
    const started = performance.now();

    // Act
    const reply = await classify(POSITIVE, 1000);
    const elapsed = performance.now() - started;
    // The endpoint notices when its delay ends: the response it would write has no socket any more.
    const sawClose = await until(() => (endpoint.stats.byStatus.dropped ?? 0) === droppedBefore + 1, 3000);

    // Assess
    expect(reply.statusCode).toBe(504);
    expect(reply.body).toBe('The sentiment model did not answer in time.');
    expect(headerOf(reply, 'Access-Control-Allow-Origin')).toBe('*');
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(1000);
    expect(sawClose).toBe(true);
    expect(calls()).toBe(1); // an aborted call is not retried
    await expectRecovered();
  });

  it('a slow but timely endpoint (300 ms of a 1 s budget) is waited for: 200', async () => {
    // Prepare
    endpoint.faults.latency(300);

    // Act
    const reply = await classify(POSITIVE, 1500);

    // Assess
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toBe('1');
  });
});

describe('broken connections and replies', () => {
  it('a connection reset once is retried transparently: 200 after 2 calls', async () => {
    // Prepare
    endpoint.faults.drop(1);
    const calls = countCalls();

    // Act
    const reply = await classify();

    // Assess
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toBe('1');
    expect(calls()).toBe(2);
  });

  it('a connection reset on every attempt -> 502 (unreachable), in 3 calls, then recovery', async () => {
    // Prepare
    endpoint.faults.drop('always');
    const calls = countCalls();

    // Act
    const reply = await classify();
    endpoint.faults.clear();

    // Assess
    expect(reply.statusCode).toBe(502);
    expect(reply.body).toBe('The sentiment model endpoint could not be reached.');
    expect(calls()).toBe(3);
    await expectRecovered();
  });

  const unreadable = [
    { what: 'non-numeric text', body: 'oops\n' },
    { what: 'NaN', body: 'NaN\n' },
    { what: 'Infinity', body: 'Infinity\n' },
    { what: 'a number that overflows', body: '1e999\n' },
    { what: 'an empty body', body: '' },
    { what: 'a cut JSON reply', body: '{"predictions": [{"score": 0.9', contentType: 'application/json' },
    { what: 'JSON without predictions', body: '{"scores": [0.9]}', contentType: 'application/json' },
    { what: 'an HTML error page with status 200', body: '<html><body>Bad gateway</body></html>' },
  ];
  for (const { what, body, contentType } of unreadable) {
    it(`${what} -> 502 "could not be read", then recovery`, async () => {
      // Prepare
      endpoint.faults.body(body, contentType === undefined ? {} : { contentType });

      // Act
      const reply = await classify();

      // Assess
      expect(reply.statusCode).toBe(502);
      expect(reply.body).toMatch(UNREADABLE);
      await expectRecovered();
    });
  }

  it('too few scores for a batch (2 for 3) and too many (4 for 3) -> 502 each', async () => {
    // Prepare
    endpoint.faults.body('0.9\n0.1\n').body('0.9\n0.1\n0.8\n0.7\n');
    const batch = [POSITIVE, NEGATIVE, POSITIVE];

    // Act
    const fewer = await classify(batch);
    const more = await classify(batch);
    const fine = await classify(batch);

    // Assess
    expect(fewer.statusCode).toBe(502);
    expect(JSON.parse(fewer.body)).toMatchObject({
      error: { status: 502, message: expect.stringMatching(UNREADABLE) },
    });
    expect(more.statusCode).toBe(502);
    expect(fine.statusCode).toBe(200);
    expect(JSON.parse(fine.body).results.map((result: { sentiment: number }) => result.sentiment)).toEqual([1, 0, 1]);
  });

  describe('a reply cut short on the wire', () => {
    let server: NetServer;
    let truncatedHandler: SentimentHandler;
    let connections = 0;
    const sockets = new Set<Socket>();

    beforeAll(async () => {
      // Promises 32 bytes of scores, sends 5, then closes the connection.
      server = createNetServer((socket) => {
        connections += 1;
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        socket.once('data', () => {
          socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 32\r\n\r\n0.87\n');
        });
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      truncatedHandler = newHandler(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('-> 502, not a wrong answer, and within the deadline', async () => {
      // Prepare
      const started = performance.now();

      // Act
      const reply = await classify(POSITIVE, 5000, truncatedHandler);
      const elapsed = performance.now() - started;

      // Assess
      expect(reply.statusCode, reply.body).toBe(502);
      expect(reply.body).not.toBe('1');
      expect(connections).toBeGreaterThanOrEqual(1);
      expect(connections).toBeLessThanOrEqual(3);
      expect(elapsed).toBeLessThan(4500);
    });
  });
});
