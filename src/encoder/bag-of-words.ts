/**
 * The original's `bow_encoding`, kept sparse: only the columns a review touches are recorded.
 */
import { reviewToWords } from './python-text.ts';
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
  readonly #table: WordTable;
  readonly #scratch: Uint32Array;
  // Columns touched by the review being counted; reused, so counting allocates only its result.
  #touched: number[] = [];
  readonly #visit = (column: number): void => {
    if (column < 0) return;
    const scratch = this.#scratch;
    if (scratch[column] === 0) this.#touched.push(column);
    scratch[column] = (scratch[column] as number) + 1;
  };

  constructor(vocabulary: Vocabulary) {
    this.vocabulary = vocabulary;
    this.#table = new WordTable(vocabulary);
    this.#scratch = new Uint32Array(vocabulary.size);
  }

  /** The counts the original would have put in its dense `bow` list for this review. */
  count(review: string): WordCounts {
    const scratch = this.#scratch;
    this.#touched = [];
    const words = this.#table.scan(reviewToWords(review), this.#visit);
    const indices = Uint32Array.from(this.#touched).sort();
    const counts = new Uint32Array(indices.length);
    let knownWords = 0;
    for (let k = 0; k < indices.length; k++) {
      const index = indices[k] as number;
      const count = scratch[index] as number;
      counts[k] = count;
      knownWords += count;
      scratch[index] = 0; // leave the scratch array clean for the next review
    }
    return { indices, counts, words, knownWords };
  }
}
