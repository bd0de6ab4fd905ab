/**
 * `bow_encoding` of the reference preprocessing (scripts/original_preprocessing.py), kept sparse: only the
 * columns a review touches are recorded.
 */
import { ReviewCounter } from './review-counter.ts';
import type { Vocabulary } from './vocabulary.ts';

/**
 * Word counts of one review, by vocabulary column.
 *
 * @example
 * ```ts
 * import { bagOfWordsFor, Vocabulary, type WordCounts } from 'sentiment-lambda';
 * const vocabulary = Vocabulary.fromWords(['bad', 'good']);
 * const counts: WordCounts = bagOfWordsFor(vocabulary).count('Good, good, not bad');
 * // indices [0, 1], counts [1, 2], words 4, knownWords 3
 * ```
 */
export interface WordCounts {
  /** Columns with a non-zero count, ascending. */
  readonly indices: Uint32Array;
  /** `counts[k]` is the count of column `indices[k]`. */
  readonly counts: Uint32Array;
  /** Number of words in the review after preprocessing (the reference's `words.split()`). */
  readonly words: number;
  /** How many of those words are in the vocabulary. */
  readonly knownWords: number;
}

/**
 * {@link WordCounts} held in buffers that the next count overwrites: only `[0, distinct)` of
 * `indices` and `counts` belong to this review. For callers that consume the counts at once.
 *
 * @example
 * ```ts
 * import { bagOfWordsFor, Vocabulary } from 'sentiment-lambda';
 * const bagOfWords = bagOfWordsFor(Vocabulary.fromWords(['bad', 'good']));
 * const { indices, distinct } = bagOfWords.countTransient('A good film');
 * const columns = Array.from(indices.subarray(0, distinct)); // copied before the next count overwrites them
 * ```
 */
export interface TransientWordCounts extends WordCounts {
  /** Number of columns with a non-zero count: the used length of `indices` and `counts`. */
  readonly distinct: number;
}

/**
 * The bags of words of a request's reviews, in order, and what was counted on the way.
 *
 * @example
 * ```ts
 * import { bagOfWordsFor, Vocabulary } from 'sentiment-lambda';
 * const bagOfWords = bagOfWordsFor(Vocabulary.fromWords(['bad', 'good']));
 * const { rows, words, knownWords } = bagOfWords.countAll(['A good film', 'Bad']);
 * const coverage = knownWords / words; // the share of the words the vocabulary knows: 2 of 4
 * ```
 */
export interface CountedReviews {
  /** One row per review: the counts `bow_encoding` puts in its dense `bow` list, kept sparse. */
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
 *
 * @example
 * ```ts
 * import { bagOfWordsFor, Vocabulary } from 'sentiment-lambda';
 * // Get it with bagOfWordsFor, which builds one per vocabulary and keeps it.
 * const bagOfWords = bagOfWordsFor(Vocabulary.fromWords(['bad', 'good']));
 * const { indices, counts } = bagOfWords.count('A good, good film'); // indices [1], counts [2]
 * ```
 */
export class BagOfWords {
  readonly vocabulary: Vocabulary;
  readonly #counter: ReviewCounter;

  constructor(vocabulary: Vocabulary) {
    this.vocabulary = vocabulary;
    this.#counter = new ReviewCounter(vocabulary);
  }

  /** The counts `bow_encoding` puts in its dense `bow` list for this review. */
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
 *
 * @example
 * ```ts
 * import { bagOfWordsFor, toSentiment, type Vocabulary, type XGBoostModel } from 'sentiment-lambda';
 * function labelOf(review: string, vocabulary: Vocabulary, model: XGBoostModel) {
 *   const { indices, counts } = bagOfWordsFor(vocabulary).count(review);
 *   return toSentiment(model.predictCounts(indices, counts)).label;
 * }
 * ```
 */
export function bagOfWordsFor(vocabulary: Vocabulary): BagOfWords {
  let bagOfWords = bagsOfWords.get(vocabulary);
  if (bagOfWords === undefined) {
    bagOfWords = new BagOfWords(vocabulary);
    bagsOfWords.set(vocabulary, bagOfWords);
  }
  return bagOfWords;
}
