/**
 * modelMiddleware: where the model comes from (a file, a file:// URL, a path from the function root,
 * bytes or a model in code), that it is loaded at creation, that a handler composed with it sees a typed
 * `context.model`, and that it refuses a wrong option at creation. Its caching, S3 refresh and faults are
 * the same machinery as the vocabulary's (test/middlewares/vocabulary.test.ts) and are tried against a
 * real S3 server in test/reliability/s3-model.test.ts.
 */
import { copyFileSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import middy from '@middy/core';
import { clearCache, getCache } from '@middy/util';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { type ModelContext, type ModelMiddlewareOptions, modelMiddleware } from '../../middlewares/model.ts';
import { type VocabularyContext, vocabularyMiddleware } from '../../middlewares/vocabulary.ts';
import { bagOfWordsFor } from '../../src/encoder/bag-of-words.ts';
import { lambdaContext } from '../../src/testing/events.ts';
import { loadXGBoostModel } from '../../src/xgboost/load.ts';
import { XGBoostModel } from '../../src/xgboost/model.ts';
import { tempDir } from '../helpers/pipeline.ts';
import { FIXTURES } from '../helpers/xgboost-oracle.ts';

const FIXTURE = join(FIXTURES, 'binary-logistic/model.ubj');
const WORDS = ['wonderful', 'moving', 'film', 'awful', 'boring', 'worst'];

let temp: ReturnType<typeof tempDir>;

beforeEach(() => {
  temp = tempDir();
});

afterEach(() => {
  vi.unstubAllEnvs();
  clearCache();
  temp.cleanup();
});

/** A chain of the user's own that answers the model's description. */
function describeModel(options: ModelMiddlewareOptions) {
  return middy()
    .use(modelMiddleware(options))
    .handler(async (_event, context) => context.model.description);
}

const context = () => lambdaContext() as Context & ModelContext;

describe('sources', () => {
  it.each([
    ['a file path', () => FIXTURE],
    ['a file:// URL', () => pathToFileURL(FIXTURE)],
    ['the bytes of a model file', () => readFileSync(FIXTURE)],
    ['an ArrayBuffer', () => new Uint8Array(readFileSync(FIXTURE)).buffer],
  ])('loads %s', async (_name, source) => {
    // Act
    const description = await describeModel({ source: source() })({}, context());

    // Assess
    expect(description).toBe('XGBoost gbtree binary:logistic, 4 trees, 6 features (UBJSON, xgboost 1.7.4)');
  });

  it('uses a model given in code as it is', async () => {
    // Prepare
    const model = await loadXGBoostModel(FIXTURE);
    const handler = middy()
      .use(modelMiddleware({ source: model }))
      .handler(async (_event, context) => context.model);

    // Act
    const used = await handler({}, context());

    // Assess
    expect(used).toBe(model);
  });

  it('resolves a relative path against LAMBDA_TASK_ROOT, the function root', async () => {
    // Prepare
    copyFileSync(FIXTURE, join(temp.dir, 'model.ubj'));
    vi.stubEnv('LAMBDA_TASK_ROOT', temp.dir);

    // Act
    const description = await describeModel({ source: 'model.ubj' })({}, context());

    // Assess
    expect(description).toMatch(/^XGBoost gbtree binary:logistic, 4 trees/);
  });

  it('reads the file at creation: the request succeeds after the file is gone', async () => {
    // Prepare
    const file = join(temp.dir, 'model.ubj');
    copyFileSync(FIXTURE, file);
    const handler = describeModel({ source: file });
    await (getCache(`model:${file}`) as { value: { model: Promise<unknown> } }).value.model;
    unlinkSync(file);

    // Act
    const description = await handler({}, context());

    // Assess
    expect(description).toMatch(/6 features/);
  });

  it.each([
    ['an empty string', '', /Option 'source' must be a file path, .* got an empty string/],
    ['a number', 5, /Option 'source' must be .*; got number/],
    [
      'an https URL',
      'https://example.com/model.json',
      /Option 'source' "https:\/\/example\.com\/model\.json" is not supported/,
    ],
    [
      'an s3 URL without a key',
      's3://bucket-only',
      /Option 'source' "s3:\/\/bucket-only" is not a valid s3:\/\/bucket\/key/,
    ],
  ])('refuses %s as the source at creation, naming the option', (_name, source, message) => {
    // Act
    const create = () => modelMiddleware({ source } as never);

    // Assess
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
  });

  it('refuses a misspelt option and a cacheExpiry over a day at creation, naming each', () => {
    // Act
    const misspelt = () => modelMiddleware({ source: FIXTURE, cacheExpire: 5 } as never);
    const tooLong = () => modelMiddleware({ source: FIXTURE, cacheExpiry: 172_800_000 });

    // Assess
    expect(misspelt).toThrow(/modelMiddleware: .*cacheExpire/);
    expect(tooLong).toThrow("modelMiddleware: Option 'cacheExpiry' must be <= 86400000.");
  });
});

describe('in a handler of your own', () => {
  it('gives a typed context.model, and scores the words the vocabulary middleware counts', async () => {
    // Prepare: the vocabulary first, as the model checks itself against it.
    const handler = middy<{ review: string }>()
      .use(vocabularyMiddleware({ source: WORDS }))
      .use(modelMiddleware({ source: FIXTURE }))
      .handler(async (event, context) => {
        expectTypeOf(context.model).toEqualTypeOf<XGBoostModel>();
        expectTypeOf(context.vocabulary).toMatchTypeOf<VocabularyContext['vocabulary']>();
        const { indices, counts } = bagOfWordsFor(context.vocabulary).count(event.review);
        return context.model.predictCounts(indices, counts);
      });
    const model = await loadXGBoostModel(FIXTURE);

    // Act
    const score = await handler({ review: 'Wonderful, moving film. Wonderful!' }, lambdaContext() as never);

    // Assess: the dense row the original would have sent, scored.
    expect(score).toBe(model.predictDense([[2, 1, 1, 0, 0, 0]])[0]);
    expect(model).toBeInstanceOf(XGBoostModel);
  });
});
