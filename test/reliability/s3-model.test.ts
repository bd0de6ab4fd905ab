/**
 * The model in the function, from a real S3-compatible server (s3rver on loopback), read by the real S3
 * SDK inside the real pipeline (`createHandler({ model, vocabulary })`). Every model fault gets a clear
 * answer and the function keeps answering: a missing object, S3 down at init and at refresh, a truncated
 * or corrupt file, an unsupported objective, a width that disagrees with the vocabulary, and a model
 * refreshed to a bad one. The last good model (and model-vocabulary pair) serves, or a 503 while there is
 * none; the reason is in the log, never in the answer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { clearCache } from '@middy/util';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MODEL_UNAVAILABLE_MESSAGE } from '../../middlewares/model.ts';
import { createHandler } from '../../src/pipeline.ts';
import { lambdaContext } from '../../src/testing/events.ts';
import { readXGBoostModel } from '../../src/xgboost/load.ts';
import { freePort, until } from '../helpers/net.ts';
import { captureOutput, headerOf, jsonRequest, type OutputCapture } from '../helpers/pipeline.ts';
import { FIXTURES } from '../helpers/xgboost-oracle.ts';
import { type S3TestServer, s3ClientOptions, startS3Server } from './s3-server.ts';

const BUCKET = 'model-bucket';
/** The six columns of the binary-logistic fixture, as words. */
const WORDS = ['wonderful', 'moving', 'film', 'awful', 'boring', 'worst'];
const REVIEW = 'wonderful moving film, wonderful';
/** SageMaker's training output: model.tar.gz holding xgboost-model (here the legacy binary, as 1.3-1 to 1.7-1 save it). */
const TARBALL = readFileSync(join(FIXTURES, 'binary-logistic/model.tar.gz'));
const MODEL_JSON = readFileSync(join(FIXTURES, 'binary-logistic/model.json'), 'utf8');
/** The same trees with every leaf negated: another valid six-feature model, which answers otherwise. */
const NEGATED_JSON = (() => {
  const document = JSON.parse(MODEL_JSON);
  for (const tree of document.learner.gradient_booster.model.trees) {
    tree.split_conditions = tree.split_conditions.map((value: number, node: number) =>
      tree.left_children[node] === -1 ? -value : value,
    );
  }
  return JSON.stringify(document);
})();
/** A five-feature model: as wide as no vocabulary here. */
const FIVE_FEATURES = readFileSync(join(FIXTURES, 'reg-logistic/model.json'));

let s3: S3TestServer;
let output: OutputCapture;
let keys = 0;

const freshKey = (name: string): string => `models/${++keys}-${name}`;

/** The score xgboost's own reader gives `review`, through the evaluator the tests hold to xgboost. */
async function expectedScore(bytes: Uint8Array): Promise<number> {
  const { model } = await readXGBoostModel(bytes, 'expected');
  // "wonderful moving film, wonderful": columns 0, 1 and 2, counts 2, 1, 1.
  return model.predictDense([[2, 1, 1, 0, 0, 0]])[0] as number;
}

interface Setup {
  s3Url?: string;
  cacheExpiry?: number;
  vocabulary?: readonly string[] | string;
}

function newHandler(key: string, { s3Url = s3.url, cacheExpiry, vocabulary = WORDS }: Setup = {}) {
  return createHandler({
    model: { source: `s3://${BUCKET}/${key}`, awsClientOptions: s3ClientOptions(s3Url), cacheExpiry },
    vocabulary:
      typeof vocabulary === 'string'
        ? { source: `s3://${BUCKET}/${vocabulary}`, awsClientOptions: s3ClientOptions(s3Url), cacheExpiry }
        : { source: [...vocabulary] },
    logger: new Logger({ serviceName: 's3-model-test', logLevel: 'INFO' }),
    metrics: false,
  });
}

type Handler = ReturnType<typeof newHandler>;

async function classify(handler: Handler, review = REVIEW): Promise<APIGatewayProxyResult> {
  return (await handler(jsonRequest({ review }), lambdaContext())) as APIGatewayProxyResult;
}

const scoreOf = (reply: APIGatewayProxyResult): number => JSON.parse(reply.body).score;

const getsOf = (key: string) =>
  s3.requests.filter((request) => request.method === 'GET' && request.path === `/${BUCKET}/${key}`);

