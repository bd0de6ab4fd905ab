/**
 * Shared pieces of the fuzz and security suites: a model mock that scores every row it is sent, the
 * checks every response must pass (well-formed proxy result, documented status, no internals), and the
 * fast-check arbitraries that build hostile HTTP events in all three shapes.
 */
import type { InvokeEndpointCommandInput, InvokeEndpointCommandOutput } from '@aws-sdk/client-sagemaker-runtime';
import fc from 'fast-check';
import { functionUrlEvent, httpApiEvent, restApiEvent, type TestRequest } from '../../src/testing/events.ts';
import { modelReply, requestBody } from '../helpers/pipeline.ts';

/** The statuses the README documents; anything else (a 500 above all) is a broken promise. */
export const DOCUMENTED_STATUSES: ReadonlySet<number> = new Set([200, 204, 400, 405, 413, 415, 422, 502, 503, 504]);

/** A model that answers every request with one valid score (`0.7`, so sentiment `1`) per row sent. */
export function scoreEveryRow(input: InvokeEndpointCommandInput): InvokeEndpointCommandOutput {
  const rows = requestBody(input.Body).split('\n').length;
  return modelReply('0.7\n'.repeat(rows));
}

/** What the handler returned, before it is known to be a proxy result. */
export type RawResponse = unknown;

/**
 * Why `response` is not a well-formed proxy result with a documented status, or `[]`. A 204 may leave
 * out the body (API Gateway and Function URLs send an empty one); every other status must have one.
 */
export function proxyResultProblems(response: RawResponse): string[] {
  if (typeof response !== 'object' || response === null) return [`not an object: ${String(response)}`];
  const { statusCode, body, headers } = response as Record<string, unknown>;
  const problems: string[] = [];
  if (!Number.isInteger(statusCode)) problems.push(`statusCode is not an integer: ${String(statusCode)}`);
  else if (!DOCUMENTED_STATUSES.has(statusCode as number)) problems.push(`undocumented status ${String(statusCode)}`);
  if (typeof body !== 'string' && !(statusCode === 204 && body === undefined)) {
    problems.push(`body is not a string: ${typeof body}`);
  }
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    problems.push('headers is not an object');
  } else {
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== 'string') problems.push(`header ${name} is not a string: ${typeof value}`);
    }
  }
  return problems;
}

/** Signs of internals in a response body: stack frames, file paths, error class names. */
const INTERNAL_LEAKS: ReadonlyArray<readonly [string, RegExp]> = [
  ['stack frame', /\bat\s+\S*.*[/\\]\S*:\d+/],
  ['file URL', /file:\/\//],
  ['node_modules path', /node_modules/],
  ['source location', /\.(?:ts|js|mjs|cjs):\d+/],
  ['"Error:"', /Error:/],
  ['TypeError', /TypeError/],
  ['ReferenceError', /ReferenceError/],
  ['RangeError', /RangeError/],
  ['undefined/null dereference', /Cannot read propert/],
];

/** Which internals `body` shows, or `[]`. */
export function internalLeaks(body: unknown): string[] {
  if (typeof body !== 'string') return [];
  return INTERNAL_LEAKS.filter(([, pattern]) => pattern.test(body)).map(([what]) => what);
}

/** Whether `Object.prototype` picked up anything (a `__proto__` key that reached a merge). */
export function prototypePolluted(): boolean {
  const probe = {} as Record<string, unknown>;
  return Object.keys(Object.prototype).length > 0 || 'polluted' in probe || 'review' in probe || 'reviews' in probe;
}

// ---------------------------------------------------------------------------------------------------
// Events

/** The three event shapes the pipeline accepts. */
export type EventShape = 'rest' | 'httpApi' | 'functionUrl';

const BUILDERS: Record<EventShape, (request: TestRequest) => Record<string, unknown>> = {
  rest: (request) => restApiEvent(request) as unknown as Record<string, unknown>,
  httpApi: (request) => httpApiEvent(request) as unknown as Record<string, unknown>,
  functionUrl: (request) => functionUrlEvent(request) as unknown as Record<string, unknown>,
};

/** Fields a real event always has, taken away (or broken) one at a time. */
export type EventMutation =
  | 'none'
  | 'noHeaders'
  | 'nullHeaders'
  | 'noBody'
  | 'noRequestContext'
  | 'nullRequestContext'
  | 'noRequestContextHttp'
  | 'noHttpMethod'
  | 'noVersion'
  | 'garbageVersion'
  | 'emptyEvent';

/** A body and how the event flags it. `isBase64Encoded` may be anything: a lying or malformed flag. */
export interface FuzzBody {
  body: unknown;
  isBase64Encoded: unknown;
}

/** Everything a fuzzed request is made of. */
export interface FuzzRequest extends FuzzBody {
  shape: EventShape;
  method: string;
  /** `null`/`undefined`: the event's headers are null / missing. */
  headers: Record<string, string> | null | undefined;
  mutation: EventMutation;
}

/** Builds the event: the shape's builder first, then the fuzzed body, flag and missing fields on top. */
export function buildEvent(request: FuzzRequest): Record<string, unknown> {
  if (request.mutation === 'emptyEvent') return {};
  const event = BUILDERS[request.shape]({ method: request.method, headers: request.headers ?? {} });
  event.body = request.body;
  event.isBase64Encoded = request.isBase64Encoded;
  if (request.body === undefined) delete event.body;
  if (request.headers === null) event.headers = null;
  if (request.headers === undefined) {
    delete event.headers;
    delete event.multiValueHeaders;
  }
  switch (request.mutation) {
    case 'noHeaders':
      delete event.headers;
      delete event.multiValueHeaders;
      break;
    case 'nullHeaders':
      event.headers = null;
      break;
    case 'noBody':
      delete event.body;
      break;
    case 'noRequestContext':
      delete event.requestContext;
      break;
    case 'nullRequestContext':
      event.requestContext = null;
      break;
    case 'noRequestContextHttp':
      delete (event.requestContext as Record<string, unknown>).http;
      break;
    case 'noHttpMethod':
      delete event.httpMethod;
      break;
    case 'noVersion':
      delete event.version;
      break;
    case 'garbageVersion':
      event.version = '3.0';
      break;
    case 'none':
      break;
  }
  return event;
}

/** Event shapes, evenly. */
export const eventShapeArb: fc.Arbitrary<EventShape> = fc.constantFrom('rest', 'httpApi', 'functionUrl');

/** Mostly whole events; now and then one missing a field a real event always has. */
export const mutationArb: fc.Arbitrary<EventMutation> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<EventMutation>('none') },
  {
    weight: 4,
    arbitrary: fc.constantFrom<EventMutation>(
      'noHeaders',
      'nullHeaders',
      'noBody',
      'noRequestContext',
      'nullRequestContext',
      'noRequestContextHttp',
      'noHttpMethod',
      'noVersion',
      'garbageVersion',
      'emptyEvent',
    ),
  },
);

