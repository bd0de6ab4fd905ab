/**
 * Explanations in the API: `"explain": true` (JSON) or `?explain=true` (the page's text body) answer each
 * result with the review's words and what each moved the margin by, as xgboost's pred_contribs does (the
 * values themselves are held to xgboost in test/xgboost/tree-shap.test.ts). Without it, nothing changes;
 * asked of a function that calls an endpoint, a 400 that says why and what to do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { clearCache } from '@middy/util';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_FILE, DEFAULT_VOCABULARY_FILE } from '../../default-model/files.ts';
import { bagOfWordsFor } from '../../src/encoder/bag-of-words.ts';
import { Vocabulary } from '../../src/encoder/vocabulary.ts';
import type { Explanation } from '../../src/explanation.ts';
import { createHandler, type SentimentHandler } from '../../src/pipeline.ts';
import { EXPLAIN_NEEDS_THE_MODEL_MESSAGE } from '../../src/review-classifier.ts';
import { answerOf, httpApiEvent, lambdaContext, restApiEvent } from '../../src/testing/events.ts';
import { loadXGBoostModel } from '../../src/xgboost/load.ts';
import type { XGBoostModel } from '../../src/xgboost/model.ts';
import { treeShap } from '../../src/xgboost/tree-shap.ts';
import { jsonRequest, pageRequest, tempDir, usePipelineHarness } from '../helpers/pipeline.ts';
import { FIXTURES } from '../helpers/xgboost-oracle.ts';

const REVIEW = 'What a wonderful, moving film. Not boring at all, though the ending drags.';

let model: XGBoostModel;
let vocabulary: Vocabulary;
let handler: SentimentHandler;

const quiet = () => new Logger({ serviceName: 'explain-test', logLevel: 'SILENT' });
const { newHandler: endpointHandler } = usePipelineHarness({ reply: '0.75\n' });

beforeAll(async () => {
  model = await loadXGBoostModel(DEFAULT_MODEL_FILE);
  vocabulary = Vocabulary.fromJSON(readFileSync(DEFAULT_VOCABULARY_FILE, 'utf8'));
  handler = createHandler({
    model: { source: model },
    vocabulary: { source: vocabulary },
    logger: quiet(),
    metrics: false,
  });
});

afterEach(() => clearCache());

async function ask(event: object, using = handler): Promise<APIGatewayProxyResult> {
  return (await using(event as never, lambdaContext())) as APIGatewayProxyResult;
}

const float32Close = (a: number, b: number) => Math.abs(a - b) <= 4e-7 * Math.max(1, Math.abs(b));

describe('"explain": true on the model in the function', () => {
  it("answers the review's words, largest effect first, each with its count and xgboost's contribution", async () => {
    // Prepare
    const row = bagOfWordsFor(vocabulary).count(REVIEW);
    const split = treeShap(model, row);

    // Act
    const reply = await ask(jsonRequest({ review: REVIEW, explain: true }));

    // Assess
    expect(reply.statusCode).toBe(200);
    const { explanation, score } = JSON.parse(reply.body) as { explanation: Explanation; score: number };
    expect(score).toBe(model.predictCounts(row.indices, row.counts));
    expect(Math.fround(explanation.margin)).toBe(Math.fround(split.margin)); // the same float32, written short
    expect(float32Close(explanation.baseValue, split.bias)).toBe(true);
    expect(explanation.words.map((entry) => entry.word).sort()).toEqual(
      [...row.indices].map((column) => vocabulary.wordsByColumn[column]).sort(),
    );
    for (const { word, count, contribution } of explanation.words) {
      const column = vocabulary.indexOf(word) as number;
      expect(count).toBe(row.counts[row.indices.indexOf(column)]);
      expect(float32Close(contribution, split.contributions[column] as number)).toBe(true);
    }
    const effects = explanation.words.map((entry) => Math.abs(entry.contribution));
    expect(effects).toEqual([...effects].sort((a, b) => b - a));
  });

  it('adds up: baseValue + the words + otherWords is the margin, whose sigmoid is the score', async () => {
    // Prepare
    const reviews = [REVIEW, 'dull', 'An absolute masterpiece, beautifully shot.', 'zzz qqq'];

    // Act
    const reply = await ask(jsonRequest({ reviews, explain: true }));

    // Assess
    const { results } = JSON.parse(reply.body) as { results: { score: number; explanation: Explanation }[] };
    expect(results).toHaveLength(reviews.length);
    for (const { score, explanation } of results) {
      const sum = explanation.words.reduce((total, entry) => total + entry.contribution, 0);
      expect(Math.abs(explanation.baseValue + sum + explanation.otherWords - explanation.margin)).toBeLessThan(1e-5);
      expect(Math.abs(1 / (1 + Math.exp(-explanation.margin)) - score)).toBeLessThan(1e-6);
    }
    // A review of no vocabulary word: all its margin's move is the other words'.
    expect(results[3]?.explanation.words).toEqual([]);
  });

  it('reads ?explain=true on the page text body, and answers JSON whatever the client accepts', async () => {
    // Act
    const rest = await ask(restApiEvent({ body: REVIEW, query: { explain: 'true' } }));
    const v2 = await ask(httpApiEvent({ body: REVIEW, query: { explain: 'true' } }));
    const plain = await ask(restApiEvent({ body: REVIEW }));

    // Assess
    expect(rest.headers?.['Content-Type']).toMatch(/^application\/json/);
    expect(JSON.parse(rest.body).explanation.words.length).toBeGreaterThan(3);
    expect(v2.body).toBe(rest.body);
    expect(plain.body).toMatch(/^[01]$/);
    expect(String(JSON.parse(rest.body).sentiment)).toBe(plain.body);
  });

  it('answers exactly as before, byte for byte, without explain or with explain false', async () => {
    // Act
    const without = await ask(jsonRequest({ review: REVIEW }));
    const withFalse = await ask(jsonRequest({ review: REVIEW, explain: false }));
    const queryFalse = await ask(pageRequest(REVIEW, { Accept: 'application/json' }));

    // Assess
    expect(JSON.parse(without.body)).not.toHaveProperty('explanation');
    expect(withFalse.body).toBe(without.body);
    expect(queryFalse.body).toBe(without.body);
  });

  it.each([
    [{ body: '{"review": "good", "explain": "yes"}' }, 422, '"explain" must be true or false.'],
    [{ body: '{"explain": true}' }, 422, 'The JSON body must have exactly one of "review" or "reviews"'],
    [{ body: '{"review": "good", "reviews": ["bad"], "explain": true}' }, 422, 'exactly one of "review" or "reviews"'],
  ])('refuses a malformed request for explanations: %j -> %i', async ({ body }, status, message) => {
    // Act
    const reply = await ask(restApiEvent({ body, headers: { 'Content-Type': 'application/json' } }));

    // Assess
    expect(reply.statusCode).toBe(status);
    expect(JSON.parse(reply.body).error.message).toContain(message);
  });

  it('refuses ?explain=yes with a 400 naming the parameter', async () => {
    // Act
    const reply = await ask(restApiEvent({ body: REVIEW, query: { explain: 'yes' } }));

    // Assess
    expect(reply.statusCode).toBe(400);
    expect(reply.body).toBe('The query parameter explain must be true or false, got "yes".');
  });

  it('says a model without node covers cannot explain itself: 400, and it still scores without explain', async () => {
    // Prepare: a model file whose trees lost their covers (sum_hessian).
    const temp = tempDir();
    try {
      const document = JSON.parse(readFileSync(join(FIXTURES, 'binary-logistic/model.json'), 'utf8'));
      for (const tree of document.learner.gradient_booster.model.trees) delete tree.sum_hessian;
      const file = temp.write('no-covers.json', JSON.stringify(document));
      const words = ['wonderful', 'moving', 'film', 'awful', 'boring', 'worst'];
      const noCovers = createHandler({
        model: { source: file },
        vocabulary: { source: words },
        logger: quiet(),
        metrics: false,
      });

      // Act
      const explained = await ask(jsonRequest({ review: 'wonderful film', explain: true }), noCovers);
      const scored = await ask(jsonRequest({ review: 'wonderful film' }), noCovers);

      // Assess
      expect(explained.statusCode).toBe(400);
      expect(JSON.parse(explained.body).error.message).toMatch(/^This model cannot explain its scores \(.*cover/);
      expect(scored.statusCode).toBe(200);
    } finally {
      temp.cleanup();
    }
  });
});

describe('"explain": true on a function that calls a SageMaker endpoint', () => {
  it('is a 400 that says why (the model is not in the function) and what to do, calling no endpoint', async () => {
    // Prepare
    const viaEndpoint = endpointHandler();

    // Act
    const json = await ask(jsonRequest({ review: REVIEW, explain: true }), viaEndpoint);
    const text = await ask(restApiEvent({ body: REVIEW, query: { explain: 'true' } }), viaEndpoint);
    const plain = await ask(restApiEvent({ body: REVIEW }), viaEndpoint);

    // Assess
    expect(json.statusCode).toBe(400);
    expect(JSON.parse(json.body).error.message).toBe(EXPLAIN_NEEDS_THE_MODEL_MESSAGE);
    expect(text).toMatchObject({ statusCode: 400, body: EXPLAIN_NEEDS_THE_MODEL_MESSAGE });
    expect(plain.statusCode).toBe(200);
  });
});

describe('the typed testing helpers (sentiment-lambda/testing)', () => {
  it('send a typed JSON request with explain and read the typed answer', async () => {
    // Act
    const answer = answerOf(
      await handler(restApiEvent({ json: { reviews: [REVIEW, 'Dull.'], explain: true } }), lambdaContext()),
    );

    // Assess
    expect('results' in answer).toBe(true);
    const results = 'results' in answer ? answer.results : [];
    expect(results).toHaveLength(2);
    for (const result of results) expect(result.explanation?.margin).toBeTypeOf('number');
  });

  it('answerOf names the status and body of an answer that is not a JSON 200', async () => {
    // Prepare
    const refused = await endpointHandler()(restApiEvent({ json: { review: REVIEW, explain: true } }), lambdaContext());

    // Act
    const read = () => answerOf(refused as never);

    // Assess
    expect(read).toThrow(/^Expected a 200 with a JSON body, got 400 .*Explanations need the model in the function/);
  });

  it('refuses a request given both a body and json', () => {
    // Act
    const build = () => restApiEvent({ body: 'text', json: { review: REVIEW } });

    // Assess
    expect(build).toThrow(new TypeError('A test request has a body or json, not both.'));
  });
});
