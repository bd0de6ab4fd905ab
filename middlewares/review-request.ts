/**
 * The review request, typed, as `context.reviewRequest`. Register `@middy/validator` with
 * {@link reviewRequestEventSchema} just before it: the validator checks the body's shape against
 * `schemas/review-request.schema.json` (compiled ahead of time to Ajv standalone code: no schema compiler
 * at cold start); this middleware then
 *
 * - before: reads which shape the client used (raw text, one review, a batch) and checks the limits,
 *   which are deployment settings rather than schema: blank review 400, review too long 413, batch too
 *   big 413;
 * - onError: turns the validator's generic "Event object failed validation" into a 422 whose message
 *   names the field and says what to send. It runs before http-error-handler's onError (registered
 *   earlier), which then answers it.
 */
import type { MiddlewareObj, Request } from '@middy/core';
import type { Options as ValidatorOptions } from '@middy/validator';
import type { Context } from 'aws-lambda';
import validateReviewRequestEvent from '../schemas/validators/review-request.js';
import { isPythonBlank } from '../src/encoder/python-text.ts';
import { clientError } from '../src/http/errors.ts';
import { mediaTypeOf } from '../src/http/event.ts';
import { type OptionSchema, resolveOptions } from '../src/options.ts';
import type { ReviewRequest } from '../src/request-state.ts';
import type { ParsedReviewEvent } from './http-review-body-parser.ts';

// The request it sets; for users of this subpath alone, the event it reads, as the body parser leaves it.
export type { HttpEventHead } from '../src/http/event.ts';
export type { ReviewRequest, ReviewRequestShape } from '../src/request-state.ts';
export type { ParsedReviewEvent } from './http-review-body-parser.ts';

/**
 * The shape check that goes just before {@link reviewRequest}: `validator({ eventSchema: reviewRequestEventSchema })`.
 * (@middy/validator types its schemas as Ajv instances; this is the function Ajv compiles, as it expects.)
 *
 * @example
 * ```ts
 * import validator from '@middy/validator';
 * import { reviewRequestEventSchema } from 'sentiment-lambda/middlewares/review-request';
 * const checkShape = validator({ eventSchema: reviewRequestEventSchema }); // registered just before reviewRequest()
 * ```
 */
export const reviewRequestEventSchema = validateReviewRequestEvent as unknown as ValidatorOptions['eventSchema'];

/**
 * What {@link reviewRequest} adds to the Lambda context.
 *
 * @example
 * ```ts
 * import type { Context } from 'aws-lambda';
 * import type { ReviewRequestContext } from 'sentiment-lambda';
 * const firstReview = (context: Context & ReviewRequestContext) => context.reviewRequest.reviews[0];
 * ```
 */
export interface ReviewRequestContext {
  reviewRequest: ReviewRequest;
}

/**
 * Options of {@link reviewRequest}.
 *
 * @example
 * ```ts
 * import { reviewRequest } from 'sentiment-lambda/middlewares/review-request';
 * const request = reviewRequest({ maxReviewChars: 5_000, maxBatchSize: 10 });
 * ```
 */
export interface ReviewRequestOptions {
  /** Longest accepted review, in characters (Unicode code points). Default 100,000 (413 above). */
  maxReviewChars?: number;
  /**
   * Most reviews in one request. Default 100: with a 5,000-word vocabulary a CSV row is about 10 KB,
   * so a full batch is about 1 MB, far under SageMaker's 6 MB request limit (which the handler also
   * enforces on the encoded body).
   */
  maxBatchSize?: number;
}

