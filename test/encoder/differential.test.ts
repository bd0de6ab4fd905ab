/**
 * Differential test: our encoder against the Python oracle of the original handler
 * (scripts/original_preprocessing.py), run as a subprocess on hundreds of generated adversarial reviews
 * per spawn. Any difference fails with the shrunk review and both bodies.
 *
 * Without python3 the live comparison cannot run; the file then says so plainly in its test name and log,
 * and still checks the golden fixtures (which the oracle produced) instead of passing silently.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GOLDEN_CASES_PATH,
  GOLDEN_VOCABULARY_PATH,
  pythonVersion,
  runOriginalPreprocessing,
} from '../../scripts/generate-golden-fixtures.ts';
import { createPayloadEncoder, Vocabulary } from '../../src/encoder/index.ts';
import { asciiReview, review } from '../helpers/review-arbitraries.ts';

const vocabulary = Vocabulary.fromJSON(readFileSync(GOLDEN_VOCABULARY_PATH, 'utf8'));
const csv = createPayloadEncoder(vocabulary, 'csv');
const python = pythonVersion();

/**
 * Shrinks a review on which we differ from the oracle: repeatedly drops the largest chunk of code points
 * whose removal keeps a difference, trying every candidate of a round in one python3 run.
 */
function shrinkDifference(failing: string): { review: string; python: string; ours: string } {
  let current = [...failing];
  for (;;) {
    const candidates: string[] = [];
    for (let size = current.length; size >= 1; size = Math.floor(size / 2)) {
      for (let at = 0; at < current.length; at += size) {
        candidates.push([...current.slice(0, at), ...current.slice(at + size)].join(''));
      }
    }
    const expected = runOriginalPreprocessing(GOLDEN_VOCABULARY_PATH, candidates);
    const smaller = candidates.findIndex((c, i) => csv.encode([c]).body !== expected[i]);
    if (smaller < 0) break;
    current = [...(candidates[smaller] as string)];
  }
  const review = current.join('');
  return {
    review,
    python: runOriginalPreprocessing(GOLDEN_VOCABULARY_PATH, [review])[0] as string,
    ours: csv.encode([review]).body,
  };
}

const BATCH = 400;
const RUNS = 50;
const ASCII_RUNS = 25;

describe('differential test against the original handler (scripts/original_preprocessing.py)', () => {
  if (python === undefined) {
    it('python3 not found: live comparison with the oracle NOT run; golden fixtures still checked', () => {
      // Prepare
      console.warn('python3 not found: live comparison with the oracle NOT run; golden fixtures still checked');
      const { cases } = JSON.parse(readFileSync(GOLDEN_CASES_PATH, 'utf8')) as {
        cases: Array<{ review: string; csv: string }>;
      };

      // Act
      const bodies = cases.map((c) => csv.encode([c.review]).body);

      // Assess
      expect(cases.length).toBeGreaterThan(0);
      expect(bodies).toEqual(cases.map((c) => c.csv));
    });
    return;
  }

  /** Compares `runs` batches of generated reviews with the oracle; returns how many were compared. */
  const compareWithOracle = (reviews: fc.Arbitrary<string>, runs: number, seed: number): number => {
    let compared = 0;
    const property = fc.property(fc.array(reviews, { minLength: BATCH, maxLength: BATCH }), (batch) => {
      // Act
      const expected = runOriginalPreprocessing(GOLDEN_VOCABULARY_PATH, batch);
      const actual = batch.map((r) => csv.encode([r]).body);
      compared += batch.length;

      // Assess
      const at = actual.findIndex((body, i) => body !== expected[i]);
      if (at >= 0) {
        const shrunk = shrinkDifference(batch[at] as string);
        throw new Error(
          `Review ${JSON.stringify(batch[at])} encodes differently.\n` +
            `Shrunk review: ${JSON.stringify(shrunk.review)}\n  python: ${shrunk.python}\n  ours:   ${shrunk.ours}`,
        );
      }
    });
    // fast-check does not shrink a failing batch (each step would run python3 on all of it): the failing
    // review is shrunk by shrinkDifference instead, in one python3 run per round.
    fc.assert(property, { numRuns: runs, seed, endOnFailure: true });
    return compared;
  };

  it(`gives the oracle's csv body for ${BATCH * RUNS}+ adversarial reviews (${python})`, () => {
    // Act
    const compared = compareWithOracle(review, RUNS, 0x5eed);

    // Assess
    console.info(`differential: ${compared} reviews compared with the oracle, no difference.`);
    expect(compared).toBeGreaterThanOrEqual(10_000);
  });

  it(`gives the oracle's csv body for ${BATCH * ASCII_RUNS}+ ASCII reviews, the ones counted as bytes`, () => {
    // Act
    const compared = compareWithOracle(asciiReview, ASCII_RUNS, 0xa5c11);

    // Assess
    console.info(`differential: ${compared} ASCII reviews compared with the oracle, no difference.`);
    expect(compared).toBeGreaterThanOrEqual(10_000);
  });

  it('finds the golden fixtures up to date: their bodies are what the oracle writes today', () => {
    // Prepare
    const { cases } = JSON.parse(readFileSync(GOLDEN_CASES_PATH, 'utf8')) as {
      cases: Array<{ review: string; csv: string }>;
    };

    // Act
    const bodies = runOriginalPreprocessing(
      GOLDEN_VOCABULARY_PATH,
      cases.map((c) => c.review),
    );

    // Assess: a difference means the fixtures are stale; `npm run fixtures:golden` rewrites them.
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.map((c) => c.csv)).toEqual(bodies);
  });

  it("gives the oracle's rows for a batch of reviews in one body", () => {
    // Prepare
    const reviews = fc.sample(review, { numRuns: 200, seed: 42 });

    // Act
    const body = csv.encode(reviews).body;

    // Assess
    expect(body).toBe(runOriginalPreprocessing(GOLDEN_VOCABULARY_PATH, reviews).join('\n'));
  });
});
