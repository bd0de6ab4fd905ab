/**
 * The original's `bow_encoding`, kept sparse: only the columns a review touches are recorded.
 */
import { ReviewCounter } from './review-counter.ts';
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
 * {@link WordCounts} held in buffers that the next count overwrites: only `[0, distinct)` of
 * `indices` and `counts` belong to this review. For callers that consume the counts at once.
 */
export interface TransientWordCounts extends WordCounts {
  /** Number of columns with a non-zero count: the used length of `indices` and `counts`. */
  readonly distinct: number;
}

/**
 * Counts vocabulary words in reviews. Build one per vocabulary and reuse it: it keeps its tables and
 * buffers, so that a review costs work in its own length, not in the vocabulary's. The counting
 * itself runs in WebAssembly ({@link ReviewCounter}).
 */
export class BagOfWords {
  readonly vocabulary: Vocabulary;
  readonly #counter: ReviewCounter;

  constructor(vocabulary: Vocabulary) {
    this.vocabulary = vocabulary;
    this.#counter = new ReviewCounter(vocabulary);
  }

  /** The counts the original would have put in its dense `bow` list for this review. */
  count(review: string): WordCounts {
    const { indices, counts, distinct, words, knownWords } = this.countTransient(review);
    return { indices: indices.slice(0, distinct), counts: counts.slice(0, distinct), words, knownWords };
  }

  /** {@link count}, without allocating: the result's buffers are overwritten by the next call. */
  countTransient(review: string): TransientWordCounts {
    const counter = this.#counter;
    const distinct = counter.count(review);
    return {
      indices: counter.indices,
      counts: counter.counts,
      distinct,
      words: counter.words,
      knownWords: counter.knownWords,
    };
  }
}
