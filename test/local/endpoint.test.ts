import {
  InternalDependencyException,
  InternalFailure,
  InvokeEndpointCommand,
  type InvokeEndpointCommandInput,
  ModelError,
  ModelNotReadyException,
  SageMakerRuntimeClient,
  SageMakerRuntimeServiceException,
  ServiceUnavailable,
  ValidationError,
} from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type EndpointServer, startEndpointServer } from '../../local/endpoint/server.ts';
import { loadLexiconModel } from '../../local/model/model.ts';
import { createPayloadEncoder } from '../../src/encoder/payload.ts';
import { SAGEMAKER_MAX_REQUEST_BYTES } from '../../src/sagemaker/limits.ts';
import { rejectionOf } from '../helpers/rejection.ts';

const ENDPOINT = 'sentiment-local';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const model = loadLexiconModel();
const csv = createPayloadEncoder(model.vocabulary, 'csv');
const libsvm = createPayloadEncoder(model.vocabulary, 'libsvm');
const reviews = ['A wonderful, brilliant film.', 'Awful. Boring and stupid.', 'It was a film.'];

/** What the model scores for a review, as float32 (what the endpoint prints). */
const expectedScore = (review: string): number =>
  Math.fround(model.scoreRow(csv.encodeRow(review).split(',').map(Number)));

let server: EndpointServer;
let client: SageMakerRuntimeClient;

const invoke = async (input: Partial<InvokeEndpointCommandInput>, sdk = client) => {
  const output = await sdk.send(
    new InvokeEndpointCommand({ EndpointName: ENDPOINT, ...input } as InvokeEndpointCommandInput),
  );
  return { ...output, text: new TextDecoder().decode(output.Body) };
};
const invokeCsv = (reviewList: readonly string[]) => {
  const payload = csv.encode(reviewList);
  return invoke({ ContentType: payload.contentType, Body: payload.body });
};
/** What a failed call throws: an SDK exception (ModelError fields optional) or a network error (`code`). */
type Failure = SageMakerRuntimeServiceException &
  Partial<Pick<ModelError, 'OriginalStatusCode' | 'OriginalMessage' | 'LogStreamArn'>> & { code?: string };

const failureOf = (call: Promise<unknown>) => rejectionOf<Failure>(call);

