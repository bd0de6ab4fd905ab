/**
 * What `classify` does to each review, in the main thread and in every worker: the deployed function's
 * in-process path, count (the preprocessing and bag of words of scripts/original_preprocessing.py) ->
 * `predictCounts` -> `toSentiment`, written as the API writes each result, so the CLI's answers are the
 * function's. With `explain`, as the API answers `"explain": true`: the score from the review's TreeSHAP
 * split, and the explanation beside it.
 */
import { bagOfWordsFor } from '../encoder/bag-of-words.ts';
import type { Vocabulary } from '../encoder/vocabulary.ts';
import { explanationOf } from '../explanation.ts';
import { toSentiment } from '../sentiment.ts';
import type { XGBoostModel } from '../xgboost/model.ts';
import { treeShap } from '../xgboost/tree-shap.ts';

/** Scores reviews, in order: one JSON result and `\n` per review, `{"sentiment":1,"label":"POSITIVE","score":0.87}`. */
export type ReviewScorer = (reviews: readonly string[]) => string;

/**
 * The scorer of a model and the vocabulary it was trained with (their widths are checked by the caller).
 * @throws {ModelFormatProblem} with `explain`, when the model cannot explain its scores (no node covers).
 */
export function createReviewScorer(model: XGBoostModel, vocabulary: Vocabulary, explain = false): ReviewScorer {
  const bagOfWords = bagOfWordsFor(vocabulary);
  if (explain) {
    // Asked once now, so that a model without covers is refused before any input is read.
    treeShap(model, { indices: [], counts: [] });
    return (reviews) => {
      let lines = '';
      for (const review of reviews) {
        const row = bagOfWords.count(review);
        const split = treeShap(model, row);
        const result = {
          ...toSentiment(model.scoreOfMargin(split.margin)),
          explanation: explanationOf(split, row, vocabulary),
        };
        lines += `${JSON.stringify(result)}\n`;
      }
      return lines;
    };
  }
  return (reviews) => {
    let lines = '';
    for (const review of reviews) {
      // countTransient is count() without copying the counts out: they are scored at once.
      const { indices, counts, distinct } = bagOfWords.countTransient(review);
      lines += `${JSON.stringify(toSentiment(model.predictCounts(indices, counts, distinct)))}\n`;
    }
    return lines;
  };
}