function expectUnavailable(reply: APIGatewayProxyResult, message: string | RegExp = MODEL_UNAVAILABLE_MESSAGE): void {
  expect(reply.statusCode).toBe(503);
  expect(JSON.parse(reply.body).error.message).toMatch(message);
  expect(Number(headerOf(reply, 'Retry-After'))).toBeGreaterThan(0);
  expect(reply.body).not.toMatch(/s3:|model-bucket|ModelLoadError|\bat /);
}

function lastFailure(): Record<string, unknown> | undefined {
  return output
    .requestLines()
    .filter((line) => line.message === 'request failed')
    .at(-1);
}

const warnings = () => output.lines().filter((line) => line.level === 'WARN');

beforeAll(async () => {
  s3 = await startS3Server({ buckets: [BUCKET] });
});

afterAll(async () => {
  await s3?.close();
});

beforeEach(() => {
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  clearCache();
});

describe('the model from a real S3-compatible server (s3rver)', () => {
  it("serves a training job's model.tar.gz: downloaded once, at init, scoring as the file does", async () => {
    // Prepare
    const key = freshKey('output/model.tar.gz');
    await s3.putObject(BUCKET, key, TARBALL);
    const handler = newHandler(key);

    // Act
    const first = await classify(handler);
    const second = await classify(handler);

    // Assess
    expect(first.statusCode).toBe(200);
    expect(scoreOf(first)).toBe(await expectedScore(TARBALL));
    expect(second.body).toBe(first.body);
    expect(getsOf(key).map((request) => request.status)).toEqual([200]);
    expect(lastFailure()).toBeUndefined();
  });

  it('object missing: 503 with the model-unavailable message, then recovery once it is put (same handler)', async () => {
    // Prepare
    const key = freshKey('missing');
    const handler = newHandler(key);
    await until(() => getsOf(key).length === 1);

    // Act
    const before = await classify(handler);
    await s3.putObject(BUCKET, key, TARBALL);
    const after = await classify(handler);

    // Assess
    expectUnavailable(before);
    expect(lastFailure()).toMatchObject({ status: 503, cause: 'NoSuchKey' });
    expect(after.statusCode).toBe(200);
    expect(getsOf(key).map((request) => request.status)).toEqual([404, 404, 200]);
  });

  it('S3 down at init, then back: 503, then recovery without a new handler', async () => {
    // Prepare
    const port = await freePort();
    const key = freshKey('down-at-init');
    const handler = newHandler(key, { s3Url: `http://127.0.0.1:${port}` });

    // Act
    const down = await classify(handler);
    const later = await startS3Server({ port, buckets: [BUCKET] });
    try {
      await later.putObject(BUCKET, key, TARBALL);
      const up = await classify(handler);

      // Assess
      expectUnavailable(down);
      expect(lastFailure()?.causeMessage).toMatch(/ECONNREFUSED/);
      expect(up.statusCode).toBe(200);
    } finally {
      await later.close();
    }
  });

  it.each([
    ['truncated', TARBALL.subarray(0, 200), /gzip stream is truncated|tar archive is truncated/],
    ['corrupt', Buffer.from('{"learner": {"objective": '), /not valid JSON|not an XGBoost model|JSON/],
    ['an unsupported objective', readFileSync(join(FIXTURES, 'refused/poisson.json')), /count:poisson/],
    ['a multi-class model', readFileSync(join(FIXTURES, 'refused/multiclass.json')), /multi-class/],
  ])(
    '%s: 503, the reason in the log and not in the answer; a fixed object is then used',
    async (_name, bad, reason) => {
      // Prepare
      const key = freshKey('bad');
      await s3.putObject(BUCKET, key, bad);
      const handler = newHandler(key);

      // Act
      const broken = await classify(handler);
      const logged = lastFailure();
      await s3.putObject(BUCKET, key, TARBALL);
      const fixed = await classify(handler);

      // Assess
      expectUnavailable(broken);
      expect(logged).toMatchObject({
        status: 503,
        cause: 'ModelLoadError',
        causeMessage: expect.stringMatching(reason),
      });
      expect(String(logged?.causeMessage)).toContain(`s3://${BUCKET}/${key}`);
      expect(fixed.statusCode).toBe(200);
    },
  );

  it('a model as wide as no vocabulary here: 503 naming both widths', async () => {
    // Prepare
    const key = freshKey('five-features.json');
    await s3.putObject(BUCKET, key, FIVE_FEATURES);
    const handler = newHandler(key);

    // Act
    const reply = await classify(handler);

    // Assess
    expectUnavailable(reply, /takes 5 features but its vocabulary has 6 words/);
    expect(lastFailure()).toMatchObject({ cause: 'ModelVocabularyMismatch' });
  });

  it('a model replaced: the refresh (conditional on the ETag) picks it up; unchanged, it is not downloaded again', async () => {
    // Prepare
    const key = freshKey('replaced.json');
    const etagA = await s3.putObject(BUCKET, key, MODEL_JSON);
    const handler = newHandler(key, { cacheExpiry: 200 });
    const first = await classify(handler);
    const unchanged = await until(async () => {
      await classify(handler);
      return getsOf(key).some((request) => request.status === 304);
    });

    // Act
    await s3.putObject(BUCKET, key, NEGATED_JSON);
    const switched = await until(async () => scoreOf(await classify(handler)) !== scoreOf(first));

    // Assess
    expect(unchanged).toBe(true);
    expect(getsOf(key).find((request) => request.status === 304)).toMatchObject({ ifNoneMatch: etagA, bodyBytes: 0 });
    expect(switched).toBe(true);
    expect(scoreOf(await classify(handler))).toBe(await expectedScore(Buffer.from(NEGATED_JSON)));
  });

  it('S3 down at refresh, or the model refreshed to a corrupt one: the last good model keeps serving', async () => {
    // Prepare
    const key = freshKey('refresh-fails.json');
    await s3.putObject(BUCKET, key, MODEL_JSON);
    const handler = newHandler(key, { cacheExpiry: 100 });
    const good = await classify(handler);

    // Act: a corrupt object replaces it; every request meanwhile still answers with the good model.
    await s3.putObject(BUCKET, key, '{"learner": ');
    const during: APIGatewayProxyResult[] = [];
    const warned = await until(async () => {
      during.push(await classify(handler));
      return warnings().some((line) => /Model refresh failed/.test(String(line.message)));
    });

    // Assess
    expect(good.statusCode).toBe(200);
    expect(warned).toBe(true);
    expect(during.every((reply) => reply.statusCode === 200 && reply.body === good.body)).toBe(true);
  });

  it('a model refreshed to another width: the last pair that fitted keeps serving, with a warning', async () => {
    // Prepare
    const key = freshKey('width-changes.json');
    await s3.putObject(BUCKET, key, MODEL_JSON);
    const handler = newHandler(key, { cacheExpiry: 100 });
    const good = await classify(handler);

    // Act
    await s3.putObject(BUCKET, key, FIVE_FEATURES);
    const replies: APIGatewayProxyResult[] = [];
    const warned = await until(async () => {
      replies.push(await classify(handler));
      return warnings().some((line) => /widths differ/.test(String(line.message)));
    });

    // Assess
    expect(warned).toBe(true);
    expect(replies.every((reply) => reply.statusCode === 200 && reply.body === good.body)).toBe(true);
    expect(warnings().filter((line) => /widths differ/.test(String(line.message)))).toHaveLength(1);
  });

  it('a vocabulary refreshed to another width before its model: the last pair that fitted keeps serving', async () => {
    // Prepare: model and vocabulary both from S3, both refreshed.
    const modelKey = freshKey('pair-model.json');
    const vocabularyKey = freshKey('pair-vocabulary.json');
    await s3.putObject(BUCKET, modelKey, MODEL_JSON);
    await s3.putObject(BUCKET, vocabularyKey, JSON.stringify(WORDS));
    const handler = newHandler(modelKey, { cacheExpiry: 100, vocabulary: vocabularyKey });
    const good = await classify(handler);

    // Act: the vocabulary grows a word; the model has not been replaced yet.
    await s3.putObject(BUCKET, vocabularyKey, JSON.stringify([...WORDS, 'dull']));
    const replies: APIGatewayProxyResult[] = [];
    const warned = await until(async () => {
      replies.push(await classify(handler));
      return warnings().some((line) => /widths differ/.test(String(line.message)));
    });

    // Assess
    expect(good.statusCode).toBe(200);
    expect(warned).toBe(true);
    expect(replies.every((reply) => reply.statusCode === 200 && reply.body === good.body)).toBe(true);
  });
});
