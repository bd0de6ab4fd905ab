/**
 * Shared helpers for the pipeline and middleware suites: a tiny vocabulary whose rows can be checked by
 * hand, SageMaker replies shaped like the SDK's, a capture of everything Powertools writes, the request
 * builders the suites share, and {@link usePipelineHarness}, the set-up every pipeline suite repeats.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  InvokeEndpointCommand,
  type InvokeEndpointCommandInput,
  type InvokeEndpointCommandOutput,
  SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { clearCache } from '@middy/util';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, vi } from 'vitest';
import type { HttpEvent } from '../../src/http/event.ts';
import { createHandler, type SageMakerHandlerOptions, type SentimentHandler } from '../../src/pipeline.ts';
import { restApiEvent, type TestRequest } from '../../src/testing/events.ts';

/** Five words, so a CSV row is `g,gr,b,bo,m` counts: easy to write by hand. */
export const TINY_VOCABULARY = { good: 0, great: 1, bad: 2, boring: 3, movie: 4 } as const;

/** Builds a dense CSV row for {@link TINY_VOCABULARY} from word counts, by hand. */
export function tinyRow(counts: Partial<Record<keyof typeof TINY_VOCABULARY, number>>): string {
  const row = [0, 0, 0, 0, 0];
  for (const [word, count] of Object.entries(counts)) {
    row[TINY_VOCABULARY[word as keyof typeof TINY_VOCABULARY]] = count as number;
  }
  return row.join(',');
}

/** The endpoint name every test handler is created with. */
export const ENDPOINT_NAME = 'sentiment-endpoint';

/** A successful InvokeEndpoint reply, as the SDK returns it. */
export function modelReply(
  body: string,
  options: { contentType?: string; requestId?: string } = {},
): InvokeEndpointCommandOutput {
  return {
    $metadata: { requestId: options.requestId ?? 'sm-req-ok', httpStatusCode: 200 },
    Body: new TextEncoder().encode(body) as InvokeEndpointCommandOutput['Body'],
    ContentType: options.contentType ?? 'text/csv',
    InvokedProductionVariant: 'AllTraffic',
  };
}

/** An SDK-style service error: `name`, and the SageMaker request id in `$metadata`. */
export function sdkError(name: string, requestId = 'sm-req-failed', message = `${name} from SageMaker`): Error {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, { $fault: 'server', $metadata: { requestId, httpStatusCode: 400 } });
}

/** The decoded body of an InvokeEndpoint request. */
export function requestBody(body: unknown): string {
  if (typeof body === 'string') return body;
  return Buffer.from(body as Uint8Array).toString('utf8');
}

/** A header of a response, by case-insensitive name. */
export function headerOf(response: { headers?: Record<string, unknown> }, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(response.headers ?? {})) {
    if (key.toLowerCase() === wanted) return String(value);
  }
  return undefined;
}

/** A logger for tests: its lines are captured with {@link captureOutput}. */
export function testLogger(): Logger {
  return new Logger({ serviceName: 'test', logLevel: 'DEBUG' });
}

/** Everything written to stdout and stderr while the capture is active (the writes are swallowed). */
export interface OutputCapture {
  /** Raw text written. */
  text(): string;
  /** Lines that parse as JSON objects (Powertools log lines). */
  lines(): Array<Record<string, unknown>>;
  /** The request log lines (`request`, `request rejected`, `request failed`). */
  requestLines(): Array<Record<string, unknown>>;
  restore(): void;
}

/** Captures stdout and stderr (Powertools writes errors to stderr). */
export function captureOutput(): OutputCapture {
  const chunks: string[] = [];
  const record = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(record as typeof process.stdout.write);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(record as typeof process.stderr.write);
  const text = () => chunks.join('');
  const lines = () =>
    text()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    text,
    lines,
    requestLines: () =>
      lines().filter((line) => ['request', 'request rejected', 'request failed'].includes(String(line.message))),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}