/** Defaults of {@link ReviewRequestOptions}. */
const reviewRequestDefaults: Required<ReviewRequestOptions> = {
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
const EXACTLY_ONE = `The JSON body must have exactly one of "review" or "reviews": ${EXAMPLE}.`;

/** `?explain=true` (or `false`) on a request, the page's way to ask with its text body. */
function explainParameter(event: ParsedReviewEvent): boolean {
  const value = (event as { queryStringParameters?: Record<string, string | undefined> | null }).queryStringParameters
    ?.explain;
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw clientError(400, `The query parameter explain must be true or false, got ${quoteField(value)}.`);
}

const KNOWN_FIELDS = new Set(['review', 'reviews', 'explain']);

/** The first of the schema violations @middy/validator reports in its error's `cause.data` (Ajv's errors). */
interface SchemaViolation {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** Whether `error` is @middy/validator's "Event object failed validation". */
function isEventValidationError(error: unknown): error is Error & { cause: { data?: SchemaViolation[] } } {
  const { statusCode, cause } = error as { statusCode?: unknown; cause?: { package?: unknown } };
  return statusCode === 400 && cause?.package === '@middy/validator';
}

/** The longest part of a client's field name an error message repeats. */
const FIELD_NAME_SHOWN = 40;

/** A client's field name as a message quotes it: JSON-escaped, and cut short (a key can be a megabyte). */
function quoteField(name: string): string {
  // Code points, so that no surrogate pair is cut; two code units each at most, so only the start is split.
  const shown = [...name.slice(0, 2 * FIELD_NAME_SHOWN)].slice(0, FIELD_NAME_SHOWN).join('');
  return JSON.stringify(shown.length < name.length ? `${shown}…` : shown);
}

/** 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st, 22nd, ..., 101st, 111th. */
function ordinal(n: number): string {
  const lastTwo = n % 100;
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/**
 * How every message names a review of a batch: its place as a person counts ("the 2nd review"), then
 * its index as the client's code reaches it (`reviews[1]`, 0-based, as in JavaScript, Python and JSON
 * Pointer). Both, so that neither reader has to guess where counting starts.
 */
function batchReviewName(index: number): string {
  return `The ${ordinal(index + 1)} review (reviews[${index}])`;
}

/** A client-facing message for the first schema violation. */
function describeSchemaViolation(first: SchemaViolation | undefined, body: unknown): string {
  const field = first?.instancePath.replace(/^\/body\/?/, '') ?? '';
  switch (first?.keyword) {
    case 'additionalProperties':
      return `Unknown field ${quoteField(String(first.params.additionalProperty))}: ${EXAMPLE}.`;
    case 'minProperties': {
      // Ajv stops at the first failed keyword: name a field that is actually wrong when there is one.
      const unknown = Object.keys(body ?? {}).find((key) => !KNOWN_FIELDS.has(key));
      if (unknown !== undefined) return `Unknown field ${quoteField(unknown)}: ${EXAMPLE}.`;
      return EXACTLY_ONE;
    }
    case 'minItems':
      return `"reviews" is empty: send at least one review.`;
    case 'type':
      if (field === '') return `The JSON body must be an object: ${EXAMPLE}.`;
      if (field === 'reviews') return `"reviews" must be an array of strings: ${EXAMPLE}.`;
      if (field === 'explain') return `"explain" must be true or false.`;
      if (/^reviews\/\d+$/.test(field))
        return `${batchReviewName(Number(field.slice(8)))} must be a string: ${EXAMPLE}.`;
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

type ReviewRequestRequest = Request<ParsedReviewEvent, unknown, Error, Context & ReviewRequestContext>;

/**
 * Middy middleware: sets `context.reviewRequest` from a request @middy/validator has checked, within the limits.
 *
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import httpErrorHandler from '@middy/http-error-handler';
 * import validator from '@middy/validator';
 * import { httpReviewBodyParser } from 'sentiment-lambda/middlewares/http-review-body-parser';
 * import { reviewRequest, reviewRequestEventSchema } from 'sentiment-lambda/middlewares/review-request';
 * export const handler = middy()
 *   .use(httpErrorHandler())
 *   .use(httpReviewBodyParser())
 *   .use(validator({ eventSchema: reviewRequestEventSchema }))
 *   .use(reviewRequest({ maxBatchSize: 10 }))
 *   .handler(async (_event, context) => ({ statusCode: 200, body: `${context.reviewRequest.reviews.length} reviews` }));
 * ```
 */
export function reviewRequest(
  opts: ReviewRequestOptions = {},
): MiddlewareObj<ParsedReviewEvent, unknown, Error, Context & ReviewRequestContext> {
  const { maxReviewChars, maxBatchSize } = resolveOptions('reviewRequest', optionSchema, reviewRequestDefaults, opts);

  const reviewRequestMiddlewareBefore = (request: ReviewRequestRequest): void => {
    const { body } = request.event;
    // The schema allows a string body for text/plain; a JSON string ("...") is not a review request.
    if (typeof body === 'string' && mediaTypeOf(request.event) === 'application/json') {
      throw clientError(422, `The JSON body must be an object: ${EXAMPLE}.`);
    }
    const json = body as { review?: string; reviews?: string[]; explain?: boolean };
    const explain = explainParameter(request.event) || json?.explain === true;
    let parsed: ReviewRequest;
    if (typeof body === 'string') parsed = { shape: 'text', reviews: [body], explain };
    else if ((json.review === undefined) === (json.reviews === undefined)) throw clientError(422, EXACTLY_ONE);
    else if (typeof json.review === 'string') parsed = { shape: 'review', reviews: [json.review], explain };
    else if (Array.isArray(json.reviews)) parsed = { shape: 'reviews', reviews: json.reviews, explain };
    else throw clientError(422, `The request does not match the expected shape: ${EXAMPLE}.`);

    const { reviews } = parsed;
    if (reviews.length > maxBatchSize) {
      throw clientError(413, `Too many reviews: ${reviews.length} sent, at most ${maxBatchSize} per request.`);
    }
    for (let i = 0; i < reviews.length; i++) {
      const review = reviews[i] as string;
      const which = parsed.shape === 'reviews' ? batchReviewName(i) : 'The review';
      if (isPythonBlank(review)) throw clientError(400, `${which} is empty: send some text to classify.`);
      const length = codePointLength(review, maxReviewChars);
      if (length > maxReviewChars) {
        throw clientError(413, `${which} is too long: ${length} characters, at most ${maxReviewChars}.`);
      }
    }
    request.context.reviewRequest = parsed;
  };

  const reviewRequestMiddlewareOnError = (request: ReviewRequestRequest): void => {
    const { error } = request;
    if (!isEventValidationError(error)) return;
    const message = describeSchemaViolation(error.cause.data?.[0], request.event.body);
    request.error = clientError(422, message, { cause: error });
  };

  return { before: reviewRequestMiddlewareBefore, onError: reviewRequestMiddlewareOnError };
}
