/**
 * From a model score to the answer the client gets, rounded as Python's `round()` rounds (half to even:
 * 0.5 gives 0), which is how the text contract's `1`/`0` is defined.
 */

/**
 * One review's result, as JSON clients receive it.
 *
 * @example
 * ```ts
 * import { type SentimentResult, toSentiment } from 'sentiment-lambda';
 * const result: SentimentResult = toSentiment(0.87); // { sentiment: 1, label: 'POSITIVE', score: 0.87 }
 * ```
 */
export interface SentimentResult {
  /** `round(score)` with Python's rounding: `1` positive, `0` negative. */
  readonly sentiment: number;
  /** `NEGATIVE` when `sentiment` is 0, else `POSITIVE`, as the web page (local/web/) labels it. */
  readonly label: 'POSITIVE' | 'NEGATIVE';
  /** The model's output, unchanged. */
  readonly score: number;
}

/**
 * Python 3's `round(x)` for a finite float: to the nearest integer, halves to even (`round(0.5) == 0`,
 * `round(1.5) == 2`). JavaScript's `Math.round(0.5)` is 1, which would answer 1 where Python answers 0.
 */
export function pythonRound(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor; // exact for every finite double
  let rounded: number;
  if (fraction < 0.5) rounded = floor;
  else if (fraction > 0.5) rounded = floor + 1;
  else rounded = floor % 2 === 0 ? floor : floor + 1;
  return rounded === 0 ? 0 : rounded; // no -0: Python's int has none
}

/**
 * The result for one score.
 *
 * @example
 * ```ts
 * import { toSentiment } from 'sentiment-lambda';
 * toSentiment(0.5).label; // 'NEGATIVE': 0.5 rounds to 0, as Python's round() does
 * toSentiment(0.51).sentiment; // 1
 * ```
 */
export function toSentiment(score: number): SentimentResult {
  const sentiment = pythonRound(score);
  return { sentiment, label: sentiment === 0 ? 'NEGATIVE' : 'POSITIVE', score };
}
