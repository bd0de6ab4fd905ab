/**
 * The package as a user gets it: `npm pack`, the tarball installed into a new project, and used from
 * there the four ways users use it, with plain Node (no bundler, no type stripping), `tsc`, `npx` and a
 * CDK app. An import that works inside this repository can still fail from `node_modules`; only this
 * test sees that.
 *
 * The package is packed from a copy of the working tree (its own `prepack` build writes lib/ and
 * dist/ there, not here, where other suites build dist/ too), and installed with `npm ci --offline`
 * from a lockfile taken from this repository's (./consumer-lockfile.ts): no network.
 */
import { execFile, type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_FILE } from '../../default-model/files.ts';
import { DEFAULT_ENDPOINT_NAME, type EndpointServer, startEndpointServer } from '../../local/endpoint/server.ts';
import { loadDefaultModel } from '../../local/model/default-model.ts';
import { createLocalHandler } from '../../local/stack.ts';
import { copyRepository } from '../../scripts/working-tree.ts';
import { payloadEncoderFor } from '../../src/encoder/payload.ts';
import { lambdaContext, restApiEvent } from '../../src/testing/index.ts';
import { consumerLockfile, type Lockfile } from './consumer-lockfile.ts';

type Json = Record<string, unknown>;

const root = join(import.meta.dirname, '../..');
const fixtures = join(import.meta.dirname, 'consumer');
/** What the consumer installs beside the tarball: the peer dependency, and what its tsc and CDK app use. */
const CONSUMER_DEPENDENCIES = ['@middy/core', '@types/node', 'aws-cdk-lib', 'constructs'];
const REVIEWS = ['What a wonderful, moving film', 'A dull, boring, terrible mess.', 'Not good. Not bad.'];

let work: string;
let consumer: string;
let packed: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };
let endpoint: EndpointServer;

/** The environment of the consumer's commands: Node 24 (this one) first on PATH, the local endpoint, no AWS account. */
function consumerEnv(): NodeJS.ProcessEnv {
  return {
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    HOME: process.env.HOME,
    // The run's temporary directory (test/setup/temporary-root.ts), where npm's compile cache goes too, and
    // no npm log file in HOME: the consumer's commands leave nothing behind.
    TMPDIR: process.env.TMPDIR,
    npm_config_logs_max: '0',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'consumer',
    AWS_SECRET_ACCESS_KEY: 'consumer',
    AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: endpoint.url,
    SAGEMAKER_ENDPOINT_NAME: DEFAULT_ENDPOINT_NAME,
    VOCABULARY_SOURCE: join(consumer, 'vocabulary.json'),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    CDK_DISABLE_VERSION_CHECK: '1',
  };
}

function run(command: string, args: string[], cwd = consumer): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: consumerEnv(), encoding: 'utf8', timeout: 120_000 });
}

/** {@link run} without blocking this process: for commands that call the endpoint it serves. */
function runAsync(command: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: consumer, env: consumerEnv(), timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sentiment-consumer-'));
  endpoint = await startEndpointServer();
  const copy = join(work, 'package');
  copyRepository(copy);
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: copy,
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, npm_config_logs_max: '0' },
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  [packed] = JSON.parse(pack.stdout);

  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  const repository = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lockfile;
  const dependencies = Object.fromEntries(
    CONSUMER_DEPENDENCIES.map((name) => [name, repository.packages[`node_modules/${name}`]?.version as string]),
  );
  const spec = `file:../${packed.filename}`;
  const manifest = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'));
  const lockfile = consumerLockfile(
    repository,
    {
      name: manifest.name,
      version: manifest.version,
      integrity: (packed as never as { integrity: string }).integrity,
      spec,
      manifest,
    },
    dependencies,
    'consumer',
  );
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      version: '1.0.0',
      type: 'module',
      dependencies: { 'sentiment-lambda': spec, ...dependencies },
    }),
  );
  writeFileSync(join(consumer, 'package-lock.json'), JSON.stringify(lockfile));
  cpSync(fixtures, consumer, { recursive: true });
  copyFileSync(join(root, 'examples/composed-handler.mjs'), join(consumer, 'composed-handler.mjs'));
  writeFileSync(join(consumer, 'vocabulary.json'), JSON.stringify((await loadDefaultModel()).vocabulary.toJSON()));
  copyFileSync(DEFAULT_MODEL_FILE, join(consumer, 'model.ubj'));
  const install = run('npm', ['ci', '--offline', '--no-audit', '--no-fund']);
  if (install.status !== 0) throw new Error(`npm ci --offline failed: ${install.stderr}`);
}, 600_000);

afterAll(async () => {
  await endpoint?.close();
  if (work !== undefined && !process.env.KEEP_CONSUMER) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the built library, the Lambda artifact and the sources its maps point to, and nothing else', () => {
    // Prepare
    const paths = packed.files.map((file) => file.path);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const targets = Object.values(manifest.exports as Record<string, string | Record<string, string>>).flatMap(
      (target) => (typeof target === 'string' ? [target] : Object.values(target)),
    );

    // Act
    const topLevel = new Set(paths.map((path) => path.split('/')[0]));

    // Assess
    expect([...topLevel].sort()).toEqual(
      ['LICENSE', 'README.md', 'dist', 'infra', 'lib', 'middlewares', 'package.json', 'schemas', 'src'].sort(),
    );
    for (const target of targets) expect(paths, target).toContain(target.replace(/^\.\//, ''));
    expect(paths).toContain(manifest.bin['sentiment-lambda']);
    expect(paths).toContain('dist/lambda/index.mjs');
    expect(paths).toContain('dist/lambda/vocabulary.json');
    expect(paths.filter((path) => path.startsWith('dist/') && !path.startsWith('dist/lambda/'))).toEqual([]);
    console.info(
      `sentiment-lambda tarball: ${paths.length} files, ${packed.size} bytes (${packed.unpackedSize} unpacked)`,
    );
  });
});

