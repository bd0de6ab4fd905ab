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

/** The bags of words of a request's reviews, in order, and what was counted on the way. */
export interface CountedReviews {
  /** One row per review: the counts the original put in its dense `bow` list, kept sparse. */
  readonly rows: readonly WordCounts[];
  /** Words in all reviews after preprocessing. */
  readonly words: number;
  /** Of those, words found in the vocabulary. */
  readonly knownWords: number;
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

  /** {@link count} of each review, in order, with the totals. */
  countAll(reviews: readonly string[]): CountedReviews {
    const rows: WordCounts[] = new Array(reviews.length);
    let words = 0;
    let knownWords = 0;
    for (let r = 0; r < reviews.length; r++) {
      const row = this.count(reviews[r] as string);
      rows[r] = row;
      words += row.words;
      knownWords += row.knownWords;
    }
    return { rows, words, knownWords };
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

const bagsOfWords = new WeakMap<Vocabulary, BagOfWords>();

/**
 * The counter of this vocabulary, built on first use and kept as long as the vocabulary is: a warm
 * Lambda reuses its tables on every request.
 */
export function bagOfWordsFor(vocabulary: Vocabulary): BagOfWords {
  let bagOfWords = bagsOfWords.get(vocabulary);
  if (bagOfWords === undefined) {
    bagOfWords = new BagOfWords(vocabulary);
    bagsOfWords.set(vocabulary, bagOfWords);
  }
  return bagOfWords;
}