/** Methods: the accepted one in several casings, the others, and junk. */
export const methodArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('POST', 'post', 'Post') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'options', 'CONNECT', 'TRACE', ''),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** Header names for Content-Type, in the casings clients and proxies use. */
const contentTypeNameArb = fc.constantFrom(
  'Content-Type',
  'content-type',
  'CONTENT-TYPE',
  'Content-type',
  'cOnTeNt-TyPe',
);

/** Content types: the accepted ones with odd casing and parameters, others, empty, and junk. */
export const contentTypeArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'text/plain',
      'text/plain;charset=UTF-8',
      'TEXT/PLAIN; charset=latin1',
      ' text/plain ',
      'application/json',
      'application/JSON;charset=utf-8',
      'Application/Json; boundary=x; charset="utf-8"',
      'application/json;;;',
      '',
      ';',
      ' ; charset=utf-8',
      'text/plain; charset=utf-16le',
      'text/plain; charset="Shift_JIS"',
      'text/plain; charset=klingon',
      'application/json; charset=iso-8859-1',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'text/html',
      'multipart/form-data; boundary=xyz',
      'application/x-www-form-urlencoded',
      'application/json-patch+json',
      'application/octet-stream',
      'text/csv',
      'text/plain/extra',
      '*/*',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('text/plain', 'application/json'), fc.string({ maxLength: 30 }))
      .map(([type, params]) => `${type};${params}`),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

/** Names that are hostile as object keys or that a middleware reads. */
const HOSTILE_HEADER_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'Origin',
  'origin',
  'Accept',
  'accept',
  'Access-Control-Request-Method',
  'Access-Control-Allow-Origin',
  'X-Forwarded-For',
  'Content-Length',
] as const;

/** Arbitrary headers: a content type under any casing (or none), hostile names, random names and values. */
export const headersArb: fc.Arbitrary<Record<string, string> | null | undefined> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .tuple(
        fc.option(fc.tuple(contentTypeNameArb, contentTypeArb), { nil: undefined, freq: 5 }),
        fc.array(fc.tuple(fc.constantFrom(...HOSTILE_HEADER_NAMES), fc.string({ maxLength: 40 })), { maxLength: 3 }),
        fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 60 })), { maxLength: 4 }),
      )
      .map(([contentType, hostile, random]) =>
        // Object.fromEntries makes `__proto__` an own key, as a JSON-decoded header map would.
        Object.fromEntries([...random, ...hostile, ...(contentType ? [contentType] : [])]),
      ),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, {}) },
);

