/**
 * Why a review got its score, in the vocabulary's words: the explanation each result carries when a
 * request asks for one (`"explain": true`). It is xgboost's `pred_contribs` of the review's row (exact
 * TreeSHAP, src/xgboost/tree-shap.ts), in margin (log-odds) space, told by word.
 */
import type { WordCounts } from './encoder/bag-of-words.ts';
import type { Vocabulary } from './encoder/vocabulary.ts';
import type { MarginSplit } from './xgboost/tree-shap.ts';

/**
 * What one of the review's vocabulary words did to its score.
 *
 * @example
 * ```ts
 * import type { WordContribution } from 'sentiment-lambda';
 * const strongest = (words: readonly WordContribution[]) =>
 *   words.slice(0, 3).map(({ word, contribution }) => `${word} ${contribution > 0 ? '+' : ''}${contribution.toFixed(2)}`);
 * ```
 */
export interface WordContribution {
  /** The word, as the preprocessing left it (lower case, no punctuation). */
  readonly word: string;
  /** How many times the review has it. */
  readonly count: number;
  /** What it moved the margin by: positive towards `POSITIVE`, negative towards `NEGATIVE`. */
  readonly contribution: number;
}

/**
 * A result's explanation. `baseValue + Σ words[].contribution + otherWords = margin`, to float32 rounding,
 * wherever xgboost's own `pred_contribs` add up: the values are xgboost's, bit for bit, and in very deep
 * trees (20 levels and more) xgboost's float32 arithmetic drifts (test/xgboost/tree-shap.test.ts names a
 * model). The score is the margin through the model's link (the sigmoid of `binary:logistic`).
 *
 * @example
 * ```ts
 * import type { Explanation } from 'sentiment-lambda';
 * // The margin, added up from its parts; the score of a binary:logistic model is its sigmoid.
 * const marginOf = ({ baseValue, words, otherWords }: Explanation) =>
 *   words.reduce((sum, { contribution }) => sum + contribution, baseValue + otherWords);
 * ```
 */
export interface Explanation {
  /** The expected margin, before any word: xgboost's bias column, `base_score` included. */
  readonly baseValue: number;
  /** The review's vocabulary words, largest effect first (ties by word). */
  readonly words: readonly WordContribution[];
  /**
   * What the vocabulary's other words, those the review lacks, moved the margin by together: a tree that
   * splits on "bad" moves a review without "bad" too.
   */
  readonly otherWords: number;
  /** The score before the link: the model's own margin of the review. */
  readonly margin: number;
}

/**
 * The explanation of one review: its row's split of the margin, told by word.
 * @param row the review's counts, as the backend scored them
 */
export function explanationOf(split: MarginSplit, row: WordCounts, vocabulary: Vocabulary): Explanation {
  const { contributions } = split;
  const wordsByColumn = vocabulary.wordsByColumn;
  const words: WordContribution[] = new Array(row.indices.length);
  let ownWords = 0;
  for (let k = 0; k < row.indices.length; k++) {
    const column = row.indices[k] as number;
    const contribution = contributions[column] as number;
    ownWords += contribution;
    words[k] = { word: wordsByColumn[column] as string, count: row.counts[k] as number, contribution };
  }
  words.sort(
    (a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0),
  );
  let allWords = 0;
  for (let column = 0; column < contributions.length; column++) allWords += contributions[column] as number;
  return {
    baseValue: float32Number(split.bias),
    words: words.map((entry) => ({ ...entry, contribution: float32Number(entry.contribution) })),
    otherWords: float32Number(allWords - ownWords),
    margin: float32Number(split.margin),
  };
}

/**
 * The shortest decimal that reads back as the same float32 as `value`: the explanation's figures are
 * float32 values (xgboost computes them in `float`), and their doubles' digits beyond that (0.4099999964...)
 * would claim a precision they do not have.
 */
export function float32Number(value: number): number {
  const single = Math.fround(value);
  if (!Number.isFinite(single) || single === 0) return single;
  for (let digits = 1; digits < 9; digits++) {
    const shorter = Number(single.toPrecision(digits));
    if (Math.fround(shorter) === single) return shorter;
  }
  return Number(single.toPrecision(9));
}
