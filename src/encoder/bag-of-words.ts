/**
 * The original's `bow_encoding`, kept sparse: only the columns a review touches are recorded.
 */
import { pythonSplit, reviewToWords } from './python-text.ts';
import type { Vocabulary } from './vocabulary.ts';

/** Word counts of one review, by vocabulary column. */
export interface WordCounts {
  /** Columns with a non-zero count, ascending. */
  readonly indices: Uint32Array;
  /** `counts[k]` is the count of column `indices[k]`. */
  readonly counts: Uint32Array;
  /** Number of words in the review after preprocessing (the original's `words.split()`). */
  readonly words: number;
  /** How many of those words are in the vocabulary. */
  readonly knownWords: number;
}

/**
 * Counts vocabulary words in reviews. Build one per vocabulary and reuse it: it keeps a scratch
 * array of the vocabulary's width so that a review costs work in its own length, not in the
 * vocabulary's.
 */
export class BagOfWords {
  readonly vocabulary: Vocabulary;
  readonly #scratch: Uint32Array;

  constructor(vocabulary: Vocabulary) {
    this.vocabulary = vocabulary;
    this.#scratch = new Uint32Array(vocabulary.size);
  }

  /** The counts the original would have put in its dense `bow` list for this review. */
  count(review: string): WordCounts {
    const scratch = this.#scratch;
    const touched: number[] = [];
    const words = pythonSplit(reviewToWords(review));
    for (const word of words) {
      const index = this.vocabulary.indexOf(word);
      if (index === undefined) continue;
      if (scratch[index] === 0) touched.push(index);
      scratch[index] = (scratch[index] as number) + 1;
    }
    const indices = Uint32Array.from(touched).sort();
    const counts = new Uint32Array(indices.length);
    let knownWords = 0;
    for (let k = 0; k < indices.length; k++) {
      const index = indices[k] as number;
      const count = scratch[index] as number;
      counts[k] = count;
      knownWords += count;
      scratch[index] = 0; // leave the scratch array clean for the next review
    }
    return { indices, counts, words: words.length, knownWords };
  }
}