// ---------------------------------------------------------------------------------------------------
// Bodies

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const WORDS = ['good', 'great', 'bad', 'boring', 'movie', 'GOOD', 'Movie!', 'not', 'the', '', ' ', '\t', '\n'];

/** Text of every kind: ASCII, graphemes, any code point, lone surrogates, control characters, words. */
export const textArb: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.oneof(anyCodeUnit, loneSurrogate) }),
  fc.array(fc.constantFrom(...WORDS), { maxLength: 30 }).map((words) => words.join(' ')),
  fc.constantFrom('', ' ', '\u00a0', '\u3000\u2028', '\u0000', '\ufeffgood', 'good\u0000movie'),
);

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');

/** Byte sequences no UTF-8 decoder may accept. */
const INVALID_UTF8 = [
  [0x80], // lone continuation byte
  [0xc0, 0xaf], // overlong "/"
  [0xe0, 0x80, 0xaf], // overlong, 3 bytes
  [0xed, 0xa0, 0x80], // UTF-16 surrogate encoded in UTF-8
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xf8, 0x88, 0x80, 0x80, 0x80], // 5-byte form
  [0xff],
  [0xfe, 0xff],
  [0xe2, 0x82], // truncated 3-byte sequence
  [0xc3], // truncated 2-byte sequence
] as const;

/** Text bodies, flagged as text. */
export const textBodyArb: fc.Arbitrary<FuzzBody> = textArb.map((body) => ({ body, isBase64Encoded: false }));

/** Random bytes, base64-encoded and flagged so. */
export const randomBytesBodyArb: fc.Arbitrary<FuzzBody> = fc
  .uint8Array({ maxLength: 4096 })
  .map((bytes) => ({ body: b64(bytes), isBase64Encoded: true }));

/** Valid text with an invalid UTF-8 sequence somewhere, base64-encoded and flagged so. */
export const invalidUtf8BodyArb: fc.Arbitrary<FuzzBody> = fc
  .tuple(fc.string({ maxLength: 40 }), fc.constantFrom(...INVALID_UTF8), fc.string({ maxLength: 40 }))
  .map(([before, bad, after]) => ({
    body: b64(Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)])),
    isBase64Encoded: true,
  }));

/** Charset labels: known ones under several spellings, ones mapped to no decoder, unknown ones, empty. */
export const CHARSET_LABELS = [
  'utf-8',
  'UTF8',
  'latin1',
  'ISO-8859-1',
  'windows-1252',
  'utf-16le',
  'UTF-16BE',
  'utf-16',
  'shift_jis',
  'sjis',
  'gbk',
  'gb18030',
  'big5',
  'euc-jp',
  'euc-kr',
  'koi8-r',
  'x-user-defined',
  'iso-2022-kr',
  'replacement',
  'klingon',
  'utf-32',
  'ebcdic',
] as const;

/** A body in a declared charset: the label (plain, or arbitrary text), the media type, and the body. */
export interface CharsetRequest {
  /** The label, when it is one of {@link CHARSET_LABELS} written plainly; `undefined` for an arbitrary one. */
  label: string | undefined;
  contentType: string;
  body: FuzzBody;
}

/** Node's encodings for labels it can also encode in: text sent in the charset it declares. */
const NODE_ENCODINGS: Readonly<Record<string, BufferEncoding>> = {
  'utf-8': 'utf8',
  UTF8: 'utf8',
  latin1: 'latin1',
  'ISO-8859-1': 'latin1',
  'windows-1252': 'latin1',
  'utf-16le': 'utf16le',
  'utf-16': 'utf16le',
};

/** Random bytes, text as a string, or text encoded in the declared charset, under any charset label. */
export const declaredCharsetArb: fc.Arbitrary<CharsetRequest> = fc
  .tuple(
    fc.constantFrom('text/plain', 'TEXT/PLAIN', 'application/json'),
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...CHARSET_LABELS) },
      { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    ),
    fc.oneof(
      randomBytesBodyArb,
      textBodyArb,
      textArb.map((text) => ({ text })),
    ),
  )
  .map(([type, label, body]) => {
    const known = (CHARSET_LABELS as readonly string[]).includes(label);
    const encoding = NODE_ENCODINGS[label] ?? 'utf8';
    const fuzzBody = 'text' in body ? { body: b64(Buffer.from(body.text, encoding)), isBase64Encoded: true } : body;
    return { label: known ? label : undefined, contentType: `${type}; charset=${label}`, body: fuzzBody };
  });