beforeAll(async () => {
  // The linear lexicon model, whose scores these tests work out by hand; the XGBoost default model has
  // its own suite (endpoint-xgboost.test.ts), and the offline stack serves it.
  server = await startEndpointServer({ models: { [ENDPOINT]: model } });
  client = new SageMakerRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

beforeEach(() => {
  server.faults.clear();
  server.stats.reset();
});

describe('scoring', () => {
  it('answers a csv row with the model score, "\\n"-terminated, and the variant and request id', async () => {
    // Act
    const output = await invokeCsv([reviews[0] as string]);

    // Assess
    expect(output.text).toMatch(/^0\.\d+\n$/);
    expect(Number.parseFloat(output.text)).toBe(expectedScore(reviews[0] as string));
    expect(output.ContentType).toMatch(/^text\/csv/);
    expect(output.InvokedProductionVariant).toBe('AllTraffic');
    expect(output.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('scores a batch of rows in one call, one line per row, in order', async () => {
    // Act
    const output = await invokeCsv(reviews);

    // Assess
    expect(output.text.split('\n')).toEqual([...reviews.map((r) => String(expectedScore(r))), '']);
    expect(server.stats.invocations).toBe(1);
    expect(server.stats.rowsScored).toBe(3);
  });

  it('scores libsvm rows (0-based columns, as the encoder writes them) exactly as the same csv rows', async () => {
    // Prepare: the review without a vocabulary word (an entry-less libsvm row) in the middle, where it is scored
    const sparse = libsvm.encode([reviews[0], reviews[2], reviews[1]] as string[]);

    // Act
    const fromLibsvm = await invoke({ ContentType: sparse.contentType, Body: sparse.body });
    const fromCsv = await invokeCsv([reviews[0], reviews[2], reviews[1]] as string[]);

    // Assess
    expect(sparse.body).toMatch(/^0 \d+:\d/);
    expect(fromLibsvm.text).toBe(fromCsv.text);
    expect(fromLibsvm.text.split('\n')).toHaveLength(4);
  });

  it('gives no score to trailing libsvm rows without an entry, as the container does', async () => {
    // Prepare: the last review has no vocabulary word, so its row is the label alone ("0")
    const sparse = libsvm.encode(reviews);

    // Act
    const output = await invoke({ ContentType: sparse.contentType, Body: sparse.body });

    // Assess
    expect(sparse.body.trimEnd().split('\n').at(-1)).toBe('0');
    expect(output.text.trimEnd().split('\n')).toHaveLength(reviews.length - 1); // no score for the last review
  });

  it('reads libsvm indices as the 0-based columns they are, as the container does: "1:1" is column 1', async () => {
    // Act: without column 0 in the payload, indices are still not shifted (columns 5 and 6 weigh differently).
    const output = await invoke({ ContentType: 'text/libsvm', Body: '0 6:1' });

    // Assess
    expect(Number.parseFloat(output.text)).toBe(Math.fround(model.scoreSparse([6], [1])));
    expect(model.scoreSparse([6], [1])).not.toBe(model.scoreSparse([5], [1]));
  });

  it('answers {"predictions":[{"score"}]} for Accept: application/json', async () => {
    // Prepare
    const payload = csv.encode(reviews.slice(0, 2));

    // Act
    const output = await invoke({ ContentType: 'text/csv', Accept: 'application/json', Body: payload.body });

    // Assess
    expect(output.ContentType).toBe('application/json');
    expect(JSON.parse(output.text)).toEqual({
      predictions: reviews.slice(0, 2).map((review) => ({ score: expectedScore(review) })),
    });
  });

  it('is reachable through AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME without an endpoint option', async () => {
    // Prepare
    vi.stubEnv('AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME', server.url);
    const fromEnv = new SageMakerRuntimeClient({ region: 'eu-west-1', credentials, maxAttempts: 1 });

    // Act
    const output = await invoke({ ContentType: 'text/csv', Body: csv.encodeRow('good') }, fromEnv);

    // Assess
    expect(Number.parseFloat(output.text)).toBe(expectedScore('good'));
    fromEnv.destroy();
    vi.unstubAllEnvs();
  });
});

describe('errors a caller can see', () => {
  it('wraps a csv width mismatch as ModelError 424 with the container status 400 and message', async () => {
    // Act
    const error = await failureOf(invoke({ ContentType: 'text/csv', Body: '1,0,2' }));

    // Assess
    expect(error).toBeInstanceOf(ModelError);
    expect(error.$metadata.httpStatusCode).toBe(424);
    expect(error.OriginalStatusCode).toBe(400);
    expect(error.OriginalMessage).toBe(
      `Unable to evaluate payload provided: Feature size of csv inference data 3 is not consistent with feature size of trained model ${model.featureCount}.`,
    );
    expect(error.LogStreamArn).toBe(
      'arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/sentiment-local',
    );
  });

  it('wraps an unsupported content type as ModelError with the container status 415', async () => {
    // Act
    const error = await failureOf(invoke({ ContentType: 'application/json', Body: '{"review":"good"}' }));

    // Assess
    expect(error).toBeInstanceOf(ModelError);
    expect(error.OriginalStatusCode).toBe(415);
    expect(error.OriginalMessage).toMatch(/Content-type application\/json is not supported/);
  });

  it('answers an unknown endpoint with ValidationError naming endpoint and account', async () => {
    // Act
    const error = await failureOf(invoke({ EndpointName: 'no-such-endpoint', ContentType: 'text/csv', Body: '1' }));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe('Endpoint no-such-endpoint of account 123456789012 not found.');
  });

  it('answers a body over 6 MB with AWS 413 "HTTP content length exceeded"', async () => {
    // Prepare
    const body = new Uint8Array(SAGEMAKER_MAX_REQUEST_BYTES + 1).fill(48);

    // Act
    const error = await failureOf(invoke({ ContentType: 'text/csv', Body: body }));

    // Assess
    expect(error).toBeInstanceOf(SageMakerRuntimeServiceException);
    expect(error.$metadata.httpStatusCode).toBe(413);
    expect(error.message).toBe(`HTTP content length exceeded ${SAGEMAKER_MAX_REQUEST_BYTES} bytes.`);
  });

  it('answers an unsigned request 403 and a wrong route 404, as AWS', async () => {
    // Act
    const unsigned = await fetch(`${server.url}/endpoints/${ENDPOINT}/invocations`, { method: 'POST', body: '1' });
    const wrongRoute = await fetch(`${server.url}/endpoints/${ENDPOINT}`, { method: 'GET' });

    // Assess
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(wrongRoute.status).toBe(404);
    expect(wrongRoute.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await wrongRoute.json()).toEqual({ message: expect.stringMatching(/POST \/endpoints\/\{EndpointName\}/) });
  });
});

describe('fault injection', () => {
  it.each([
    ['ModelError', ModelError, 424],
    ['ValidationError', ValidationError, 400],
    ['ModelNotReadyException', ModelNotReadyException, 429],
    ['InternalFailure', InternalFailure, 500],
    ['ServiceUnavailable', ServiceUnavailable, 503],
    ['InternalDependencyException', InternalDependencyException, 530],
  ])('an injected %s reaches the caller as the SDK class of that name', async (name, errorClass, status) => {
    // Prepare
    server.faults.error(name);

    // Act
    const error = await failureOf(invokeCsv(['good']));
    const next = await invokeCsv(['good']);

    // Assess
    expect(error).toBeInstanceOf(errorClass);
    expect(error.$metadata.httpStatusCode).toBe(status);
    expect(next.text).toBe(`${expectedScore('good')}\n`);
  });

  it('an injected ThrottlingException reaches the caller by name, and the SDK retries it', async () => {
    // Prepare
    server.faults.error('ThrottlingException', { times: 2 });
    const retrying = new SageMakerRuntimeClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 2,
    });

    // Act
    const error = await failureOf(invokeCsv(['good']));
    const retried = await invoke({ ContentType: 'text/csv', Body: csv.encodeRow('good') }, retrying);

    // Assess
    expect(error.name).toBe('ThrottlingException');
    expect(retried.text).toBe(`${expectedScore('good')}\n`);
    expect(server.stats.invocations).toBe(3);
    retrying.destroy();
  });

  it('counts every retry the SDK makes after ServiceUnavailable', async () => {
    // Prepare
    const retrying = new SageMakerRuntimeClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 3,
    });
    server.faults.error('ServiceUnavailable', { times: 2 });

    // Act
    const output = await invoke({ ContentType: 'text/csv', Body: csv.encodeRow('good') }, retrying);

    // Assess
    expect(output.text).toBe(`${expectedScore('good')}\n`);
    expect(server.stats.invocations).toBe(3);
    expect(server.stats.byStatus).toEqual({ '503': 2, '200': 1 });
    retrying.destroy();
  });

  it('delays only the next call by the injected latency', async () => {
    // Prepare
    server.faults.latency(150);

    // Act
    let started = performance.now();
    await invokeCsv(['good']);
    const slow = performance.now() - started;
    started = performance.now();
    await invokeCsv(['good']);
    const fast = performance.now() - started;

    // Assess
    expect(slow).toBeGreaterThanOrEqual(145);
    expect(fast).toBeLessThan(145);
  });

  it('lets a client time out on an "always" latency fault', async () => {
    // Prepare
    server.faults.latency(2_000, 'always');
    const abort = AbortSignal.timeout(100);

    // Act
    const error = await failureOf(
      client.send(
        new InvokeEndpointCommand({ EndpointName: ENDPOINT, ContentType: 'text/csv', Body: csv.encodeRow('good') }),
        {
          abortSignal: abort,
        },
      ),
    );

    // Assess
    expect(error.name).toMatch(/AbortError|TimeoutError/);
    expect(server.faults.list()).toHaveLength(1);
  });

  it('drops the connection: the SDK reports a network error, not an AWS error', async () => {
    // Prepare
    server.faults.drop();

    // Act
    const error = await failureOf(invokeCsv(['good']));

    // Assess
    expect(error).not.toBeInstanceOf(SageMakerRuntimeServiceException);
    expect(error.code).toBe('ECONNRESET');
    expect(server.stats.byStatus).toEqual({ dropped: 1 });
  });

  it('replies with a raw body (e.g. too few scores) for the next call', async () => {
    // Prepare
    server.faults.body('0.9\n');

    // Act
    const faulty = await invokeCsv(reviews);
    const normal = await invokeCsv(reviews);

    // Assess
    expect(faulty.text).toBe('0.9\n');
    expect(normal.text.split('\n')).toHaveLength(reviews.length + 1);
  });
});

describe('control routes', () => {
  it('adds faults with POST /_faults, lists and clears them, and reports stats', async () => {
    // Prepare
    const faults = `${server.url}/_faults`;

    // Act
    const added = await fetch(faults, {
      method: 'POST',
      body: JSON.stringify([
        { kind: 'error', name: 'ModelNotReadyException', times: 2 },
        { kind: 'body', body: 'not-a-number\n' },
      ]),
    });
    const first = await failureOf(invokeCsv(['good']));
    const listed = (await (await fetch(faults)).json()) as { faults: unknown[] };
    await fetch(faults, { method: 'DELETE' });
    const afterClear = await invokeCsv(['good']);
    const stats = await (await fetch(`${server.url}/_stats`)).json();

    // Assess
    expect(added.status).toBe(200);
    expect(first).toBeInstanceOf(ModelNotReadyException);
    expect(listed.faults).toEqual([
      { fault: { kind: 'error', name: 'ModelNotReadyException', times: 2 }, remaining: 1 },
      { fault: { kind: 'body', body: 'not-a-number\n' }, remaining: 1 },
    ]);
    expect(afterClear.text).toBe(`${expectedScore('good')}\n`);
    expect(stats).toMatchObject({ invocations: 2, byEndpoint: { [ENDPOINT]: 2 }, rowsScored: 1, faultsApplied: 1 });
  });

  it('rejects a malformed fault with 400 and a message saying what is wrong', async () => {
    // Act
    const response = await fetch(`${server.url}/_faults`, { method: 'POST', body: '{"kind":"latency"}' });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: expect.stringMatching(/"ms"/) });
    expect(server.faults.list()).toEqual([]);
  });
});

describe('options', () => {
  it('serves several endpoints, each with its own model, under its own variant name', async () => {
    // Prepare
    const tiny = { name: 'tiny', description: '', vocabulary: { bad: 0, good: 1 }, weights: [-1, 1], bias: 0 };
    const { LinearModel } = await import('../../local/model/model.ts');
    const other = await startEndpointServer({ models: { tiny: new LinearModel(tiny) }, variantName: 'Blue' });
    const otherClient = new SageMakerRuntimeClient({
      endpoint: other.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });

    // Act
    const output = await invoke({ EndpointName: 'tiny', ContentType: 'text/csv', Body: '0,2' }, otherClient);
    const missing = await failureOf(
      invoke({ EndpointName: ENDPOINT, ContentType: 'text/csv', Body: '0,2' }, otherClient),
    );

    // Assess
    expect(output.text).toBe(`${Math.fround(1 / (1 + Math.exp(-2)))}\n`);
    expect(output.InvokedProductionVariant).toBe('Blue');
    expect(missing).toBeInstanceOf(ValidationError);
    otherClient.destroy();
    await other.close();
  });
});