/** A temporary directory, removed by the returned `cleanup`. */
export function tempDir(): { dir: string; write: (name: string, text: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sentiment-test-'));
  return {
    dir,
    write: (name, text) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Lets pending promise callbacks (a prefetch, a refresh) run. */
export async function flushPromises(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The headers of a JSON client. */
export const JSON_HEADERS: Readonly<Record<string, string>> = { 'Content-Type': 'application/json' };

/** The headers the original web page sends. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = { 'Content-Type': 'text/plain;charset=UTF-8' };

/** A text request from the original page (REST API v1), with `extraHeaders` (an `Origin`, say) added. */
export function pageRequest(body = 'a good movie', extraHeaders: Record<string, string> = {}): APIGatewayProxyEvent {
  return restApiEvent({ body, headers: { ...PAGE_HEADERS, ...extraHeaders } });
}

/** A JSON request whose body is `payload`: a REST API v1 event, or the event `build` makes. */
export function jsonRequest(payload: unknown): APIGatewayProxyEvent;
export function jsonRequest(payload: unknown, build: (request: TestRequest) => HttpEvent): HttpEvent;
export function jsonRequest(payload: unknown, build: (request: TestRequest) => HttpEvent = restApiEvent): HttpEvent {
  return build({ body: JSON.stringify(payload), headers: { ...JSON_HEADERS } });
}

/** A JSON `{"reviews": [...]}` batch request (REST API v1). */
export function batchRequest(reviews: string[]): APIGatewayProxyEvent {
  return jsonRequest({ reviews });
}

/** Options of {@link usePipelineHarness}. */
export interface PipelineHarnessOptions {
  /** Options every handler of the suite is created with; a test's own options to `newHandler` win. */
  handlerOptions?: Partial<SageMakerHandlerOptions>;
  /** A reply the endpoint gives every call unless the test sets its own (e.g. `'0.9\n'`). */
  reply?: string;
}

/** What {@link usePipelineHarness} gives a suite. */
export interface PipelineHarness {
  /** The SageMaker runtime client mock, reset before each test. */
  sageMaker: ReturnType<typeof mockSageMaker>;
  /** A handler on {@link ENDPOINT_NAME} with {@link TINY_VOCABULARY} and a {@link testLogger}, plus `options`. */
  newHandler(options?: Partial<SageMakerHandlerOptions>): SentimentHandler;
  /** The output captured during the current test. */
  output(): OutputCapture;
  /** The input of the `n`th InvokeEndpoint call (default the first), if there was one. */
  sentInput(n?: number): InvokeEndpointCommandInput | undefined;
  /** The decoded body of the `n`th InvokeEndpoint call (default the first). */
  sentBody(n?: number): string;
  /** The decoded bodies of every InvokeEndpoint call, in order. */
  sentBodies(): string[];
}

function mockSageMaker() {
  return mockClient(SageMakerRuntimeClient);
}

/**
 * The set-up every pipeline suite shares. Call it once at the top of a test file: it mocks the SageMaker
 * runtime client and registers hooks that, before each test, reset the mock (then answer `reply`, if
 * given), clear Middy's cache and capture the output; and after each test restore the output and undo
 * any `vi.stubEnv`.
 */
export function usePipelineHarness(setup: PipelineHarnessOptions = {}): PipelineHarness {
  const sageMaker = mockSageMaker();
  let output: OutputCapture | undefined;

  beforeEach(() => {
    sageMaker.reset();
    if (setup.reply !== undefined) sageMaker.on(InvokeEndpointCommand).resolves(modelReply(setup.reply));
    clearCache();
    output = captureOutput();
  });

  afterEach(() => {
    output?.restore();
    output = undefined;
    vi.unstubAllEnvs();
  });

  return {
    sageMaker,
    newHandler: (options = {}) =>
      createHandler({
        endpointName: ENDPOINT_NAME,
        vocabulary: { source: { ...TINY_VOCABULARY } },
        client: new SageMakerRuntimeClient({ region: 'us-east-1' }),
        logger: testLogger(),
        ...setup.handlerOptions,
        ...options,
      }),
    output: () => {
      if (output === undefined) throw new Error('output() is only captured while a test runs');
      return output;
    },
    sentInput: (n = 0) => sageMaker.commandCalls(InvokeEndpointCommand)[n]?.args[0].input,
    sentBody: (n = 0) => requestBody(sageMaker.commandCalls(InvokeEndpointCommand)[n]?.args[0].input.Body),
    sentBodies: () => sageMaker.commandCalls(InvokeEndpointCommand).map((call) => requestBody(call.args[0].input.Body)),
  };
}
