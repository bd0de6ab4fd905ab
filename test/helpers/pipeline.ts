/**
 * Shared helpers for the pipeline and middleware suites: a tiny vocabulary whose rows can be checked by
 * hand, SageMaker replies shaped like the SDK's, and a capture of everything Powertools writes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { InvokeEndpointCommandOutput } from '@aws-sdk/client-sagemaker-runtime';
import { vi } from 'vitest';

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
