/**
 * The local endpoint serving XGBoost models, through the real AWS SDK: a model file in any form answers
 * byte for byte what SageMaker's XGBoost container answers (its text/csv reply for the oracle's rows), a
 * width mismatch is the container's 400 wrapped as ModelError 424, and a model that cannot be served stops
 * the endpoint at start-up with one line naming the file, never a half-loaded model that answers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  InvokeEndpointCommand,
  type InvokeEndpointCommandInput,
  type ModelError,
  SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EndpointServer, startEndpointServer } from '../../local/endpoint/server.ts';
import { ModelLoadError } from '../../src/xgboost/errors.ts';
import { rejectionOf } from '../helpers/rejection.ts';
import { FIXTURES, type OracleOutput, readManifest } from '../helpers/xgboost-oracle.ts';

const manifest = readManifest(FIXTURES);
const binary = manifest.cases.find((c) => c.name === 'binary-logistic');
if (binary === undefined) throw new Error('fixture case binary-logistic is missing');
const expected = binary.expected[binary.files[0]?.expected ?? ''] as OracleOutput;
const fixture = (file: string): string => join(FIXTURES, file);
const csvRows = readFileSync(fixture(binary.csv), 'utf8');
const libsvmRows = readFileSync(fixture(binary.libsvm), 'utf8');

/** Endpoint name -> model file: the same model in several forms, and the project's linear model. */
const MODELS = {
  tarball: fixture('binary-logistic/model.tar.gz'),
  'pickle-090': fixture('binary-logistic/booster-0.90.pkl'),
  'pickle-17': fixture('binary-logistic/booster-1.7.pkl'),
  ubj: fixture('binary-logistic/model.ubj'),
  linear: fileURLToPath(new URL('../../default-model/lexicon-model.json', import.meta.url)),
};

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let server: EndpointServer;
let client: SageMakerRuntimeClient;
const temporary = mkdtempSync(join(tmpdir(), 'endpoint-xgboost-'));

const invoke = async (input: Partial<InvokeEndpointCommandInput>) => {
  const output = await client.send(new InvokeEndpointCommand(input as InvokeEndpointCommandInput));
  return { ...output, text: new TextDecoder().decode(output.Body) };
};
const failureOf = (call: Promise<unknown>) => rejectionOf<ModelError>(call);

beforeAll(async () => {
  server = await startEndpointServer({ models: MODELS });
  client = new SageMakerRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await server.close();
  rmSync(temporary, { recursive: true, force: true });
});

describe('an XGBoost model file, in any form', () => {
  it.each(['tarball', 'pickle-090', 'pickle-17', 'ubj'])(
    '%s: answers csv rows with the container text/csv reply, byte for byte',
    async (endpoint) => {
      // Act
      const output = await invoke({ EndpointName: endpoint, ContentType: 'text/csv', Body: csvRows });

      // Assess
      expect(output.text).toBe(expected.csvReply);
      expect(output.ContentType).toMatch(/^text\/csv/);
    },
  );

  it('answers libsvm rows (absent entries missing) with the container reply', async () => {
    // Act
    const output = await invoke({ EndpointName: 'tarball', ContentType: 'text/libsvm', Body: libsvmRows });

    // Assess
    expect(output.text).toBe(expected.libsvmReply);
  });

  it('answers application/json with the same float32 scores', async () => {
    // Act
    const output = await invoke({
      EndpointName: 'pickle-17',
      ContentType: 'text/csv',
      Accept: 'application/json',
      Body: csvRows,
    });

    // Assess
    const scores = (JSON.parse(output.text) as { predictions: { score: number }[] }).predictions.map((p) => p.score);
    expect(scores).toEqual(expected.csv);
  });

  it('counts the rows it scored', async () => {
    // Prepare
    server.stats.reset();

    // Act
    await invoke({ EndpointName: 'ubj', ContentType: 'text/csv', Body: csvRows });

    // Assess
    expect(server.stats.rowsScored).toBe(expected.csv.length);
  });

  it('still serves the linear JSON model beside them (told apart by content)', async () => {
    // Act
    const output = await invoke({ EndpointName: 'linear', ContentType: 'text/libsvm', Body: '0 1:1' });

    // Assess
    expect(output.text).toMatch(/^0\.\d+\n$/);
  });
});

