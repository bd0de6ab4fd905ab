/**
 * Parses the review request body of an HTTP event, for the validator and the handler that follow.
 *
 * - `POST` only (405 otherwise, with `Allow`); CORS preflight is answered earlier by http-cors.
 * - `text/plain` (any charset) or no content type: the body is the raw review, as the original web page
 *   sends it. `application/json`: the body is parsed. Anything else: 415 naming the accepted types.
 * - base64-encoded bodies (Function URLs, binary media types) are decoded; the bytes must be UTF-8.
 *
 * After it, `event.body` is the review text (string) or the parsed JSON value (`unknown` until validated).
 */

import type { MiddlewareObj } from '@middy/core';
import { clientError } from '../src/http/errors.ts';
import { type HttpEventHead, httpMethodOf, mediaTypeOf } from '../src/http/event.ts';
import { type OptionSchema, resolveOptions } from '../src/options.ts';

/** The event after {@link httpReviewBodyParser}: `body` holds the raw review or the parsed JSON. */
export type ParsedReviewEvent = HttpEventHead & { body?: unknown; isBase64Encoded?: boolean };

/** Options of {@link httpReviewBodyParser}. */
export interface HttpReviewBodyParserOptions {
  /** Methods that may carry a review. Default `['POST']`. */
  methods?: readonly string[];
  /**
   * Largest body accepted, in bytes (decoded from base64 when it is): a larger one gets a 413 before it
   * is decoded or parsed. Default 1 MiB: a batch of 100 reviews of 1-2 KB fits, and so does one review of
   * the default `maxReviewChars` (100,000 code points) as UTF-8 text or JSON (up to 400,000 bytes). The
   * same review as JSON with every character `\u`-escaped can take 1.2 MB: such a client gets a 413, and
   * should send UTF-8, or raise this limit.
   */
  maxBodyBytes?: number;
}

const defaults: Required<HttpReviewBodyParserOptions> = { methods: ['POST'], maxBodyBytes: 1_048_576 };

const optionSchema: OptionSchema = {
  type: 'object',
  properties: {
    methods: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z]+$' } },
    maxBodyBytes: { type: 'integer', minimum: 1 },
  },
  additionalProperties: false,
};

/** Content types accepted, for the 415 message. */
export const ACCEPTED_CONTENT_TYPES = ['text/plain', 'application/json'] as const;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Refuses a body over `maxBodyBytes` before any work in its size: a base64 body's decoded size follows
 * from its length, and a text body has at least as many UTF-8 bytes as UTF-16 code units, so only a
 * body under the limit in code units is measured.
 */
function checkSize(body: string, isBase64Encoded: boolean, maxBodyBytes: number): void {
  const over = isBase64Encoded
    ? Math.floor((body.length * 3) / 4) > maxBodyBytes
    : body.length > maxBodyBytes || Buffer.byteLength(body, 'utf8') > maxBodyBytes;
  if (over) {
    throw clientError(
      413,
      `The request body is over ${maxBodyBytes} bytes: send a shorter review, or fewer reviews per request.`,
    );
  }
}

function decodeBody(event: ParsedReviewEvent, maxBodyBytes: number): string {
  const { body, isBase64Encoded } = event;
  if (body === null || body === undefined || body === '') {
    throw clientError(400, 'The request body is empty: send the review text (or a JSON {"review": "..."}).');
  }
  if (typeof body !== 'string') {
    throw clientError(400, 'The request body must be text.');
  }
  checkSize(body, isBase64Encoded === true, maxBodyBytes);
  if (isBase64Encoded !== true) return body;
  const compact = body.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw clientError(400, 'The request body is marked base64-encoded but is not valid base64.');
  }
  try {
    return utf8.decode(Buffer.from(compact, 'base64'));
  } catch {
    throw clientError(400, 'The request body is not valid UTF-8 text.');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8's message quotes the input, and the input is the client's review: keep only where it failed.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    const where = position === undefined ? '' : ` (at character ${position})`;
    throw clientError(400, `The request body is not valid JSON${where}: send {"review": "..."} or {"reviews": [...]}.`);
  }
}

/** Middy middleware: checks method and content type, decodes and parses the body. */
export function httpReviewBodyParser(
  opts: HttpReviewBodyParserOptions = {},
): MiddlewareObj<ParsedReviewEvent, unknown, Error> {
  const options = resolveOptions('httpReviewBodyParser', optionSchema, defaults, opts);
  const methods = new Set(options.methods.map((method) => method.toUpperCase()));
  if (methods.size === 0)
    throw new TypeError("httpReviewBodyParser: Option 'methods' must name at least one HTTP method.");
  const allow = [...methods, 'OPTIONS'].join(', ');

  const httpReviewBodyParserMiddlewareBefore: NonNullable<
    MiddlewareObj<ParsedReviewEvent, unknown, Error>['before']
  > = (request) => {
    const { event } = request;
    const method = httpMethodOf(event);
    if (method === undefined || !methods.has(method)) {
      throw clientError(405, `Method ${method ?? '(none)'} is not allowed: send the review with POST.`, {
        headers: { Allow: allow },
      });
    }
    const mediaType = mediaTypeOf(event);
    if (mediaType !== undefined && !(ACCEPTED_CONTENT_TYPES as readonly string[]).includes(mediaType)) {
      throw clientError(
        415,
        `Content type ${mediaType} is not supported: send ${ACCEPTED_CONTENT_TYPES.join(' (the raw review) or ')} ({"review": "..."} or {"reviews": [...]}).`,
      );
    }
    const text = decodeBody(event, options.maxBodyBytes);
    event.body = mediaType === 'application/json' ? parseJson(text) : text;
  };

  return { before: httpReviewBodyParserMiddlewareBefore };
}
