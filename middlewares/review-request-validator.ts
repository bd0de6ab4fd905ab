/**
 * Validates a parsed review request and exposes its reviews, typed, as `context.reviewRequest`.
 *
 * Shape is checked by `@middy/validator` against `schemas/review-request.schema.json` (compiled ahead of
 * time to Ajv standalone code: no schema compiler at cold start). Its generic "Event object failed
 * validation" is turned into a message that names the field and says what to send. Limits are checked
 * in code because they are deployment settings: blank review 400, review too long 413, batch too big 413.
 */
import type { MiddlewareObj } from '@middy/core';
import type { HttpError } from '@middy/util';
import validator from '@middy/validator';
import type { Context } from 'aws-lambda';
import validateReviewRequestEvent from '../schemas/validators/review-request.js';
import { isPythonBlank } from '../src/encoder/python-text.ts';
import { clientError } from '../src/http/errors.ts';
import { mediaTypeOf } from '../src/http/event.ts';
import { type OptionSchema, resolveOptions } from '../src/options.ts';
import type { ParsedReviewEvent } from './http-review-body-parser.ts';

/**
 * How the client sent its reviews, which decides how it is answered: `text` (the original contract,
 * raw text in, `1`/`0` out), `review` (JSON, one result) or `reviews` (JSON batch, one result each).
 */
export type ReviewRequestShape = 'text' | 'review' | 'reviews';

/** The validated request, as the handler sees it. */
export interface ReviewRequest {
  readonly shape: ReviewRequestShape;
  /** One entry per review, in request order; never empty, no entry blank or over the length limit. */
  readonly reviews: readonly string[];
}

/** What {@link reviewRequestValidator} adds to the Lambda context. */
export interface ReviewRequestContext {
  reviewRequest: ReviewRequest;
}

/** Options of {@link reviewRequestValidator}. */
export interface ReviewRequestValidatorOptions {
  /** Longest accepted review, in characters (Unicode code points). Default 100,000 (413 above). */
  maxReviewChars?: number;
  /**
   * Most reviews in one request. Default 100: with a 5,000-word vocabulary a CSV row is about 10 KB,
   * so a full batch is about 1 MB, far under SageMaker's 6 MB request limit (which the handler also
   * enforces on the encoded body).
   */
  maxBatchSize?: number;
}

/** Defaults of {@link ReviewRequestValidatorOptions}. */
export const reviewRequestValidatorDefaults: Required<ReviewRequestValidatorOptions> = {
  maxReviewChars: 100_000,
  maxBatchSize: 100,
};

const optionSchema: OptionSchema = {
  type: 'object',
  properties: {
    maxReviewChars: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    maxBatchSize: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
  },
  additionalProperties: false,
};

const EXAMPLE = 'send {"review": "..."} or {"reviews": ["...", ...]}';

const KNOWN_FIELDS = new Set(['review', 'reviews']);

/** A client-facing message for the first schema violation. */
function describeSchemaError(error: HttpError, body: unknown): string {
  const [first] = ((error.cause as { data?: unknown } | undefined)?.data ?? []) as Array<{
    instancePath: string;
    keyword: string;
    params: Record<string, unknown>;
  }>;
  const field = first?.instancePath.replace(/^\/body\/?/, '').replaceAll('/', '.') ?? '';
  switch (first?.keyword) {
    case 'additionalProperties':
      return `Unknown field "${String(first.params.additionalProperty)}": ${EXAMPLE}.`;
    case 'minProperties':
    case 'maxProperties': {
      // Ajv stops at the first failed keyword: {"review": "...", "lang": "en"} fails maxProperties before
      // additionalProperties, and "exactly one of" would hide the field that is actually wrong.
      const unknown = Object.keys(body ?? {}).find((key) => !KNOWN_FIELDS.has(key));
      if (unknown !== undefined) return `Unknown field "${unknown}": ${EXAMPLE}.`;
      return `The JSON body must have exactly one of "review" or "reviews": ${EXAMPLE}.`;
    }
    case 'minItems':
      return `"reviews" is empty: send at least one review.`;
    case 'type':
      if (field === '') return `The JSON body must be an object: ${EXAMPLE}.`;
      if (field === 'reviews') return `"reviews" must be an array of strings: ${EXAMPLE}.`;
      return `"${field}" must be a string: ${EXAMPLE}.`;
    default:
      return `The request does not match the expected shape: ${EXAMPLE}.`;
  }
}

function codePointLength(text: string, atLeast: number): number {
  // Code units bound code points from above: only count when the cheap bound is over the limit.
  if (text.length <= atLeast) return text.length;
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Middy middleware: validates the parsed request and sets `context.reviewRequest`. */
export function reviewRequestValidator(
  opts: ReviewRequestValidatorOptions = {},
): MiddlewareObj<ParsedReviewEvent, unknown, Error, Context & ReviewRequestContext> {
  const { maxReviewChars, maxBatchSize } = resolveOptions(
    'reviewRequestValidator',
    optionSchema,
    reviewRequestValidatorDefaults,
    opts,
  );
  const schemaCheck = // The standalone validator is the function Ajv's compile() returns; @middy/validator types it as Ajv.
    validator({ eventSchema: validateReviewRequestEvent as never }).before as (request: unknown) => void;

  const reviewRequestValidatorMiddlewareBefore: NonNullable<
    MiddlewareObj<ParsedReviewEvent, unknown, Error, Context & ReviewRequestContext>['before']
  > = (request) => {
    try {
      schemaCheck(request);
    } catch (error) {
      throw clientError(422, describeSchemaError(error as HttpError, request.event.body), { cause: error });
    }
    // The schema allows a string body for text/plain; a JSON string ("...") is not a review request.
    if (typeof request.event.body === 'string' && mediaTypeOf(request.event) === 'application/json') {
      throw clientError(422, `The JSON body must be an object: ${EXAMPLE}.`);
    }
    const body = request.event.body as string | { review?: string; reviews?: string[] };
    let reviewRequest: ReviewRequest;
    if (typeof body === 'string') reviewRequest = { shape: 'text', reviews: [body] };
    else if (body.review !== undefined) reviewRequest = { shape: 'review', reviews: [body.review] };
    else reviewRequest = { shape: 'reviews', reviews: body.reviews as string[] };

    const { reviews } = reviewRequest;
    if (reviews.length > maxBatchSize) {
      throw clientError(413, `Too many reviews: ${reviews.length} sent, at most ${maxBatchSize} per request.`);
    }
    for (let i = 0; i < reviews.length; i++) {
      const review = reviews[i] as string;
      const which = reviewRequest.shape === 'reviews' ? `Review ${i + 1}` : 'The review';
      if (isPythonBlank(review)) throw clientError(400, `${which} is empty: send some text to classify.`);
      const length = codePointLength(review, maxReviewChars);
      if (length > maxReviewChars) {
        throw clientError(413, `${which} is too long: ${length} characters, at most ${maxReviewChars}.`);
      }
    }
    request.context.reviewRequest = reviewRequest;
  };

  return { before: reviewRequestValidatorMiddlewareBefore };
}
