/**
 * Parses the review request body of an HTTP event, for the validator and the handler that follow.
 *
 * - `POST` only (405 otherwise, with `Allow`); CORS preflight is answered earlier by http-cors.
 * - `text/plain` or no content type: the body is the raw review, as a web page's `XMLHttpRequest.send(text)`
 *   sends it.
 *   `application/json`: the body is parsed. Anything else: 415 naming the accepted types.
 * - Charsets: a body that reaches the Lambda as bytes (base64: HTTP APIs pass a `text/plain` body that
 *   declares another charset than UTF-8 that way, REST APIs their binary media types, the offline stack
 *   any body that is not UTF-8) is decoded in the `charset` its `text/plain` declares, any label of the
 *   WHATWG Encoding Standard (`iso-8859-1`, `windows-1252`, `utf-16le`, `shift_jis`, ...), UTF-8 when
 *   it declares none. A body that arrives as a string was already read as text by API Gateway, and is
 *   used as it is. An unknown charset is a 415 naming it, whatever the body; bytes invalid in the
 *   charset a 400 naming it.
 * - JSON is UTF-8 (RFC 8259 section 8.1): section 11 defines no `charset` parameter for
 *   `application/json` and says adding one "really has no effect on compliant recipients", so one is
 *   ignored, and a JSON body that is not UTF-8 is a 400 saying JSON must be UTF-8.
 *
 * After it, `event.body` is the review text (string) or the parsed JSON value (`unknown` until validated).
 */

import type { MiddlewareObj } from '@middy/core';
import { type CharsetDecoder, charsetDecoder, UTF8_DECODER } from '../src/http/charset.ts';
import { clientError } from '../src/http/errors.ts';
import { contentTypeOf, type HttpEventHead, httpMethodOf } from '../src/http/event.ts';
import { type OptionSchema, resolveOptions } from '../src/options.ts';

// For users of this subpath alone: the event type it reads.
export type { HttpEventHead } from '../src/http/event.ts';

/**
 * The event after {@link httpReviewBodyParser}: `body` holds the raw review or the parsed JSON.
 *
 * @example
 * ```ts
 * import type { ParsedReviewEvent } from 'sentiment-lambda';
 * const reviewOf = (event: ParsedReviewEvent): string | undefined => (typeof event.body === 'string' ? event.body : undefined);
 * ```
 */
export type ParsedReviewEvent = HttpEventHead & { body?: unknown; isBase64Encoded?: boolean };

/**
 * Options of {@link httpReviewBodyParser}.
 *
 * @example
 * ```ts
 * import { httpReviewBodyParser } from 'sentiment-lambda/middlewares/http-review-body-parser';
 * const parser = httpReviewBodyParser({ methods: ['POST', 'PUT'], maxBodyBytes: 256 * 1024 });
 * ```
 */
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
const ACCEPTED_CONTENT_TYPES = ['text/plain', 'application/json'] as const;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** How the body's bytes are read: the decoder, and the charset label the client declared (if any). */
interface BodyCharset {
  readonly decoder: CharsetDecoder;
  readonly label: string | undefined;
  readonly json: boolean;
}

/** The longest part of a client's charset label a message repeats (a header can be kilobytes long). */
const LABEL_SHOWN = 40;

/** A client's charset label as a message quotes it: JSON-escaped, and cut short. */
function quoteLabel(label: string): string {
  const shown = [...label.slice(0, 2 * LABEL_SHOWN)].slice(0, LABEL_SHOWN).join('');
  return JSON.stringify(shown.length < label.length ? `${shown}…` : shown);
}

/**
 * The decoder for a request's body: UTF-8 for JSON (whatever it declares) and for text that declares no
 * charset, else the declared one.
 * @throws 415 naming a charset the Encoding Standard does not define.
 */
function bodyCharset(mediaType: string | undefined, label: string | undefined): BodyCharset {
  const json = mediaType === 'application/json';
  if (json || label === undefined) return { decoder: UTF8_DECODER, label, json };
  const decoder = charsetDecoder(label);
  if (decoder === undefined) {
    throw clientError(
      415,
      `Charset ${quoteLabel(label)} is not supported: send the text as UTF-8 (charset=utf-8), or in another charset of the WHATWG Encoding Standard, such as iso-8859-1, windows-1252, utf-16le or shift_jis.`,
    );
  }
  return { decoder, label, json };
}

/** The 400 for bytes that are not valid in the charset they are read in, naming that charset. */
function invalidTextError({ decoder, label, json }: BodyCharset) {
  if (json) {
    const declared =
      label === undefined || charsetDecoder(label)?.encoding === 'utf-8'
        ? ''
        : `, whatever charset its Content-Type declares (${quoteLabel(label)})`;
    return clientError(400, `The request body is not valid UTF-8 text: JSON is always UTF-8 (RFC 8259)${declared}.`);
  }
  if (label === undefined) {
    return clientError(
      400,
      'The request body is not valid UTF-8 text: send UTF-8, or declare the charset it is in (Content-Type: text/plain; charset=...).',
    );
  }
  // The Standard's name of the charset, and the client's label when it spelled it otherwise (latin1).
  const as = label.trim().toLowerCase() === decoder.encoding ? '' : ` (${quoteLabel(label)})`;
  return clientError(
    400,
    `The request body is not valid ${decoder.encoding.toUpperCase()} text, the charset its Content-Type declares${as}: send the text in that charset, or declare the charset it is in.`,
  );
}

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

function decodeBody(event: ParsedReviewEvent, maxBodyBytes: number, charset: BodyCharset): string {
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
    return charset.decoder.decode(Buffer.from(compact, 'base64'));
  } catch {
    throw invalidTextError(charset);
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

/**
 * Middy middleware: checks method and content type, decodes and parses the body.
 *
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import httpErrorHandler from '@middy/http-error-handler';
 * import { httpReviewBodyParser } from 'sentiment-lambda/middlewares/http-review-body-parser';
 * export const echo = middy()
 *   .use(httpErrorHandler()) // answers its 405, 413, 415 and 400
 *   .use(httpReviewBodyParser())
 *   .handler(async (event) => ({ statusCode: 200, body: JSON.stringify(event.body) }));
 * ```
 */
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
    const contentType = contentTypeOf(event);
    const mediaType = contentType?.essence;
    if (mediaType !== undefined && !(ACCEPTED_CONTENT_TYPES as readonly string[]).includes(mediaType)) {
      throw clientError(
        415,
        `Content type ${mediaType} is not supported: send ${ACCEPTED_CONTENT_TYPES.join(' (the raw review) or ')} ({"review": "..."} or {"reviews": [...]}).`,
      );
    }
    const charset = bodyCharset(mediaType, contentType?.parameters.get('charset'));
    const text = decodeBody(event, options.maxBodyBytes, charset);
    event.body = mediaType === 'application/json' ? parseJson(text) : text;
  };

  return { before: httpReviewBodyParserMiddlewareBefore };
}