describe('bad input the container refuses', () => {
  it('a csv row one column short: ModelError 424 carrying the container 400 and its message', async () => {
    // Prepare
    const short = (csvRows.split('\n')[0] as string).split(',').slice(1).join(',');

    // Act
    const error = await failureOf(invoke({ EndpointName: 'tarball', ContentType: 'text/csv', Body: short }));

    // Assess
    expect(error.name).toBe('ModelError');
    expect(error.$metadata.httpStatusCode).toBe(424);
    expect(error.OriginalStatusCode).toBe(400);
    expect(error.OriginalMessage).toBe(
      `Unable to evaluate payload provided: Feature size of csv inference data ${binary.numFeature - 1} is not consistent with feature size of trained model ${binary.numFeature}.`,
    );
  });

  it('a libsvm index beyond the model: ModelError with the container "larger than" message', async () => {
    // Act
    const error = await failureOf(
      invoke({ EndpointName: 'tarball', ContentType: 'text/libsvm', Body: `0 0:1 ${binary.numFeature}:1` }),
    );

    // Assess
    expect(error.OriginalStatusCode).toBe(400);
    expect(error.OriginalMessage).toBe(
      `Unable to evaluate payload provided: Feature size of libsvm inference data ${binary.numFeature + 1} is larger than feature size of trained model ${binary.numFeature}.`,
    );
  });

  it.each([
    ['inf', 'inf'],
    ['a value beyond float32', '1e39'],
    ['a word', 'abc'],
    ['whitespace only', ' '],
  ])('a csv cell with %s: 415, as DMatrix refuses it', async (_name, cell) => {
    // Prepare
    const row = Array.from({ length: binary.numFeature }, (_, i) => (i === 2 ? cell : '1')).join(',');

    // Act
    const error = await failureOf(invoke({ EndpointName: 'ubj', ContentType: 'text/csv', Body: row }));

    // Assess
    expect(error.OriginalStatusCode).toBe(415);
    expect(error.OriginalMessage).toMatch(/^Loading csv data failed with Exception/);
    expect(error.OriginalMessage).toContain('column 3');
  });

  it('rows of different widths: 415, as the container fails to build one array of them', async () => {
    // Act
    const error = await failureOf(invoke({ EndpointName: 'ubj', ContentType: 'text/csv', Body: '1,2,3\n1,2' }));

    // Assess
    expect(error.OriginalStatusCode).toBe(415);
    expect(error.OriginalMessage).toContain('different numbers of fields');
  });
});

describe('a model that cannot be served, at start-up', () => {
  it('startEndpointServer rejects with a ModelLoadError naming the file and what is wrong', async () => {
    // Prepare
    const truncated = join(temporary, 'xgboost-model');
    writeFileSync(truncated, readFileSync(fixture('binary-logistic/xgboost-model')).subarray(0, 500));

    // Act
    const start = startEndpointServer({ models: { broken: truncated } });

    // Assess
    await expect(start).rejects.toThrow(ModelLoadError);
    await expect(start).rejects.toThrow(
      new RegExp(`^${truncated}: truncated legacy binary model: expected \\d+ bytes for tree \\d+'s`),
    );
  });

  it('the endpoint CLI prints one line naming the file and exits 1, without a stack trace', () => {
    // Prepare
    const file = join(temporary, 'model.tar.gz');
    writeFileSync(file, readFileSync(fixture('refused/no-model.tar.gz')));
    const script = fileURLToPath(new URL('../../local/endpoint/server.ts', import.meta.url));

    // Act
    const result = spawnSync(process.execPath, [script, '--port', '0', '--model', file], {
      encoding: 'utf8',
      timeout: 20_000,
    });

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `Cannot serve the model: ${file}: no member xgboost-model (members: a.txt, b.bin)`,
    );
    expect(result.stdout).not.toContain('listening');
  });
});