/** Base64 flags that lie or are malformed: text flagged base64, base64 flagged text, near-base64, odd flag values. */
export const lyingBase64BodyArb: fc.Arbitrary<FuzzBody> = fc.oneof(
  textArb.map((body) => ({ body, isBase64Encoded: true })),
  textArb.map((text) => ({ body: b64(text), isBase64Encoded: false })),
  textArb.map((text) => ({ body: b64(text).replace(/=+$/, ''), isBase64Encoded: true })), // padding dropped
  textArb.map((text) => ({ body: b64(text).replaceAll('+', '-').replaceAll('/', '_'), isBase64Encoded: true })),
  fc
    .tuple(textArb, fc.nat({ max: 20 }))
    .map(([text, at]) => ({ body: `${b64(text).slice(0, at)}=${b64(text).slice(at)}`, isBase64Encoded: true })),
  fc
    .tuple(textArb, fc.constantFrom('true', 'false', 1, 0, null, 'yes', {}))
    .map(([text, flag]) => ({ body: b64(text), isBase64Encoded: flag })),
);

/** Bodies that are not strings at all (a broken integration), or missing. */
export const nonStringBodyArb: fc.Arbitrary<FuzzBody> = fc
  .constantFrom(null, undefined, 0, 42, true, {}, [], { review: 'good' }, ['good'])
  .map((body) => ({ body, isBase64Encoded: false }));

const jsonText = fc.jsonValue().map((value) => JSON.stringify(value));
const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** Hostile JSON: prototype keys, duplicate keys, numbers where strings belong, arrays of non-strings, broken syntax. */
export const hostileJsonArb: fc.Arbitrary<string> = fc.oneof(
  jsonText,
  fc.record({ review: fc.jsonValue() }).map((value) => JSON.stringify(value)),
  fc.record({ reviews: fc.array(fc.jsonValue(), { maxLength: 8 }) }).map((value) => JSON.stringify(value)),
  notAString.map((value) => JSON.stringify({ review: value })),
  fc.array(notAString, { minLength: 1, maxLength: 6 }).map((values) => JSON.stringify({ reviews: values })),
  fc
    .tuple(fc.array(textArb, { minLength: 1, maxLength: 6 }), notAString, fc.nat({ max: 5 }))
    .map(([texts, odd, at]) => JSON.stringify({ reviews: [...texts.slice(0, at), odd, ...texts.slice(at)] })),
  fc.array(textArb, { minLength: 0, maxLength: 120 }).map((reviews) => JSON.stringify({ reviews })),
  textArb.map((review) => JSON.stringify({ review })),
  fc.constantFrom(
    '{"__proto__": {"polluted": true}}',
    '{"__proto__": {"review": "good"}}',
    '{"review": "good", "__proto__": {"polluted": true}}',
    '{"reviews": ["good"], "__proto__": {"reviews": ["bad"]}}',
    '{"constructor": {"prototype": {"polluted": true}}}',
    '{"review": "good", "constructor": {"prototype": {"polluted": true}}}',
    '{"review": {"__proto__": {"polluted": true}}}',
    '{"reviews": [{"__proto__": {"polluted": true}}]}',
    '{"review": "good", "review": "bad"}',
    '{"review": "good", "review": 5}',
    '{"reviews": ["good"], "reviews": "bad"}',
    '{"review": "good", "reviews": ["bad"]}',
    '{"review": 1e400}',
    '{"review": -0}',
    '{"reviews": [NaN]}',
    '{"review": "good",}',
    "{'review': 'good'}",
    '{"review": "\\ud800"}',
    '{"review": "good\\u0000movie"}',
    '\ufeff{"review": "good"}',
    '{"review": "good"} trailing',
    '[]',
    '{}',
    'null',
    '"good"',
    '42',
    '{"review": ""}',
    '{"reviews": []}',
    '{"reviews": ["", " "]}',
  ),
  jsonText.chain((text) => fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut))),
);

/** Hostile JSON sent as JSON (any casing and parameters of the media type). */
export const hostileJsonBodyArb: fc.Arbitrary<{ body: FuzzBody; contentType: string }> = fc
  .tuple(
    hostileJsonArb,
    fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain'),
    fc.boolean(),
  )
  .map(([text, contentType, base64]) => ({
    body: base64 ? { body: b64(text), isBase64Encoded: true } : { body: text, isBase64Encoded: false },
    contentType,
  }));

/** JSON nested `depth` levels deep in one of four ways, closed or left open. */
/** How {@link deepJson} opens, fills and closes each kind of nesting. */
const NESTINGS = {
  arrays: ['[', '"good"', ']'],
  objects: ['{"a":', '"good"', '}'],
  review: ['{"review":', '"good"', '}'],
  reviews: ['{"reviews":[', '"good"', ']}'],
} as const satisfies Record<string, readonly [string, string, string]>;

/** JSON nested `depth` levels deep in one of four ways, closed or left open. */
export function deepJson(kind: keyof typeof NESTINGS, depth: number, closed: boolean): string {
  const [open, inner, close] = NESTINGS[kind];
  return open.repeat(depth) + inner + (closed ? close.repeat(depth) : '');
}
