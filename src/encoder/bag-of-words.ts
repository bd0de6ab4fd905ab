/**
 * The original's `bow_encoding`, kept sparse: only the columns a review touches are recorded.
 */
import { ReviewScanner } from './review-scanner.ts';
import type { Vocabulary } from './vocabulary.ts';
import { WordTable } from './word-table.ts';

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
  readonly #scanner: ReviewScanner;
  readonly #scratch: Uint32Array;
  // One bit per column touched by the review being counted: read back in ascending order, no sort.
  readonly #touched: Uint32Array;
  #touchedCount = 0;
  readonly #record = (column: number): void => {
    if (column < 0) return;
    const scratch = this.#scratch;
    if (scratch[column] === 0) {
      this.#touched[column >>> 5] = (this.#touched[column >>> 5] as number) | (1 << (column & 31));
      this.#touchedCount++;
    }
    scratch[column] = (scratch[column] as number) + 1;
  };

  constructor(vocabulary: Vocabulary) {
    this.vocabulary = vocabulary;
    this.#scanner = new ReviewScanner(new WordTable(vocabulary));
    this.#scratch = new Uint32Array(vocabulary.size);
    this.#touched = new Uint32Array(Math.ceil(vocabulary.size / 32));
  }

  /** The counts the original would have put in its dense `bow` list for this review. */
  count(review: string): WordCounts {
    const scratch = this.#scratch;
    const touched = this.#touched;
    this.#touchedCount = 0;
    const words = this.#scanner.scan(review, this.#record);
    const n = this.#touchedCount;
    const indices = new Uint32Array(n);
    const counts = new Uint32Array(n);
    let knownWords = 0;
    for (let block = 0, k = 0; k < n; block++) {
      let bits = touched[block] as number;
      if (bits === 0) continue;
      touched[block] = 0; // leave the bitset and scratch clean for the next review
      while (bits !== 0) {
        const lowest = bits & -bits;
        const column = (block << 5) | (31 - Math.clz32(lowest));
        const count = scratch[column] as number;
        indices[k] = column;
        counts[k++] = count;
        knownWords += count;
        scratch[column] = 0;
        bits ^= lowest;
      }
    }
    return { indices, counts, words, knownWords };
  }
}
