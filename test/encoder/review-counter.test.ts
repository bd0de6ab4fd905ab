/**
 * The WebAssembly counter (src/encoder/review-counter.ts) counts every review: ASCII ones as bytes, the
 * others as UTF-16 code units, lowercased by JavaScript first when CPython's lower() changes a
 * character beyond ASCII. These tests hold it to an independent reference that needs no python3
 * (CPython-exact preprocessing, `split()` and a lookup per word), check its memory as reviews grow,
 * and check the committed module is what its AssemblyScript source compiles to.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GOLDEN_VOCABULARY_PATH } from '../../scripts/generate-golden-fixtures.ts';
import { writeReviewCounter } from '../../scripts/generate-wasm.ts';
import { BagOfWords, Vocabulary } from '../../src/encoder/index.ts';
import { plainCounts, referenceCounts } from '../helpers/reference-counts.ts';
import { asciiReview, review } from '../helpers/review-arbitraries.ts';

const vocabulary = Vocabulary.fromJSON(readFileSync(GOLDEN_VOCABULARY_PATH, 'utf8'));

describe('WebAssembly review counter', () => {
  it('counts generated reviews as the reference does, ASCII and not, one after the other', () => {
    // Prepare: one counter for every review, so anything left over from one review shows in the next.
    const bagOfWords = new BagOfWords(vocabulary);
    const reviews = fc.oneof({ weight: 4, arbitrary: asciiReview }, { weight: 1, arbitrary: review });

    // Act / Assess
    fc.assert(
      fc.property(reviews, (text) => {
        expect(plainCounts(bagOfWords.count(text))).toEqual(referenceCounts(vocabulary, text));
      }),
      { numRuns: 5_000, seed: 0xc0de },
    );
  });

  it('grows its memory for longer reviews, and counts shorter ones the same afterwards', () => {
    // Prepare: both kinds of review, each longer than the one before; then short ones again.
    const bagOfWords = new BagOfWords(vocabulary);
    const unit = 'Good movie, <br /><br />bad film! its ';
    const texts = [
      unit,
      unit.repeat(500),
      `É ${unit.repeat(2_000)}`,
      unit.repeat(20_000),
      `Σ ${'good bad '.repeat(70_000)}ΑΣ`,
      unit,
      'É good',
    ];

    // Act
    const counted = texts.map((text) => plainCounts(bagOfWords.count(text)));

    // Assess
    expect(counted).toEqual(texts.map((text) => referenceCounts(vocabulary, text)));
    expect(counted[4]?.knownWords).toBeGreaterThanOrEqual(140_000);
  });

  it('is what src/encoder/assembly/review-counter.ts compiles to (npm run generate:wasm when this fails)', async () => {
    // Act
    const stale = await writeReviewCounter({ check: true });

    // Assess
    expect(stale).toBe(false);
  });
});
