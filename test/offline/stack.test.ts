/**
 * The offline stack end to end, over real HTTP: `fetch` -> local API Gateway stand-in -> the real Middy
 * handler -> the real AWS SDK (SigV4, retries) -> the SageMaker-compatible endpoint with injected faults.
 * Also `npm start` as a real process (start, answer, Ctrl-C) and its port-in-use message.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_FILE } from '../../default-model/files.ts';
import { DEFAULT_ENDPOINT_NAME } from '../../local/endpoint/server.ts';
import { createHttpFront, type ProxyHandler } from '../../local/http-front.ts';
import { loadLocalModel } from '../../local/model/default-model.ts';
import { createLocalHandler, type EndpointStack, PortInUseError, startLocalStack } from '../../local/stack.ts';
import { createPayloadEncoder } from '../../src/encoder/payload.ts';
import { lambdaContext } from '../../src/testing/events.ts';
import { DEFAULT_MODEL_FACTS } from '../helpers/model-card.ts';
import { freePort } from '../helpers/net.ts';
import { pageRequest } from '../helpers/pipeline.ts';

/** A SageMaker model.tar.gz (legacy binary xgboost-model inside): 4 trees over 6 features. */
const TARBALL = fileURLToPath(new URL('../fixtures/xgboost/binary-logistic/model.tar.gz', import.meta.url));

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const POSITIVE = 'What a wonderful, moving film';
const NEGATIVE = 'Awful, boring, stupid and terrible. The worst film I have ever seen.';
/** What the original page sends: the raw textarea text as a CORS "simple" request. */
const TEXT_PLAIN = { 'Content-Type': 'text/plain;charset=UTF-8' };
const JSON_BODY = { 'Content-Type': 'application/json' };

interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

