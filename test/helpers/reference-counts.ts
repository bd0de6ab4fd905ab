/**
 * What the original counts for a review, computed the plain way: CPython-exact preprocessing,
 * `split()`, then a dict lookup per word. The encoder's tests hold its WebAssembly counter to this,
 * without python3.
 */
import type { WordCounts } from '../../src/encoder/bag-of-words.ts';
import { pythonSplit, reviewToWords, type Vocabulary } from '../../src/encoder/index.ts';

/** {@link WordCounts} with plain arrays, as `toEqual` compares them. */
export interface PlainWordCounts {
  indices: number[];
  counts: number[];
  words: number;
  knownWords: number;
}

export function referenceCounts(vocabulary: Vocabulary, review: string): PlainWordCounts {
  const words = pythonSplit(reviewToWords(review));
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

/** The encoder's counts with plain arrays. */
export const plainCounts = ({ indices, counts, words, knownWords }: WordCounts): PlainWordCounts => ({
  indices: [...indices],
  counts: [...counts],
  words,
  knownWords,
});
