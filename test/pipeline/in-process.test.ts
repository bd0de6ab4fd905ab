/**
 * The model in the function (`createHandler({ model, vocabulary })`) against the same model behind the
 * local SageMaker-compatible endpoint (`createHandler({ endpointName, vocabulary })`): every answer is the
 * same, byte for byte (the page's `1`/`0`, the JSON results and their scores, the batch, every error
 * status), in both row formats. And what only the in-process shape has: both backends or neither is a
 * setup error naming both options; a model it cannot use is a 503 whose reason is in the log.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { clearCache } from '@middy/util';
import type { APIGatewayProxyResult } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadLabelledSentences } from '../../default-model/accuracy.ts';
import { DEFAULT_MODEL_FILE, DEFAULT_VOCABULARY_FILE } from '../../default-model/files.ts';
import { DEFAULT_ENDPOINT_NAME, type EndpointServer, startEndpointServer } from '../../local/endpoint/server.ts';
import { createLocalHandler } from '../../local/stack.ts';
import { MODEL_UNAVAILABLE_MESSAGE } from '../../middlewares/model.ts';
import { bagOfWordsFor } from '../../src/encoder/bag-of-words.ts';
import type { PayloadFormat } from '../../src/encoder/payload.ts';
import { Vocabulary } from '../../src/encoder/vocabulary.ts';
import { createHandler, type SentimentHandler } from '../../src/pipeline.ts';
import { lambdaContext, restApiEvent } from '../../src/testing/events.ts';
import { loadXGBoostModel } from '../../src/xgboost/load.ts';
import type { XGBoostModel } from '../../src/xgboost/model.ts';
import {
  batchRequest,
  captureOutput,
  jsonRequest,
  type OutputCapture,
  pageRequest,
  tempDir,
} from '../helpers/pipeline.ts';
import { review as adversarialReview } from '../helpers/review-arbitraries.ts';

const quiet = () => new Logger({ serviceName: 'in-process-test', logLevel: 'SILENT' });

let endpoint: EndpointServer;
let model: XGBoostModel;
let vocabulary: Vocabulary;
let output: OutputCapture;

beforeAll(async () => {
  model = await loadXGBoostModel(DEFAULT_MODEL_FILE);
  vocabulary = Vocabulary.fromJSON(readFileSync(DEFAULT_VOCABULARY_FILE, 'utf8'));
  endpoint = await startEndpointServer({ models: { [DEFAULT_ENDPOINT_NAME]: model } });
});

afterAll(async () => {
  await endpoint?.close();
});

beforeEach(() => {
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  clearCache();
});

/** The two shapes over the default model, with one row format. */
function bothShapes(payloadFormat: PayloadFormat): { viaEndpoint: SentimentHandler; inProcess: SentimentHandler } {
  const common = { payloadFormat, logger: quiet(), metrics: false as const };
  return {
    viaEndpoint: createLocalHandler(endpoint.url, vocabulary, common),
    inProcess: createHandler({ model: { source: model }, vocabulary: { source: vocabulary }, ...common }),
  };
}

/**
 * Reviews that reach many of the model's splits: the project's hand-written sentences, and bags of the
 * vocabulary's own words with case, punctuation, markup and repeats (counts of 10 and more included).
 */
function realisticReviews(count: number): string[] {
  const words = vocabulary.wordsByColumn;
  const random = fc
    .sample(
      fc.array(
        fc.record({
          word: fc.constantFrom(...words),
          upper: fc.boolean(),
          repeat: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 12 })),
          after: fc.constantFrom(' ', ', ', '. ', '! ', ' <br /><br />', '-', '/'),
        }),
        { minLength: 1, maxLength: 60 },
      ),
      { numRuns: count, seed: 0x1b5 },
    )
    .map((parts) =>
      parts
        .map(({ word, upper, repeat, after }) => `${upper ? word.toUpperCase() : word}${after}`.repeat(repeat))
        .join(''),
    );
  return [...loadLabelledSentences().map((sentence) => sentence.text), ...random];
}

/** Each event's answer, in order; the events are built anew for each handler (a chain parses the body in place). */
async function answers(handler: SentimentHandler, events: () => object[]): Promise<APIGatewayProxyResult[]> {
  const replies: APIGatewayProxyResult[] = [];
  for (const event of events()) replies.push((await handler(event as never, lambdaContext())) as APIGatewayProxyResult);
  return replies;
}

/** What a client sees of an answer: status, body and the headers that vary (the rest are the chain's). */
const visible = ({ statusCode, body, headers }: APIGatewayProxyResult) => ({
  statusCode,
  body,
  type: headers?.['Content-Type'],
  retryAfter: headers?.['Retry-After'],
});

