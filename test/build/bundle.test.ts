/**
 * The deployable artifact as Lambda would load it: `node build.mjs` must produce a bundle within the
 * size budget whose handler, imported in a fresh process, serves the original page's request against
 * the local SageMaker-compatible endpoint. A broken bundle fails here, not in production.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ARTIFACT } from '../../infra/artifact.ts';
import { DEFAULT_ENDPOINT_NAME, type EndpointServer, startEndpointServer } from '../../local/endpoint/server.ts';
import { S3RVER_CREDENTIALS, startS3Server } from '../reliability/s3-server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** File names in a ZIP archive, read from its central directory. */
function zipEntries(zip: Buffer): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(end + 16);
  for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const local = zip.readUInt32LE(at + 42);
    const size = zip.readUInt32LE(at + 20);
    const data = zip
      .subarray(local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28))
      .subarray(0, size);
    entries.set(name, inflateRawSync(data));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** Imports the built handler in a fresh Node process (as a cold start) and returns its answer to one event. */
function invokeBuiltHandler(
  env: Record<string, string>,
  event: object,
): Promise<{ statusCode: number; body: string; headers: Record<string, string> }> {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { handler } = await import(process.env.HANDLER_PATH);
       const response = await handler(JSON.parse(process.env.EVENT), { awsRequestId: 'bundle-test', functionName: 'bundle-test', getRemainingTimeInMillis: () => 10000 });
       process.stdout.write(JSON.stringify(response));`,
    ],
    { env: { PATH: process.env.PATH, ...env, EVENT: JSON.stringify(event) }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`exit ${code}: ${stderr}`)),
    ),
  );
}

describe('the built Lambda artifact (node build.mjs)', () => {
  let endpoint: EndpointServer;
  let buildOutput: string;
  // A private output directory: other suites and benchmarks build dist/ too.
  const workDirectory = mkdtempSync(join(tmpdir(), 'bundle-test-'));
  const outdir = join(workDirectory, 'lambda');

  beforeAll(async () => {
    buildOutput = execFileSync(process.execPath, ['build.mjs', '--outdir', outdir], { cwd: root, encoding: 'utf8' });
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

  it('zips the handler, its source map, the packages it loads on demand and the vocabulary for upload', () => {
    // Act
    const entries = zipEntries(readFileSync(`${outdir}.zip`));

    // Assess
    expect([...entries.keys()]).toEqual(
      expect.arrayContaining([
        LAMBDA_ARTIFACT.entryFile,
        `${LAMBDA_ARTIFACT.entryFile}.map`,
        LAMBDA_ARTIFACT.vocabularyFile,
      ]),
    );
    const lazy = readdirSync(join(outdir, 'lazy'), { recursive: true, encoding: 'utf8' }).filter((name) =>
      name.endsWith('.mjs'),
    );
    expect(lazy).toEqual(expect.arrayContaining(['aws-sdk-client-s3.mjs', 'aws-sdk-credential-provider-ini.mjs']));
    for (const name of lazy) expect(entries.has(`lazy/${name}`), `lazy/${name} in the zip`).toBe(true);
    expect(entries.get(LAMBDA_ARTIFACT.entryFile)?.equals(readFileSync(join(outdir, LAMBDA_ARTIFACT.entryFile)))).toBe(
      true,
    );
  });

  it('serves the original web page request from a fresh process, with the bundled vocabulary', async () => {
    // Prepare
    const env = {
      HANDLER_PATH: join(outdir, LAMBDA_ARTIFACT.entryFile),
      LAMBDA_TASK_ROOT: outdir,
      SAGEMAKER_ENDPOINT_NAME: DEFAULT_ENDPOINT_NAME,
      AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: endpoint.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bundle',
      AWS_SECRET_ACCESS_KEY: 'bundle',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    };
    const pageRequest = (body: string) => ({
      httpMethod: 'POST',
      path: '/',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body,
      isBase64Encoded: false,
      requestContext: {},
    });
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

  it('stops the cold start with a message naming the variable when the configuration is missing', async () => {
    // Act
    const failure = invokeBuiltHandler(
      { HANDLER_PATH: join(outdir, LAMBDA_ARTIFACT.entryFile), AWS_REGION: 'us-east-1' },
      {},
    );

    // Assess
    await expect(failure).rejects.toThrow(/SAGEMAKER_ENDPOINT_NAME is not set/);
  });
});
