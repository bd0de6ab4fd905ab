/**
 * The deployable artifact as Lambda would load it: `npm run build` must produce a bundle within the
 * size budget whose handler, imported in a fresh process, serves the original page's request, against
 * the local SageMaker-compatible endpoint and with the model it bundles. A broken bundle fails here, not
 * in production.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { build as esbuild } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_FILE, DEFAULT_VOCABULARY_FILE } from '../../default-model/files.ts';
import { type ArtifactManifest, LAMBDA_ARTIFACT } from '../../infra/artifact.ts';
import { DEFAULT_ENDPOINT_NAME, type EndpointServer, startEndpointServer } from '../../local/endpoint/server.ts';
import { REQUEST_METRICS } from '../../middlewares/request-metrics.ts';
import {
  builtinsViaRequire,
  bundleHandler,
  DEFERRED_BUILTINS,
  lambdaBuildOptions,
} from '../../scripts/bundle-handler.ts';
import { readXGBoostModel } from '../../src/xgboost/load.ts';
import { S3RVER_CREDENTIALS, startS3Server } from '../reliability/s3-server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The output of a fresh Node process, or its stderr as an error when it fails. */
function runNode(args: string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}: ${stderr}`)))),
  );
}

interface HandlerRun {
  response: { statusCode: number; body: string; headers: Record<string, string> };
  /** Node's `process.moduleLoadList` once the response is out: every built-in the process loaded. */
  loadedModules: string[];
}

/** Imports the built handler in a fresh Node process (as a cold start) and has it answer one event. */
async function runBuiltHandler(env: Record<string, string>, event: object): Promise<HandlerRun> {
  const stdout = await runNode(
    [
      '--input-type=module',
      '-e',
      `const { handler } = await import(process.env.HANDLER_PATH);
       const response = await handler(JSON.parse(process.env.EVENT), { awsRequestId: 'bundle-test', functionName: 'bundle-test', getRemainingTimeInMillis: () => 10000 });
       console.log('RESPONSE ' + JSON.stringify({ response, loadedModules: process.moduleLoadList }));`,
    ],
    { ...env, EVENT: JSON.stringify(event) },
  );
  // On a line of its own: the handler writes its metrics (EMF lines) to stdout too.
  const line = stdout.split('\n').find((each) => each.startsWith('RESPONSE '));
  return JSON.parse(line?.slice('RESPONSE '.length) ?? 'null');
}

/** The built handler's answer to one event, from a fresh process. */
async function invokeBuiltHandler(env: Record<string, string>, event: object): Promise<HandlerRun['response']> {
  return (await runBuiltHandler(env, event)).response;
}

/** One event-stream message (the AWS binary format) with string headers. */
function eventStreamMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const headerBytes = Buffer.concat(
    Object.entries(headers).map(([name, value]) => {
      const nameBytes = Buffer.from(name);
      const valueBytes = Buffer.from(value);
      const header = Buffer.alloc(4 + nameBytes.length + valueBytes.length);
      header.writeUInt8(nameBytes.length, 0);
      nameBytes.copy(header, 1);
      header.writeUInt8(7, 1 + nameBytes.length); // 7: string
      header.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
      valueBytes.copy(header, 4 + nameBytes.length);
      return header;
    }),
  );
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(12 + headerBytes.length + payload.length + 4, 0);
  prelude.writeUInt32BE(headerBytes.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const message = Buffer.concat([prelude, headerBytes, payload, Buffer.alloc(4)]);
  message.writeUInt32BE(crc32(message.subarray(0, message.length - 4)), message.length - 4);
  return message;
}

/** The original web page's request. */
const pageRequest = (body: string) => ({
  httpMethod: 'POST',
  path: '/',
  headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
  body,
  isBase64Encoded: false,
  requestContext: {},
});

/** The EMF documents a handler's process wrote, the cold-start one first. */
const emfDocuments = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line));

/** `metric -> unit` of every metric in `documents`. */
const metricUnits = (documents: { _aws: { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] } }[]) =>
  Object.fromEntries(
    documents.flatMap((document) => document._aws.CloudWatchMetrics[0]?.Metrics.map((m) => [m.Name, m.Unit]) ?? []),
  );

/** The metrics that only an endpoint call has, or only the model in the function. */
const { ModelLatency, ...ENDPOINT_SHAPE_METRICS } = REQUEST_METRICS;
const { EndpointLatency, PayloadBytes, EndpointErrors, ModelErrors, EndpointThrottles, ...IN_PROCESS_METRICS } =
  REQUEST_METRICS;

describe('the built Lambda artifact (npm run build)', () => {
  let endpoint: EndpointServer;
  let buildOutput: string;
  // A private output directory: other suites and benchmarks build dist/ too.
  const workDirectory = mkdtempSync(join(tmpdir(), 'bundle-test-'));
  const outdir = join(workDirectory, 'lambda');

  beforeAll(async () => {
    buildOutput = execFileSync(process.execPath, ['build.mjs', '--outdir', outdir], { cwd: root, encoding: 'utf8' });
    // The bundle carries the default model's vocabulary; the local endpoint serves the default model.
    endpoint = await startEndpointServer();
  });

  afterAll(async () => {
    await endpoint?.close();
    rmSync(workDirectory, { recursive: true, force: true });
  });

  it('is within the size budget kept in build-budget.json, and says so', () => {
    // Prepare
    const { lambdaBundleBytes } = JSON.parse(readFileSync(`${root}build-budget.json`, 'utf8'));

    // Act
    const loadedKb = Number(/index\.mjs: ([\d.]+) KB loaded at cold start/.exec(buildOutput)?.[1]);

    // Assess
    expect(loadedKb).toBeGreaterThan(0);
    expect(loadedKb * 1024).toBeLessThanOrEqual(lambdaBundleBytes);
    expect(buildOutput).toMatch(/largest inputs:/);
  });

  it('holds the handler, its source map, the code it loads on demand, the demo pair and what it bundled', () => {
    // Act
    const files = readdirSync(outdir, { recursive: true, encoding: 'utf8' });
    const manifest = JSON.parse(readFileSync(join(outdir, LAMBDA_ARTIFACT.manifestFile), 'utf8')) as ArtifactManifest;

    // Assess
    expect(files).toEqual(
      expect.arrayContaining([
        LAMBDA_ARTIFACT.entryFile,
        `${LAMBDA_ARTIFACT.entryFile}.map`,
        LAMBDA_ARTIFACT.vocabularyFile,
        LAMBDA_ARTIFACT.modelFile,
        LAMBDA_ARTIFACT.manifestFile,
        'lazy/aws-sdk-client-s3.mjs',
        'lazy/aws-sdk-credential-provider-ini.mjs',
      ]),
    );
    expect(manifest).toMatchObject({
      vocabulary: { from: 'default-model/vocabulary.json', words: 5000, demo: true },
      model: { from: 'default-model/model.ubj', features: 5000, trees: 329, demo: true },
    });
  });

  /** The deployed function's environment, with the local endpoint as the model. */
  const handlerEnv = () => ({
    HANDLER_PATH: join(outdir, LAMBDA_ARTIFACT.entryFile),
    LAMBDA_TASK_ROOT: outdir,
    SAGEMAKER_ENDPOINT_NAME: DEFAULT_ENDPOINT_NAME,
    AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: endpoint.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bundle',
    AWS_SECRET_ACCESS_KEY: 'bundle',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });

  it('serves the original web page request from a fresh process, with the bundled vocabulary', async () => {
    // Prepare
    const env = handlerEnv();
    const callsBefore = endpoint.stats.invocations;

    // Act
    const positive = await invokeBuiltHandler(env, pageRequest('What a wonderful, moving film'));
    const negative = await invokeBuiltHandler(env, pageRequest('A dull, boring, terrible mess.'));

    // Assess
    expect(positive).toMatchObject({ statusCode: 200, body: '1' });
    expect(negative).toMatchObject({ statusCode: 200, body: '0' });
    expect(positive.headers['Access-Control-Allow-Origin']).toBe('*');
    expect(endpoint.stats.invocations - callsBefore).toBe(2);
  });

  it('writes one EMF document per request, for every status class it answers: 200, 400, 413, 502, 503, 504', async () => {
    // Prepare: each request with the endpoint fault (added through its control route) that gives its status.
    const requests = [
      { expect: 200, event: pageRequest('What a wonderful, moving film') },
      { expect: 400, event: pageRequest('   ') },
      // 1.5 MB, over the 1 MiB body limit: built in the child (an environment variable cannot hold it).
      { expect: 413, event: pageRequest(''), oversized: true },
      { expect: 502, event: pageRequest('A moving film'), fault: { kind: 'error', name: 'ModelError' } },
      {
        expect: 503,
        event: pageRequest('A moving film'),
        fault: { kind: 'error', name: 'ThrottlingException', times: 3 },
      },
      {
        expect: 504,
        event: pageRequest('A moving film'),
        fault: { kind: 'latency', ms: 3_000 },
        remainingTimeMs: 1_500,
      },
    ];
    const script = `const { handler } = await import(process.env.HANDLER_PATH);
      const statuses = [];
      for (const { event, fault, oversized, remainingTimeMs = 10000 } of JSON.parse(process.env.REQUESTS)) {
        if (oversized) event.body = 'long '.repeat(300000);
        if (fault) await fetch(process.env.FAULTS_URL, { method: 'POST', body: JSON.stringify(fault) });
        const deadline = Date.now() + remainingTimeMs;
        const context = { awsRequestId: 'emf', functionName: 'emf', getRemainingTimeInMillis: () => deadline - Date.now() };
        statuses.push((await handler(event, context)).statusCode);
      }
      console.log('STATUSES ' + JSON.stringify(statuses));`;

    // Act
    const stdout = await runNode(['--input-type=module', '-e', script], {
      ...handlerEnv(),
      REQUESTS: JSON.stringify(requests),
      FAULTS_URL: `${endpoint.url}/_faults`,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    });
    await endpoint.faults.clear();

    // Assess
    const lines = stdout.trim().split('\n');
    expect(lines.at(-1)).toBe(`STATUSES ${JSON.stringify(requests.map((request) => request.expect))}`);
    const [coldStart, ...perRequest] = emfDocuments(stdout);
    expect(coldStart).toMatchObject({ ColdStart: 1, function_name: 'emf', service: 'sentiment-lambda' });
    expect(perRequest.map((document) => document.StatusClass)).toEqual(['2xx', '4xx', '4xx', '5xx', '5xx', '5xx']);
    expect(metricUnits(perRequest)).toEqual(ENDPOINT_SHAPE_METRICS);
    expect(perRequest[3]).toMatchObject({ EndpointErrors: 1, ModelErrors: 1 });
    expect(perRequest[4]).toMatchObject({ EndpointErrors: 1, EndpointThrottles: 1 });
    expect(perRequest[5]).toMatchObject({ EndpointErrors: 1 });
    for (const document of perRequest) {
      expect(document._aws.CloudWatchMetrics[0]).toMatchObject({
        Namespace: 'SentimentLambda',
        Dimensions: [['service'], ['service', 'StatusClass']],
      });
      expect(JSON.stringify(document)).not.toMatch(/wonderful|moving|film|long/);
    }
  });

  it('serves its first request without loading what only streaming or config files need', async () => {
    // Act
    const { response, loadedModules } = await runBuiltHandler(handlerEnv(), pageRequest('A moving film'));

    // Assess: zlib (event-stream CRCs), fs/promises (the SDK's config-file reader), WebStreams (the
    // SDK's stream collector) each cost cold-start time (scripts/bundle-handler.ts, src/sagemaker/) and serve no request here.
    expect(response.statusCode).toBe(200);
    expect(loadedModules).toContain('NativeModule https');
    expect(loadedModules).not.toContain('NativeModule zlib');
    expect(loadedModules).not.toContain('NativeModule fs/promises');
    expect(loadedModules).not.toContain('NativeModule internal/webstreams/readablestream');
  });

  // What each cold-start measure relies on (docs/cold-start.md): the SDK's own client, bundled the same
  // way, still loads what the measure avoids. When an upgrade stops doing so, this fails: the measure no
  // longer pays and should go.
  it.each([
    {
      measure: 'sdkSettingsFromEnvironment and the deferred fs/promises',
      premise: 'the SDK reads the shared config files, through fs/promises',
      module: 'NativeModule fs/promises',
      plugins: lambdaBuildOptions.plugins,
    },
    {
      measure: 'collectResponseBody',
      premise: "the SDK's stream collector loads WebStreams, for a Node stream",
      module: 'NativeModule internal/webstreams/readablestream',
      plugins: lambdaBuildOptions.plugins,
    },
    {
      measure: 'the lazy event-streams stand-in',
      premise: 'the client loads the event-stream codec, and zlib, at start',
      module: 'NativeModule zlib',
      plugins: lambdaBuildOptions.plugins.filter((plugin) => plugin.name !== 'lazy-event-streams'),
    },
    {
      measure: 'the deferred crypto',
      premise: "Powertools' Logger loads node:crypto at start (for log sampling, off by default)",
      module: 'NativeModule crypto',
      entry: 'test/build/logger-entry.ts',
      plugins: [
        builtinsViaRequire(new Set([...DEFERRED_BUILTINS].filter((name) => name !== 'crypto'))),
        ...lambdaBuildOptions.plugins.filter((plugin) => plugin.name !== 'builtins-via-require'),
      ],
    },
  ])(
    'still needs $measure: without it, $premise',
    async ({ module, plugins, entry = 'test/build/sdk-client-entry.ts' }) => {
      // Prepare: a server that answers every call with a score.
      const server = createServer((request, reply) => {
        request.resume();
        request.on('end', () => reply.writeHead(200, { 'Content-Type': 'text/csv' }).end('0.9'));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const premiseOutdir = mkdtempSync(join(workDirectory, 'premise-'));
      try {
        await esbuild({
          ...lambdaBuildOptions,
          plugins,
          entryPoints: { index: join(root, entry) },
          outdir: premiseOutdir,
          outExtension: { '.js': '.mjs' },
        });
        const { port } = server.address() as AddressInfo;

        // Act
        const stdout = await runNode([join(premiseOutdir, 'index.mjs')], {
          AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: `http://127.0.0.1:${port}`,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'bundle',
          AWS_SECRET_ACCESS_KEY: 'bundle',
          AWS_CONFIG_FILE: join(premiseOutdir, 'config'),
          AWS_SHARED_CREDENTIALS_FILE: join(premiseOutdir, 'credentials'),
        });

        // Assess
        expect(JSON.parse(stdout) as string[]).toContain(module);
      } finally {
        server.close();
      }
    },
  );

  it('still streams InvokeEndpointWithResponseStream replies, loading the event-stream code on demand', async () => {
    // Prepare: a model that streams two payload parts; a client entry bundled as the handler is.
    const parts = ['{"generated_text": "A mov', 'ing film"}'];
    const stream = Buffer.concat(
      parts.map((part) =>
        eventStreamMessage(
          { ':message-type': 'event', ':event-type': 'PayloadPart', ':content-type': 'application/octet-stream' },
          Buffer.from(part),
        ),
      ),
    );
    const requests: string[] = [];
    const server = createServer((request, reply) => {
      requests.push(`${request.method} ${request.url}`);
      request.resume();
      request.on('end', () => {
        reply.writeHead(200, { 'Content-Type': 'application/vnd.amazon.eventstream' });
        reply.end(stream);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const streamingOutdir = join(workDirectory, 'streaming');
    try {
      const { entry } = await bundleHandler({ entry: 'test/build/response-stream-entry.ts', outdir: streamingOutdir });
      const { port } = server.address() as AddressInfo;

      // Act
      const stdout = await runNode([join(streamingOutdir, 'index.mjs')], {
        AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: `http://127.0.0.1:${port}`,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'bundle',
        AWS_SECRET_ACCESS_KEY: 'bundle',
      });

      // Assess: the parts arrived, and the codec was not in the bundle loaded at start.
      expect(JSON.parse(stdout)).toEqual(parts);
      expect(requests).toEqual(['POST /endpoints/streaming-model/invocations-response-stream']);
      const index = Object.entries(entry.metafile.outputs).find(([path]) => path.endsWith('index.mjs'))?.[1];
      const inputs = Object.keys(index?.inputs ?? {});
      expect(inputs).toContain('src/sagemaker/lazy-event-streams.ts');
      expect(inputs.filter((input) => input.includes('event-streams/eventstream-codec'))).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('loads what it imports on demand from lazy/: the S3 client, the SDK credential providers', async () => {
    // Prepare: the vocabulary in a real S3-compatible server; then no credentials in the environment,
    // so the SDK walks its provider chain (instance metadata off: nothing to wait for here).
    const s3 = await startS3Server({ buckets: ['vocabularies'] });
    try {
      await s3.putObject(
        'vocabularies',
        'imdb.json',
        readFileSync(join(outdir, LAMBDA_ARTIFACT.vocabularyFile), 'utf8'),
      );
      const base = {
        HANDLER_PATH: join(outdir, LAMBDA_ARTIFACT.entryFile),
        LAMBDA_TASK_ROOT: outdir,
        SAGEMAKER_ENDPOINT_NAME: DEFAULT_ENDPOINT_NAME,
        AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: endpoint.url,
        AWS_REGION: 'us-east-1',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
      };
      const request = {
        httpMethod: 'POST',
        path: '/',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        body: 'What a wonderful, moving film',
        isBase64Encoded: false,
        requestContext: {},
      };

      // Act
      const fromS3 = await invokeBuiltHandler(
        {
          ...base,
          AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
          VOCABULARY_SOURCE: 's3://vocabularies/imdb.json',
          AWS_ENDPOINT_URL_S3: s3.url,
        },
        request,
      );
      const withoutCredentials = await invokeBuiltHandler(
        { ...base, AWS_EC2_METADATA_DISABLED: 'true', HOME: workDirectory },
        request,
      );

      // Assess: the S3 client ran; the provider chain ran and found nothing (the pipeline's 502).
      expect(fromS3).toMatchObject({ statusCode: 200, body: '1' });
      expect(s3.requests).toContainEqual(
        expect.objectContaining({ method: 'GET', path: '/vocabularies/imdb.json', status: 200 }),
      );
      expect(withoutCredentials).toMatchObject({ statusCode: 502, body: 'The call to the sentiment model failed.' });
    } finally {
      await s3.close();
    }
  });

  it('scores with the model it bundles when no variable names a backend, without loading the AWS SDK', async () => {
    // Prepare: the same artifact, no endpoint named: the bundled model (MODEL_SOURCE's default) scores.
    const env = { HANDLER_PATH: join(outdir, LAMBDA_ARTIFACT.entryFile), LAMBDA_TASK_ROOT: outdir };
    const callsBefore = endpoint.stats.invocations;
    const reviews = ['What a wonderful, moving film', 'A dull, boring, terrible mess.', 'It was fine, I guess.'];

    // Act
    const inProcess = await Promise.all(reviews.map((review) => runBuiltHandler(env, jsonReview(review))));
    const viaEndpoint = await Promise.all(
      reviews.map((review) => invokeBuiltHandler(handlerEnv(), jsonReview(review))),
    );

    // Assess: the endpoint's answers, byte for byte; no call made; no HTTP client loaded.
    expect(inProcess.map(({ response }) => response.body)).toEqual(viaEndpoint.map((response) => response.body));
    expect(inProcess.every(({ response }) => response.statusCode === 200)).toBe(true);
    expect(endpoint.stats.invocations - callsBefore).toBe(reviews.length);
    for (const { loadedModules } of inProcess) {
      expect(loadedModules).not.toContain('NativeModule https');
      expect(loadedModules).not.toContain('NativeModule zlib');
      expect(loadedModules).not.toContain('NativeModule crypto');
    }
  });

  it('writes the in-process metrics: ModelLatency, and none of an endpoint call', async () => {
    // Act
    const stdout = await runNode(
      [
        '--input-type=module',
        '-e',
        `const { handler } = await import(process.env.HANDLER_PATH);
         const context = { awsRequestId: 'emf', functionName: 'emf', getRemainingTimeInMillis: () => 10000 };
         await handler(JSON.parse(process.env.EVENT), context);`,
      ],
      {
        HANDLER_PATH: join(outdir, LAMBDA_ARTIFACT.entryFile),
        LAMBDA_TASK_ROOT: outdir,
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        EVENT: JSON.stringify(pageRequest('A moving film')),
      },
    );

    // Assess
    const [, ...perRequest] = emfDocuments(stdout);
    expect(metricUnits(perRequest)).toEqual(IN_PROCESS_METRICS);
    expect(perRequest[0]).toMatchObject({ StatusClass: '2xx', Requests: 1, Reviews: 1 });
  });

  it('stops the cold start naming both variables when both name a backend', async () => {
    // Act
    const failure = invokeBuiltHandler({ ...handlerEnv(), MODEL_SOURCE: LAMBDA_ARTIFACT.modelFile }, {});

    // Assess
    await expect(failure).rejects.toThrow(/Both SAGEMAKER_ENDPOINT_NAME and MODEL_SOURCE are set/);
  });
});

/** A JSON client's request for one review: the answer carries the score. */
const jsonReview = (review: string) => ({
  ...pageRequest(JSON.stringify({ review })),
  headers: { 'Content-Type': 'application/json' },
});

describe('npm run build -- --model FILE --vocabulary FILE', () => {
  const work = mkdtempSync(join(tmpdir(), 'build-model-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const build = (...args: string[]) =>
    spawnSync(process.execPath, ['build.mjs', ...args], { cwd: root, encoding: 'utf8' });

  it('bundles the model packed, which serves with no variable set, scoring as the model file does', async () => {
    // Prepare: the demo model as SageMaker's training job leaves it, a model.tar.gz of the legacy binary.
    const outdir = join(work, 'tarball');
    const tarball = fileURLToPath(new URL('../fixtures/xgboost/binary-logistic/model.tar.gz', import.meta.url));
    const vocabulary = join(work, 'six-words.json');
    writeFileSync(vocabulary, JSON.stringify(['wonderful', 'moving', 'film', 'awful', 'boring', 'worst']));

    // Act
    const result = build('--model', tarball, '--vocabulary', vocabulary, '--outdir', outdir, '--quiet');
    const answer = await invokeBuiltHandler(
      { HANDLER_PATH: join(outdir, LAMBDA_ARTIFACT.entryFile), LAMBDA_TASK_ROOT: outdir },
      jsonReview('wonderful moving film, wonderful'),
    );

    // Assess: the score of the file itself, through the loader that reads it, on the dense row of counts.
    const { model } = await readXGBoostModel(readFileSync(tarball), tarball);
    const [expected] = model.predictDense([[2, 1, 1, 0, 0, 0]]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body).score).toBe(expected);
    const manifest = JSON.parse(readFileSync(join(outdir, LAMBDA_ARTIFACT.manifestFile), 'utf8')) as ArtifactManifest;
    expect(manifest.model).toMatchObject({ features: 6, trees: 4, demo: false });
    expect(manifest.model?.description).toMatch(/model\.tar\.gz > legacy binary/);
  });

  it('refuses a model and a vocabulary of different widths, naming both, before building anything', () => {
    // Act
    const result = build(
      '--model',
      fileURLToPath(DEFAULT_MODEL_FILE),
      '--vocabulary',
      fileURLToPath(new URL('../fixtures/golden/vocabulary.json', import.meta.url)),
      '--outdir',
      join(work, 'never'),
    );

    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--model .*model\.ubj takes 5000 features, but --vocabulary .* has \d+ words/);
    expect(readdirSync(work)).not.toContain('never');
  });

  it('refuses a model without its vocabulary, and says the demo pair is bundled when neither is named', () => {
    // Act
    const alone = build('--model', join(work, 'some-model.json'), '--outdir', join(work, 'never'));
    const demo = build('--outdir', join(work, 'demo'), '--quiet');

    // Assess
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain('needs --vocabulary FILE too');
    expect(demo.status).toBe(0);
    expect(demo.stderr).toContain('bundling the DEMO model and vocabulary');
  });

  it('without --model, builds an artifact that needs SAGEMAKER_ENDPOINT_NAME or MODEL_SOURCE, and says so', async () => {
    // Prepare
    const outdir = join(work, 'endpoint-shape');
    const result = build('--vocabulary', fileURLToPath(DEFAULT_VOCABULARY_FILE), '--outdir', outdir, '--quiet');

    // Act
    const failure = invokeBuiltHandler(
      { HANDLER_PATH: join(outdir, LAMBDA_ARTIFACT.entryFile), AWS_REGION: 'us-east-1' },
      {},
    );

    // Assess
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(outdir)).not.toContain(LAMBDA_ARTIFACT.modelFile);
    await expect(failure).rejects.toThrow(/Neither SAGEMAKER_ENDPOINT_NAME nor MODEL_SOURCE is set/);
  });
});

describe('npm run build -- --vocabulary FILE', () => {
  const shell = mkdtempSync(join(tmpdir(), 'build-vocabulary-'));
  afterAll(() => rmSync(shell, { recursive: true, force: true }));

  /** `npm run build -- ...` as run from `cwd`: npm runs the script from the project root and says where it was called from. */
  const npmRunBuild = (cwd: string, ...args: string[]) =>
    spawnSync(process.execPath, ['build.mjs', '--quiet', ...args], {
      cwd: root,
      env: { ...process.env, INIT_CWD: cwd },
      encoding: 'utf8',
    });

  it('reads a relative path from where the command was run, as the shell sees it', () => {
    // Prepare
    mkdirSync(join(shell, 'model'));
    writeFileSync(join(shell, 'model/vocabulary.json'), JSON.stringify({ wonderful: 1, dull: 0 }));

    // Act
    const result = npmRunBuild(shell, '--vocabulary', 'model/vocabulary.json', '--outdir', 'out');

    // Assess
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(shell, 'out', LAMBDA_ARTIFACT.vocabularyFile), 'utf8'))).toEqual([
      'dull',
      'wonderful',
    ]);
  });

  it('refuses a file that is not there, naming it, before building anything', () => {
    // Act
    const result = npmRunBuild(shell, '--vocabulary', '/no/such/vocabulary.json', '--outdir', 'never');

    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('build: --vocabulary /no/such/vocabulary.json: no such file');
    expect(readdirSync(shell)).not.toContain('never');
  });

  it('refuses to empty an --outdir that holds something other than an earlier artifact', () => {
    // Prepare: the user's own files, where a mistyped --outdir points.
    mkdirSync(join(shell, 'work'));
    writeFileSync(join(shell, 'work/notes.txt'), 'mine');

    // Act
    const result = npmRunBuild(shell, '--outdir', 'work');

    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`--outdir ${join(shell, 'work')} is not empty and holds no earlier artifact`);
    expect(readFileSync(join(shell, 'work/notes.txt'), 'utf8')).toBe('mine');
  });
});