describe('in a project that installed the tarball', () => {
  it('plain Node composes the middlewares and createHandler, in both shapes, and answers as this repository does', async () => {
    // Prepare
    // This repository's handler, quiet: only the answers are compared.
    const reference = createLocalHandler(endpoint.url, (await loadDefaultModel()).vocabulary, {
      logger: new Logger({ serviceName: 'reference', logLevel: 'SILENT' }),
      metrics: false,
    });
    const expected = [];
    for (const review of REVIEWS) {
      const response = await reference(restApiEvent({ body: review }), lambdaContext());
      expected.push({ statusCode: response.statusCode, body: response.body });
    }

    // Act
    const result = await runAsync(process.execPath, ['invoke.mjs', JSON.stringify(REVIEWS)]);

    // Assess
    expect(result.status, result.stderr).toBe(0);
    const resultLine = result.stdout.split('\n').find((line) => line.startsWith('RESULT '));
    const { answers, answersInProcess, labels, labelsInProcess } = JSON.parse(
      resultLine?.slice('RESULT '.length) ?? 'null',
    );
    const metrics = result.stdout.split('\n').filter((line) => line.includes('"CloudWatchMetrics"'));
    const expectedLabels = expected.map(({ body }) => (body === '0' ? 'NEGATIVE' : 'POSITIVE'));
    expect(metrics.length).toBeGreaterThanOrEqual(2 * REVIEWS.length);
    expect(answers).toEqual(expected);
    expect(answersInProcess).toEqual(expected);
    expect(labels).toEqual(expectedLabels);
    expect(labelsInProcess).toEqual(expectedLabels);
  });

  it('type-checks a typed consumer, in which a context the middleware did not add is an error', () => {
    // Prepare
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const typed = readFileSync(join(consumer, 'typed.ts'), 'utf8');
    writeFileSync(join(consumer, 'untyped.ts'), typed.replace(/^\s*\/\/ @ts-expect-error.*$/m, ''));
    writeFileSync(
      join(consumer, 'tsconfig.untyped.json'),
      JSON.stringify({ extends: './tsconfig.json', files: ['untyped.ts'] }),
    );

    // Act
    const checked = run(process.execPath, [tsc, '-p', 'tsconfig.json']);
    const withoutDirective = run(process.execPath, [tsc, '-p', 'tsconfig.untyped.json']);

    // Assess
    expect(checked.status, checked.stdout).toBe(0);
    expect(withoutDirective.status).not.toBe(0);
    expect(withoutDirective.stdout).toMatch(/untyped\.ts.*error TS2339: Property 'vocabulary' does not exist/);
    expect(withoutDirective.stdout.match(/error TS/g)).toHaveLength(1);
  });

  it('runs the sentiment-lambda command from the installed bin', async () => {
    // Prepare
    const { vocabulary } = await loadDefaultModel();
    const input = `${REVIEWS.map((review) => JSON.stringify(review)).join('\n')}\n`;

    // Act
    const result = spawnSync('npx', ['--offline', 'sentiment-lambda', 'encode', '--vocabulary', 'vocabulary.json'], {
      cwd: consumer,
      env: consumerEnv(),
      input,
      encoding: 'utf8',
    });

    // Assess
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      `${REVIEWS.map((review) => payloadEncoderFor(vocabulary).encodeRow(review)).join('\n')}\n`,
    );
  });

  it('synthesizes the CDK construct from sentiment-lambda/infra, deploying the artifact the package ships', () => {
    // Prepare
    const outdir = join(work, 'cdk.out');

    // Act
    const result = run(process.execPath, ['cdk-app.mjs', outdir]);

    // Assess
    expect(result.status, result.stderr).toBe(0);
    const template = JSON.parse(readFileSync(join(outdir, 'ConsumerStack.template.json'), 'utf8'));
    const functions = Object.values(template.Resources as Record<string, { Type: string; Properties: Json }>).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    expect(functions).toHaveLength(1);
    expect(functions[0]?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler' });
    const assetKey = (functions[0]?.Properties.Code as { S3Key?: string } | undefined)?.S3Key;
    const assets = JSON.parse(readFileSync(join(outdir, 'ConsumerStack.assets.json'), 'utf8'));
    const [asset] = Object.values(
      assets.files as Record<string, { source: { path: string }; destinations: Json }>,
    ).filter((file) =>
      Object.values(file.destinations).some((destination) => (destination as Json).objectKey === assetKey),
    );
    expect(readdirSync(join(outdir, asset?.source.path as string))).toEqual(
      expect.arrayContaining(['index.mjs', 'vocabulary.json']),
    );
  });

  it("gives Node's own error for a subpath the package does not export", () => {
    // Act
    const result = run(process.execPath, [
      '--input-type=module',
      '-e',
      "await import('sentiment-lambda/src/pipeline.ts')",
    ]);

    // Assess
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('refuses a wrong middleware option when the middleware is created, naming it', () => {
    // Act
    const result = run(process.execPath, [
      '--input-type=module',
      '-e',
      "const { vocabularyMiddleware } = await import('sentiment-lambda/middlewares/vocabulary'); vocabularyMiddleware({ source: 'vocabulary.json', cacheExpiry: '1h' });",
    ]);

    // Assess
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("TypeError: vocabularyMiddleware: Option 'cacheExpiry' must be integer.");
  });
});
