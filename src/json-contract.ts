/**
 * The JSON bodies of the HTTP contract (docs/http-contract.md), typed for clients and tests: what a
 * client sends (`application/json`) and what it gets back.
 */
import type { Explanation } from './explanation.ts';
import type { SentimentResult } from './sentiment.ts';

/**
 * A JSON request: one review or a batch, and whether each result should carry its explanation (which
 * needs the model in the function).
 *
 * @example
 * ```ts
 * import type { ReviewRequestBody } from 'sentiment-lambda';
 * const one: ReviewRequestBody = { review: 'What a wonderful film', explain: true };
 * const batch: ReviewRequestBody = { reviews: ['Great', 'Dull'] };
 * ```
 */
export type ReviewRequestBody = (
  | { readonly review: string; readonly reviews?: never }
  | { readonly reviews: readonly string[]; readonly review?: never }
) & { readonly explain?: boolean };

/**
 * One review's result, with its explanation when the request asked for one.
 *
 * @example
 * ```ts
 * import type { ReviewResult } from 'sentiment-lambda';
 * const result: ReviewResult = { sentiment: 1, label: 'POSITIVE', score: 0.87 };
 * ```
 */
export interface ReviewResult extends SentimentResult {
  readonly explanation?: Explanation;
}

/**
 * A 200's JSON body: the result of `{"review"}` (or of a text request that accepts JSON), or
 * `{"results": [...]}` for `{"reviews"}`, in request order.
 *
 * @example
 * ```ts
 * import type { ReviewAnswer } from 'sentiment-lambda';
 * const answer = JSON.parse(response.body) as ReviewAnswer;
 * const results = 'results' in answer ? answer.results : [answer];
 * ```
 */
export type ReviewAnswer = ReviewResult | { readonly results: readonly ReviewResult[] };