async function post(url: string, body: string, headers: Record<string, string> = TEXT_PLAIN): Promise<Reply> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A port that was free a moment ago. */
describe('offline stack over HTTP', () => {
  let stack: EndpointStack;
  /** Endpoint invocations since `mark()`. */
  let mark: () => () => number;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, endpointPort: 0, metrics: false });
    mark = () => {
      const start = stack.endpoint.stats.invocations;
      return () => stack.endpoint.stats.invocations - start;
    };
  });

  afterEach(() => {
    stack.endpoint.faults.clear();
  });

  afterAll(async () => {
    await stack?.close();
  });

  describe('the original contract and the JSON API', () => {
    it('listens on the ephemeral ports it was given', () => {
      // Assess
      expect(stack.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*\/$/);
      expect(stack.endpointUrl).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
      expect(new URL(stack.url).port).not.toBe(new URL(stack.endpointUrl).port);
    });

    it('answers 1 to a positive review sent as text/plain, in one endpoint call', async () => {
      // Prepare
      const calls = mark();

      // Act
      const reply = await post(stack.url, POSITIVE);

      // Assess
      expect(reply.status).toBe(200);
      expect(reply.text).toBe('1');
      expect(reply.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(reply.headers.get('access-control-allow-origin')).toBe('*');
      expect(calls()).toBe(1);
    });

    it('answers 0 to a clearly negative review', async () => {
      // Act
      const reply = await post(stack.url, NEGATIVE);

      // Assess
      expect(reply.status).toBe(200);
      expect(reply.text).toBe('0');
    });

    it('answers {"review"} with sentiment, label and score', async () => {
      // Act
      const reply = await post(stack.url, JSON.stringify({ review: POSITIVE }), JSON_BODY);

      // Assess
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      const body = JSON.parse(reply.text);
      expect(body).toEqual({ sentiment: 1, label: 'POSITIVE', score: expect.any(Number) });
      expect(body.score).toBeGreaterThan(0.5);
      expect(body.score).toBeLessThanOrEqual(1);
    });

    it('answers {"reviews": [3]} with 3 results in request order, from ONE endpoint call', async () => {
      // Prepare
      const calls = mark();
      const reviews = [POSITIVE, NEGATIVE, 'A brilliant, beautiful and touching story.'];

      // Act
      const reply = await post(stack.url, JSON.stringify({ reviews }), JSON_BODY);

      // Assess
      expect(reply.status).toBe(200);
      const { results } = JSON.parse(reply.text) as { results: { sentiment: number; label: string; score: number }[] };
      expect(results.map((result) => result.label)).toEqual(['POSITIVE', 'NEGATIVE', 'POSITIVE']);
      expect(results.map((result) => result.sentiment)).toEqual([1, 0, 1]);
      expect(results[1]?.score).toBeLessThan(0.5);
      expect(calls()).toBe(1);
      expect(stack.endpoint.stats.last?.rows).toBe(3);
    });

    it('answers JSON with the score to a text/plain body that accepts application/json (what the page sends)', async () => {
      // Act
      const reply = await post(stack.url, NEGATIVE, { ...TEXT_PLAIN, Accept: 'application/json' });

      // Assess
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      // One review, one result object, as for {"review": ...}.
      const body = JSON.parse(reply.text);
      expect(body).toEqual({ sentiment: 0, label: 'NEGATIVE', score: expect.any(Number) });
      expect(body.score).toBeLessThan(0.5);
      expect(body.score).toBeGreaterThanOrEqual(0);
    });

    it('serves the web page at GET /', async () => {
      // Act
      const response = await fetch(stack.url);
      const html = await response.text();

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(html).toContain('<textarea id="review"');
      expect(html).toContain('<script src="app.js">');
    });
  });

  describe('endpoint faults: each mapped to its status, with CORS, and the next request fine', () => {
    /** Asserts the fault reply, then that an ordinary request right after it succeeds. */
    async function expectFaultThenRecovery(reply: Reply, status: number): Promise<void> {
      expect(reply.status, reply.text).toBe(status);
      expect(reply.headers.get('access-control-allow-origin')).toBe('*');
      expect(reply.text).not.toBe('1');
      expect(reply.text.length).toBeGreaterThan(0);
      const next = await post(stack.url, POSITIVE);
      expect(next.status).toBe(200);
      expect(next.text).toBe('1');
    }

    it('ModelError -> 502, not retried', async () => {
      // Prepare
      stack.endpoint.faults.error('ModelError', { originalStatusCode: 500, originalMessage: 'boom' });
      const calls = mark();

      // Act
      const reply = await post(stack.url, POSITIVE);

      // Assess
      expect(calls()).toBe(1);
      expect(reply.text).toMatch(/model failed/i);
      expect(reply.text).not.toContain('boom'); // container detail stays in the log
      await expectFaultThenRecovery(reply, 502);
    });

    it('ValidationError (e.g. no such endpoint) -> 502', async () => {
      // Prepare
      stack.endpoint.faults.error('ValidationError', { message: 'Endpoint x of account y not found.' });

      // Act
      const reply = await post(stack.url, POSITIVE);

      // Assess
      expect(reply.text).toMatch(/rejected the call/);
      await expectFaultThenRecovery(reply, 502);
    });

    it('ModelNotReadyException on every attempt -> 503 with Retry-After', async () => {
      // Prepare: 429 is retried by the SDK (3 attempts), so the fault must outlast them.
      stack.endpoint.faults.error('ModelNotReadyException', { times: 3 });
      const calls = mark();

      // Act
      const reply = await post(stack.url, POSITIVE);

      // Assess
      expect(calls()).toBe(3);
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
      await expectFaultThenRecovery(reply, 503);
    });

    it('ThrottlingException on more calls than the SDK attempts -> 503 with Retry-After, after 3 attempts', async () => {
      // Prepare
      stack.endpoint.faults.error('ThrottlingException', { times: 4 });
      const calls = mark();

      // Act
      const reply = await post(stack.url, POSITIVE);

      // Assess
      expect(calls()).toBe(3);
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
      stack.endpoint.faults.clear(); // the 4th throttle is left over
      await expectFaultThenRecovery(reply, 503);
    });

    it('a single ThrottlingException is retried transparently: 200, two endpoint calls', async () => {
      // Prepare
      stack.endpoint.faults.error('ThrottlingException');
      const calls = mark();

      // Act
      const reply = await post(stack.url, POSITIVE);

      // Assess
      expect(reply.status).toBe(200);
      expect(reply.text).toBe('1');
      expect(calls()).toBe(2);
    });

    it('a dropped connection on every attempt -> 502 (endpoint unreachable), not a timeout', async () => {
      // Prepare
      stack.endpoint.faults.drop(3);
      const calls = mark();

      // Act
      const reply = await post(stack.url, POSITIVE);

      // Assess
      expect(calls()).toBe(3);
      expect(stack.endpoint.stats.byStatus.dropped).toBeGreaterThanOrEqual(3);
      await expectFaultThenRecovery(reply, 502);
    });

    it('a non-numeric model answer -> 502', async () => {
      // Prepare
      stack.endpoint.faults.body('<html>oops</html>');

      // Act
      const reply = await post(stack.url, POSITIVE);

      // Assess
      expect(reply.text).toMatch(/could not be read/);
      await expectFaultThenRecovery(reply, 502);
    });

    it('too few scores for a batch -> 502 (JSON error body for a JSON client)', async () => {
      // Prepare
      stack.endpoint.faults.body('0.9\n');

      // Act
      const reply = await post(stack.url, JSON.stringify({ reviews: [POSITIVE, NEGATIVE, POSITIVE] }), JSON_BODY);

      // Assess
      expect(JSON.parse(reply.text)).toMatchObject({ error: { status: 502, message: expect.any(String) } });
      await expectFaultThenRecovery(reply, 502);
    });
  });

  describe('an endpoint slower than the Lambda timeout', () => {
    let front: Server;
    let frontUrl: string;

    beforeAll(async () => {
      const handler = createLocalHandler(stack.endpointUrl, stack.model.vocabulary, {
        logger: new Logger({ serviceName: 'offline-timeout-test', logLevel: 'SILENT' }),
        metrics: false,
      });
      front = createHttpFront({ handler: handler as unknown as ProxyHandler, timeoutMs: 1500 });
      front.listen(0, '127.0.0.1');
      await once(front, 'listening');
      frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}/`;
    });

    afterAll(async () => {
      front?.closeAllConnections();
      await new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve()));
    });

    it('answers 504 before the Lambda timeout (1.5 s), well before the endpoint (3 s), then recovers', async () => {
      // Prepare
      stack.endpoint.faults.latency(3000);
      const started = performance.now();

      // Act
      const reply = await post(frontUrl, POSITIVE);
      const elapsed = performance.now() - started;

      // Assess
      expect(reply.status).toBe(504);
      expect(reply.text).toMatch(/did not answer in time/);
      expect(reply.headers.get('access-control-allow-origin')).toBe('*');
      expect(elapsed).toBeGreaterThanOrEqual(900); // 1500 ms minus the 500 ms kept back
      expect(elapsed).toBeLessThan(1500);
      const next = await post(frontUrl, POSITIVE);
      expect(next.status).toBe(200);
      expect(next.text).toBe('1');
    });
  });

  describe('ports', () => {
    it('a second stack on the same port fails with a PortInUseError that names the port and `npm start`', async () => {
      // Prepare
      const port = Number(new URL(stack.url).port);

      // Act
      const attempt = startLocalStack({ port, endpointPort: 0 });

      // Assess
      const error = await attempt.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toContain(`Port ${port}`);
      expect((error as Error).message).toContain('npm start');
      expect((error as Error).message).toContain('--port');
      // The first stack is unharmed.
      expect((await post(stack.url, POSITIVE)).text).toBe('1');
    });

    it('a second stack on the same endpoint port names --endpoint-port', async () => {
      // Prepare
      const endpointPort = Number(new URL(stack.endpointUrl).port);

      // Act
      const error = await startLocalStack({ port: 0, endpointPort }).then(
        () => undefined,
        (reason: unknown) => reason,
      );

      // Assess
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toContain(`Port ${endpointPort}`);
      expect((error as Error).message).toContain('--endpoint-port');
    });
  });
});

describe('npm start as a real process', () => {
  const children: ChildProcess[] = [];

  interface Started {
    child: ChildProcess;
    output: () => string;
    errors: () => string;
    exited: Promise<number | null>;
  }

  function start(...args: string[]): Started {
    const child = spawn(process.execPath, ['local/start.ts', ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORT: '', ENDPOINT_PORT: '' },
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = once(child, 'exit').then(([code]) => code as number | null);
    return { child, output: () => stdout, errors: () => stderr, exited };
  }

  /** Resolves with the web page URL once the process prints it; rejects if it exits first. */
  async function urlOf(started: Started, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = /Web page\s+(http:\/\/\S+)/.exec(started.output());
      if (match) return match[1] as string;
      if (started.child.exitCode !== null) {
        throw new Error(`npm start exited ${started.child.exitCode}: ${started.output()}${started.errors()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`npm start printed no URL in ${timeoutMs} ms: ${started.output()}${started.errors()}`);
  }

  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('starts on free ports, prints the real URL, answers, and stops cleanly on Ctrl-C (exit 0, "Stopped.")', async () => {
    // Prepare
    const started = start('--port', '0', '--endpoint-port', '0');
    const url = await urlOf(started);

    // Act
    const reply = await post(url, POSITIVE);
    const page = await fetch(url);
    started.child.kill('SIGINT');
    const code = await started.exited;

    // Assess
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*\/$/);
    expect(started.output()).toMatch(/SageMaker endpoint\s+http:\/\/127\.0\.0\.1:[1-9]\d*/);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('1');
    expect(await page.text()).toContain('<textarea');
    expect(started.output()).toContain(`Model              default-model/model.ubj (${DEFAULT_MODEL_FACTS})`);
    expect(started.output()).toContain('Vocabulary         default-model/vocabulary.json');
    // The request's metrics, as the deployed function writes them (CloudWatch EMF).
    const emf = started
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{"_aws"'))
      .map((line) => JSON.parse(line));
    expect(emf).toContainEqual(expect.objectContaining({ StatusClass: '2xx', Requests: 1, Reviews: 1 }));
    expect(code).toBe(0);
    expect(started.output()).toContain('Stopped.');
    await expect(fetch(url)).rejects.toThrow();
  });

  it('prints what a handler of your own needs to call the endpoint: its URL, its name, a region and credentials', async () => {
    // Prepare
    const started = start('--port', '0', '--endpoint-port', '0');
    await urlOf(started);
    const endpointUrl = /SageMaker endpoint (http:\/\/127\.0\.0\.1:\d+), endpoint name (\S+)/.exec(started.output());

    // Act: the README's handler of your own, as a user runs it, with the variables the banner printed.
    const variables =
      /AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME=\S+ SAGEMAKER_ENDPOINT_NAME=\S+ \\\n\s+AWS_REGION=\S+ AWS_ACCESS_KEY_ID=\S+ AWS_SECRET_ACCESS_KEY=\S+/
        .exec(started.output())?.[0]
        .replace(/\\\n\s+/, ' ');
    const env = Object.fromEntries((variables ?? '').split(' ').map((pair) => pair.split('=') as [string, string]));
    const { createHandler } = await import('../../src/pipeline.ts');
    const handler = createHandler({
      endpointName: env.SAGEMAKER_ENDPOINT_NAME as string,
      vocabulary: { source: 'default-model/vocabulary.json' },
      clientConfig: {
        endpoint: env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME,
        region: env.AWS_REGION,
        credentials: {
          accessKeyId: env.AWS_ACCESS_KEY_ID as string,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY as string,
        },
      },
      logger: new Logger({ serviceName: 'banner-test', logLevel: 'SILENT' }),
      metrics: false,
    });
    const reply = await handler(pageRequest(POSITIVE), lambdaContext());
    started.child.kill('SIGINT');
    await started.exited;

    // Assess
    expect(endpointUrl?.[2]).toBe(DEFAULT_ENDPOINT_NAME);
    expect(env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME).toBe(endpointUrl?.[1]);
    expect(reply).toMatchObject({ statusCode: 200, body: '1' });
  });

  it('with --in-process scores with the model in the handler, starts no endpoint, and says so', async () => {
    // Prepare
    const started = start('--port', '0', '--endpoint-port', '0', '--in-process');
    const url = await urlOf(started);

    // Act
    const positive = await post(url, POSITIVE);
    const negative = await post(url, NEGATIVE);
    const model = await (await fetch(`${url}_model`)).json();
    started.child.kill('SIGINT');
    const code = await started.exited;

    // Assess
    expect([positive.text, negative.text]).toEqual(['1', '0']);
    expect(started.output()).toContain('Scoring            in process (--in-process)');
    expect(started.output()).not.toContain('SageMaker endpoint');
    expect(model).toMatchObject({ scoring: 'in-process', features: 5000 });
    const emf = started
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{"_aws"'))
      .map((line) => JSON.parse(line));
    expect(emf[0]).toMatchObject({ ModelLatency: expect.any(Number) });
    expect(emf[0]).not.toHaveProperty('EndpointLatency');
    expect(code).toBe(0);
  });

  it('a second `npm start` on the same port exits non-zero with the "already in use" message', async () => {
    // Prepare
    const port = String(await freePort());
    const first = start('--port', port, '--endpoint-port', '0');
    const url = await urlOf(first);

    // Act
    const second = start('--port', port, '--endpoint-port', '0');
    const code = await second.exited;

    // Assess
    expect(url).toBe(`http://127.0.0.1:${port}/`);
    expect(code).not.toBe(0);
    expect(second.errors()).toContain(`Port ${port}`);
    expect(second.errors()).toContain('already in use');
    expect(second.errors()).toContain('npm start');
    expect(second.output()).not.toContain('is running');
    // The first one is still serving, and still stops cleanly.
    expect((await post(url, NEGATIVE)).text).toBe('0');
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
  });

  it('serves the model given with --model (here SageMaker model.tar.gz) with the --vocabulary given, and says so', async () => {
    // Prepare: a 6-feature fixture model and a 6-word vocabulary.
    const dir = mkdtempSync(join(tmpdir(), 'npm-start-model-'));
    try {
      const vocabulary = join(dir, 'vocabulary.json');
      writeFileSync(vocabulary, JSON.stringify(['wonderful', 'moving', 'film', 'awful', 'boring', 'worst']));
      const started = start('--port', '0', '--endpoint-port', '0', '--model', TARBALL, '--vocabulary', vocabulary);
      const url = await urlOf(started);
      const local = await loadLocalModel({ modelFile: TARBALL, vocabularyFile: vocabulary });
      const row = createPayloadEncoder(local.vocabulary).encodeRow(POSITIVE);

      // Act
      const reply = await post(url, POSITIVE, { ...TEXT_PLAIN, Accept: 'application/json' });
      const model = await (await fetch(`${url}_model`)).json();
      started.child.kill('SIGINT');
      await started.exited;

      // Assess
      expect(started.output()).toMatch(/Model\s+\S*model\.tar\.gz \(XGBoost, 4 trees, 6 features\)/);
      expect(JSON.parse(reply.text).score).toBe(local.model.predictDense([row.split(',').map(Number)])[0]);
      expect(model).toMatchObject({ trees: 4, features: 6, vocabulary: expect.stringContaining('vocabulary.json') });
      expect(model).not.toHaveProperty('accuracy');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      'a vocabulary as wide as another model',
      ['--vocabulary', 'test/fixtures/golden/vocabulary.json'],
      /the model takes 5000 features, but the vocabulary \S+ has \d+ words/,
    ],
    ['a truncated model file', ['--model', 'TRUNCATED'], /default-model\.ubj: .*(truncated|ends|unexpected end)/i],
    [
      'a model file that is not there',
      ['--model', 'no-such-model.ubj'],
      /no-such-model\.ubj: cannot read the model: no such file/,
    ],
  ])(
    'refuses to start with %s, naming the file and what is wrong, without a stack trace',
    async (_case, args, message) => {
      // Prepare
      const dir = mkdtempSync(join(tmpdir(), 'npm-start-refused-'));
      try {
        const truncated = join(dir, 'default-model.ubj');
        writeFileSync(truncated, readFileSync(DEFAULT_MODEL_FILE).subarray(0, 100_000));
        const started = start(
          '--port',
          '0',
          '--endpoint-port',
          '0',
          ...args.map((arg) => (arg === 'TRUNCATED' ? truncated : arg)),
        );

        // Act
        const code = await started.exited;

        // Assess
        expect(code).toBe(1);
        expect(started.errors()).toMatch(message);
        expect(started.errors()).not.toMatch(/\n\s+at /);
        expect(started.output()).not.toContain('is running');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it.each([
    ['an unknown flag', ['--prot', '3000'], /Unknown option '--prot'/],
    ['a flag without its value', ['--model'], /Option '--model <value>' argument missing/],
    [
      'a log level Powertools does not know',
      ['--log-level', 'LOUD'],
      /--log-level must be one of TRACE, DEBUG, .* got "LOUD"/,
    ],
    ['a port that is not one', ['--port', 'http'], /--port must be a port number \(0-65535\), got "http"/],
  ])('refuses %s with status 2, the reason and the usage, without a stack trace', async (_case, args, message) => {
    // Act
    const started = start('--endpoint-port', '0', ...args);
    const code = await started.exited;

    // Assess
    expect(code).toBe(2);
    expect(started.errors()).toMatch(message);
    expect(started.errors()).toContain('Usage: npm start --');
    expect(started.errors()).not.toMatch(/\n\s+at /);
  });
});