describe.each(['csv', 'libsvm'] as const)('the model in the function, rows as %s', (payloadFormat) => {
  it('answers every review exactly as the same model behind the endpoint: the page, JSON, batches', async () => {
    // Prepare
    const { viaEndpoint, inProcess } = bothShapes(payloadFormat);
    // Behind the endpoint a libsvm row of no known word is empty, and the container answers it no score
    // (a 502): such reviews are compared in csv only (the model in the function scores them either way).
    const knowsAWord = (text: string) =>
      payloadFormat === 'csv' || bagOfWordsFor(vocabulary).count(text).knownWords > 0;
    const reviews = [
      ...realisticReviews(300),
      ...fc.sample(adversarialReview, { numRuns: 100, seed: 0xad5 }).filter((text) => text.trim() !== ''),
    ].filter(knowsAWord);
    const events = () => [
      ...reviews.map((text) => pageRequest(text)),
      ...reviews.slice(0, 120).map((text) => pageRequest(text, { Accept: 'application/json' })),
      ...reviews.slice(0, 120).map((text) => jsonRequest({ review: text })),
      batchRequest(reviews.slice(0, 100)),
      batchRequest(reviews.slice(100, 200)),
    ];

    // Act
    const expected = await answers(viaEndpoint, events);
    const actual = await answers(inProcess, events);

    // Assess
    expect(actual.map(visible)).toEqual(expected.map(visible));
    const scores = actual
      .slice(reviews.length, reviews.length + 120)
      .map((reply) => JSON.parse(reply.body).score as number);
    // The reviews reach many leaves, not one answer (fewer with missing values, where default paths merge).
    expect(new Set(scores).size).toBeGreaterThan(payloadFormat === 'csv' ? 50 : 20);
    expect(expected.filter((reply) => reply.statusCode !== 200)).toEqual([]);
  });

  it('answers every client error with the same status and message', async () => {
    // Prepare
    const { viaEndpoint, inProcess } = bothShapes(payloadFormat);
    const events = () => [
      pageRequest('   '),
      restApiEvent({ method: 'GET', body: '' }),
      restApiEvent({ body: 'good', headers: { 'Content-Type': 'text/html' } }),
      jsonRequest({ reviews: 'not a list' }),
      jsonRequest({ reviews: Array.from({ length: 101 }, () => 'good') }),
      restApiEvent({ body: '{"review": ', headers: { 'Content-Type': 'application/json' } }),
    ];

    // Act
    const expected = await answers(viaEndpoint, events);
    const actual = await answers(inProcess, events);

    // Assess
    expect(actual.map(visible)).toEqual(expected.map(visible));
    expect(actual.map((reply) => reply.statusCode)).toEqual([400, 405, 415, 422, 413, 400]);
  });
});

describe('createHandler with the model in the function', () => {
  it.each([
    ['both', { endpointName: 'sentiment', model: { source: 'model.packed' } }, 'both were given'],
    ['neither', {}, 'neither was given'],
  ])('refuses %s of endpointName and model at creation, naming both options', (_name, backend, says) => {
    // Act
    const create = () => createHandler({ vocabulary: { source: ['good'] }, ...backend } as never);

    // Assess
    expect(create).toThrow(TypeError);
    expect(create).toThrow(`createHandler: give exactly one of Option 'endpointName'`);
    expect(create).toThrow(`Option 'model'`);
    expect(create).toThrow(says);
  });

  it('answers 503 while the model cannot be read, the reason in the log, and serves once the file is there', async () => {
    // Prepare
    const temp = tempDir();
    try {
      const file = join(temp.dir, 'model.ubj');
      const handler = createHandler({
        model: { source: file },
        vocabulary: { source: vocabulary },
        logger: new Logger({ serviceName: 'in-process-test', logLevel: 'INFO' }),
        metrics: false,
      });

      // Act
      const missing = (await handler(pageRequest('good'), lambdaContext())) as APIGatewayProxyResult;
      temp.write('model.ubj', '');
      const logged = output.requestLines().at(-1);
      const empty = (await handler(pageRequest('good'), lambdaContext())) as APIGatewayProxyResult;
      const emptyLogged = output.requestLines().at(-1);
      temp.write('model.ubj', readFileSync(DEFAULT_MODEL_FILE).toString('latin1'));
      const corruptLatin1 = (await handler(pageRequest('good'), lambdaContext())) as APIGatewayProxyResult;

      // Assess
      expect(missing).toMatchObject({ statusCode: 503, body: MODEL_UNAVAILABLE_MESSAGE });
      expect(logged).toMatchObject({
        status: 503,
        causeMessage: `Cannot read the model ${file}: no such file or directory.`,
      });
      expect(empty.statusCode).toBe(503);
      expect(emptyLogged).toMatchObject({ cause: 'ModelLoadError', causeMessage: `${file}: the file is empty` });
      expect(corruptLatin1.statusCode).toBe(503);
    } finally {
      temp.cleanup();
    }
  });

  it('answers 503 naming both widths for a vocabulary of another model', async () => {
    // Prepare
    const handler = createHandler({
      model: { source: model },
      vocabulary: { source: ['good', 'bad'] },
      logger: new Logger({ serviceName: 'in-process-test', logLevel: 'INFO' }),
      metrics: false,
    });

    // Act
    const reply = (await handler(pageRequest('good'), lambdaContext())) as APIGatewayProxyResult;

    // Assess
    expect(reply.statusCode).toBe(503);
    expect(reply.body).toBe(
      'The sentiment model takes 5000 features but its vocabulary has 2 words, so the review could not be classified: ' +
        'the function is deployed with a vocabulary of another model.',
    );
    expect(output.requestLines().at(-1)).toMatchObject({ cause: 'ModelVocabularyMismatch' });
  });
});
