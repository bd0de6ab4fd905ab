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
import { BagOfWords, pythonSplit, reviewToWords, Vocabulary } from '../../src/encoder/index.ts';
import { asciiReview, review } from '../helpers/review-arbitraries.ts';

const vocabulary = Vocabulary.fromJSON(readFileSync(GOLDEN_VOCABULARY_PATH, 'utf8'));

/** What the original counts, computed without the word table or the counter. */
function referenceCounts(text: string) {
  const words = pythonSplit(reviewToWords(text));
  const counts = new Map<number, number>();
  for (const word of words) {
    const column = vocabulary.indexOf(word);
    if (column !== undefined) counts.set(column, (counts.get(column) ?? 0) + 1);
  }
  const sorted = [...counts.entries()].sort(([p], [q]) => p - q);
  return {
    indices: sorted.map(([column]) => column),
    counts: sorted.map(([, count]) => count),
    words: words.length,
    knownWords: sorted.reduce((sum, [, count]) => sum + count, 0),
  };
}

const plain = (counts: ReturnType<BagOfWords['count']>) => ({
  indices: [...counts.indices],
  counts: [...counts.counts],
  words: counts.words,
  knownWords: counts.knownWords,
});

describe('WebAssembly review counter', () => {
  it('counts generated reviews as the reference does, ASCII and not, one after the other', () => {
    // Prepare: one counter for every review, so anything left over from one review shows in the next.
    const bagOfWords = new BagOfWords(vocabulary);
    const reviews = fc.oneof({ weight: 4, arbitrary: asciiReview }, { weight: 1, arbitrary: review });

    // Act / Assess
    fc.assert(
      fc.property(reviews, (text) => {
        expect(plain(bagOfWords.count(text))).toEqual(referenceCounts(text));
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
    const counted = texts.map((text) => plain(bagOfWords.count(text)));

    // Assess
    expect(counted).toEqual(texts.map(referenceCounts));
    expect(counted[4]?.knownWords).toBeGreaterThanOrEqual(140_000);
  });

  it('is what src/encoder/assembly/review-counter.ts compiles to (node scripts/generate-wasm.ts when this fails)', async () => {
    // Act
    const stale = await writeReviewCounter({ check: true });

    // Assess
    expect(stale).toBe(false);
  });
});
