/**
 * From a model score to the answer the client gets, rounded the way the original rounded.
 */

/** One review's result, as JSON clients receive it. */
export interface SentimentResult {
  /** `round(score)` with Python's rounding: `1` positive, `0` negative. */
  readonly sentiment: number;
  /** `NEGATIVE` when `sentiment` is 0, else `POSITIVE`, as the original web page labels it. */
  readonly label: 'POSITIVE' | 'NEGATIVE';
  /** The model's output, unchanged. */
  readonly score: number;
}

/**
 * Python 3's `round(x)` for a finite float: to the nearest integer, halves to even (`round(0.5) == 0`,
 * `round(1.5) == 2`). JavaScript's `Math.round(0.5)` is 1, which would flip the original's answer.
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

/** The result for one score. */
export function toSentiment(score: number): SentimentResult {
  const sentiment = pythonRound(score);
  return { sentiment, label: sentiment === 0 ? 'NEGATIVE' : 'POSITIVE', score };
}
