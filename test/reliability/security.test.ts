/**
 * Security checks: an origin outside the CORS allowlist is never allowed; every
 * answer, whatever its status, carries the API security headers; the review text never reaches the logs
 * at the default level (all of stdout and stderr captured during a fuzz-like run of valid, invalid and
 * failing requests) and never comes back in a response; and the capture does see the text when
 * `logReviewText` is on, so its absence means something.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { InvokeEndpointCommand, type InvokeEndpointCommandInput } from '@aws-sdk/client-sagemaker-runtime';
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HttpEvent } from '../../src/http/event.ts';
import {
  functionUrlEvent,
  httpApiEvent,
  lambdaContext,
  restApiEvent,
  type TestRequest,
} from '../../src/testing/events.ts';
import { headerOf, modelReply, pageRequest, sdkError, usePipelineHarness } from '../helpers/pipeline.ts';
import { proxyResultProblems, scoreEveryRow } from './fuzz-helpers.ts';

const GOOD = 'https://good.example';
const EVIL = 'https://evil.example';
/** A word no log line, message or header could contain by accident (compared lower-cased). */
const MARKER = 'quokkazephyrmarker';

const { sageMaker, newHandler, output } = usePipelineHarness({ handlerOptions: { corsOrigins: [GOOD] } });

beforeEach(() => {
  sageMaker.on(InvokeEndpointCommand).callsFake(scoreEveryRow);
});

type Response = Awaited<ReturnType<ReturnType<typeof newHandler>>>;

/** The API security headers every answer must carry. */
function securityHeaderProblems(response: Response): string[] {
  const problems: string[] = [];
  if (headerOf(response, 'X-Content-Type-Options') !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
  const maxAge = Number(/max-age=(\d+)/.exec(headerOf(response, 'Strict-Transport-Security') ?? '')?.[1]);
  if (!(maxAge >= 15_552_000)) problems.push('no Strict-Transport-Security of at least 180 days');
  // The whole policy: @middy/http-security-headers' defaults for HTML pages (sandbox, upgrade-insecure-requests,
  // trusted types...) must all be dropped, as src/pipeline.ts asks.
  const csp = headerOf(response, 'Content-Security-Policy');
  if (csp !== "default-src 'none'; frame-ancestors 'none'") problems.push(`CSP is ${csp}`);
  if (headerOf(response, 'X-Frame-Options') !== 'DENY') problems.push('no X-Frame-Options: DENY');
  if (headerOf(response, 'Referrer-Policy') !== 'no-referrer') problems.push('no Referrer-Policy: no-referrer');
  return problems;
}

describe('CORS allowlist', () => {
  it('gives an origin outside the allowlist no Access-Control-Allow-Origin on success, client error and model error', async () => {
    // Prepare
    const handler = newHandler();
    const from = (origin: string, body: string) => pageRequest(body, { Origin: origin });

    // Act
    const success = await handler(from(EVIL, 'a good movie'), lambdaContext());
    const clientError = await handler(from(EVIL, '   '), lambdaContext());
    sageMaker.on(InvokeEndpointCommand).rejects(sdkError('ModelError'));
    const modelError = await handler(from(EVIL, 'a good movie'), lambdaContext());
    const allowedModelError = await handler(from(GOOD, 'a good movie'), lambdaContext());

    // Assess
    expect([success.statusCode, clientError.statusCode, modelError.statusCode]).toEqual([200, 400, 502]);
    for (const response of [success, clientError, modelError]) {
      expect(headerOf(response, 'Access-Control-Allow-Origin')).toBeUndefined();
      expect(headerOf(response, 'Access-Control-Allow-Credentials')).toBeUndefined();
    }
    expect(headerOf(allowedModelError, 'Access-Control-Allow-Origin')).toBe(GOOD); // the same answer, allowed
  });

  it('never allows another site, whatever the Origin header holds and however the event is shaped', async () => {
    // Prepare
    const handler = newHandler();
    // Origins a browser could send from a page on another site: each must get no Access-Control-Allow-Origin.
    const otherSites = fc.oneof(
      fc.constantFrom(
        EVIL,
        `${GOOD}.evil.example`,
        `${GOOD}:8443`,
        'http://good.example',
        'https://xgood.example',
        'https://good-example',
        'https://good.examplee',
        'https://sub.good.example',
        'null',
      ),
      fc.webUrl({ withQueryParameters: false, withFragments: false }).map((url) => new URL(url).origin),
    );
    // Anything else in the header (not a browser's): http-cors parses it as a URL, so e.g. `https://user@good.example`
    // is answered with the listed origin, which only the listed site's pages can use. Never anything else.
    const junk = fc.oneof(
      fc.constantFrom(`${GOOD}/`, `${GOOD}/path`, `https://evil.example?${GOOD}`, `https://evil.example#${GOOD}`),
      fc.constantFrom('https://user@good.example', '*', '', 'https://*.example', `${GOOD},${EVIL}`, `${EVIL} ${GOOD}`),
      fc.string({ maxLength: 40 }),
    );
    const listed = fc.constantFrom(GOOD, GOOD.toUpperCase(), 'https://Good.Example');
    const origins = fc.oneof(
      otherSites.map((origin) => ({ origin, kind: 'other site' as const })),
      junk.map((origin) => ({ origin, kind: 'junk' as const })),
      listed.map((origin) => ({ origin, kind: 'listed' as const })),
    );
    const builders = fc.constantFrom<(request: TestRequest) => HttpEvent>(restApiEvent, httpApiEvent, functionUrlEvent);
    const headerName = fc.constantFrom('Origin', 'origin');
    const bodies = fc.constantFrom('a good movie', '', 'not json {');
    const seen = { 'other site': 0, junk: 0, listed: 0 };

    // Act
    // Assess
    await fc.assert(
      fc.asyncProperty(origins, builders, headerName, bodies, async ({ origin, kind }, build, name, body) => {
        const response = await handler(
          build({ body, headers: { 'Content-Type': 'text/plain', [name]: origin } }),
          lambdaContext(),
        );
        const allowOrigin = headerOf(response, 'Access-Control-Allow-Origin');
        seen[kind]++;
        if (kind === 'other site' && origin !== GOOD) expect(allowOrigin).toBeUndefined();
        else if (kind === 'listed') expect(allowOrigin).toBe(GOOD);
        else expect([undefined, GOOD]).toContain(allowOrigin);
      }),
      { numRuns: 600 },
    );
    expect(Math.min(...Object.values(seen))).toBeGreaterThan(0);
  });
});

describe('security headers', () => {
  /** One request per documented status, sent from the allowed origin. */
  const cases: Array<{ status: number; event: () => HttpEvent; model?: () => void; remainingTimeMs?: number }> = [
    { status: 200, event: () => pageRequest('a good movie', { Origin: GOOD }) },
    {
      status: 204,
      event: () =>
        restApiEvent({ method: 'OPTIONS', headers: { Origin: GOOD, 'Access-Control-Request-Method': 'POST' } }),
    },
    { status: 400, event: () => pageRequest('  ', { Origin: GOOD }) },
    { status: 405, event: () => restApiEvent({ method: 'GET', headers: { Origin: GOOD } }) },
    { status: 413, event: () => pageRequest('good '.repeat(30_000), { Origin: GOOD }) },
    { status: 415, event: () => restApiEvent({ body: '<p>good</p>', headers: { 'Content-Type': 'text/html' } }) },
    {
      status: 422,
      event: () => restApiEvent({ body: '{"review": 5}', headers: { 'Content-Type': 'application/json' } }),
    },
    {
      status: 502,
      event: () => pageRequest(),
      model: () => sageMaker.on(InvokeEndpointCommand).rejects(sdkError('ModelError')),
    },
    {
      status: 503,
      event: () => pageRequest(),
      model: () => sageMaker.on(InvokeEndpointCommand).rejects(sdkError('ModelNotReadyException')),
    },
    {
      status: 504,
      event: () => pageRequest(),
      model: () => sageMaker.on(InvokeEndpointCommand).callsFake(() => new Promise(() => undefined)),
      remainingTimeMs: 550, // 50 ms before the early timeout answers
    },
  ];

  it.each(cases)('are on the $status answer', async ({ status, event, model, remainingTimeMs }) => {
    // Prepare
    const handler = newHandler();
    model?.();

    // Act
    const response = await handler(event(), lambdaContext({ remainingTimeMs }));

    // Assess
    expect(response.statusCode).toBe(status);
    expect(securityHeaderProblems(response)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Review text in logs and responses

/** Every way a request carrying a review can go: answered, refused, or failed downstream. */
const KINDS = {
  text: 200,
  jsonReview: 200,
  batch: 200,
  base64Text: 200,
  malformedJson: 400,
  invalidUtf8: 400,
  wrongMethod: 405,
  tooLong: 413,
  tooMany: 413,
  unsupportedType: 415,
  wrongType: 422,
  unknownFieldValue: 422,
  modelError: 502,
  unreadableReply: 502,
  tooFewScores: 502,
  busy: 503,
  timeout: 504,
} as const;
type Kind = keyof typeof KINDS;

/** Handler limits for the run: small, so 413s are cheap. */
const LIMITS = { maxReviewChars: 400, maxBatchSize: 5 };

/** What the model does for the request being sent. */
let modelBehaviour: Kind = 'text';

function fakeModel(input: InvokeEndpointCommandInput) {
  switch (modelBehaviour) {
    case 'modelError':
      return Promise.reject(sdkError('ModelError'));
    case 'busy':
      return Promise.reject(sdkError('ServiceUnavailable'));
    case 'unreadableReply':
      return Promise.resolve(modelReply('<html>oops</html>'));
    case 'tooFewScores':
      return Promise.resolve(modelReply('0.7\n'));
    case 'timeout':
      return new Promise<never>(() => undefined);
    default:
      return Promise.resolve(scoreEveryRow(input));
  }
}

const ALL_KINDS = Object.keys(KINDS) as Kind[];
const JSON_CLIENT = { 'Content-Type': 'application/json', Accept: 'application/json' };

/** A review with the marker somewhere among ordinary words. */
const reviewArb = fc
  .tuple(
    fc.array(fc.constantFrom('good', 'great', 'bad', 'boring', 'movie', 'the', 'plot', 'Ünïcödé', '😀'), {
      maxLength: 12,
    }),
    fc.nat(),
    fc.constantFrom(MARKER, MARKER.toUpperCase(), `${MARKER}!`, `(${MARKER})`),
  )
  .map(([words, at, marker]) => {
    const position = at % (words.length + 1);
    return [...words.slice(0, position), marker, ...words.slice(position)].join(' ');
  });

/** The event of one request of `kind` carrying `review`, in the shape `build` makes. */
function requestOf(kind: Kind, review: string, build: (request: TestRequest) => HttpEvent): HttpEvent {
  const json = (payload: unknown, headers: Record<string, string> = JSON_CLIENT) =>
    build({ body: JSON.stringify(payload), headers });
  switch (kind) {
    case 'text':
    case 'modelError':
    case 'busy':
    case 'unreadableReply':
    case 'timeout':
      return build({ body: review });
    case 'jsonReview':
      return json({ review });
    case 'batch':
    case 'tooFewScores':
      return json({ reviews: ['a good movie', review, 'boring'] });
    case 'base64Text':
      return build({ body: review, base64: true });
    case 'malformedJson':
      return build({ body: `{"review": "${review}"`, headers: JSON_CLIENT });
    case 'invalidUtf8': {
      const event = build({ body: review });
      return {
        ...event,
        body: Buffer.concat([Buffer.from(review), Buffer.from([0xff])]).toString('base64'),
        isBase64Encoded: true,
      };
    }
    case 'wrongMethod':
      return build({ body: review, method: 'PUT' });
    case 'tooLong':
      return build({ body: `${review} ${'good '.repeat(LIMITS.maxReviewChars / 5)}` });
    case 'tooMany':
      return json({ reviews: Array(LIMITS.maxBatchSize + 1).fill(review) });
    case 'unsupportedType':
      return build({ body: review, headers: { 'Content-Type': 'text/html' } });
    case 'wrongType':
      return json({ review: [review] });
    case 'unknownFieldValue':
      return json({ review: 'a good movie', note: review });
  }
}

const requestArb = fc.tuple(
  fc.constantFrom(...ALL_KINDS),
  reviewArb,
  fc.constantFrom<(request: TestRequest) => HttpEvent>(restApiEvent, httpApiEvent, functionUrlEvent),
);

/**
 * Sends `runs` generated requests through `handler`, checking each answer's status, headers and body
 * (never the review), and returns the raw request bodies sent and the statuses seen.
 */
async function runReviewTraffic(handler: ReturnType<typeof newHandler>, runs: number) {
  const sentBodies: string[] = [];
  const statuses = new Set<number>();
  await fc.assert(
    fc.asyncProperty(requestArb, async ([kind, review, build]) => {
      modelBehaviour = kind;
      const event = requestOf(kind, review, build);
      const response = await handler(event, lambdaContext({ remainingTimeMs: kind === 'timeout' ? 520 : 10_000 }));
      if (typeof event.body === 'string') sentBodies.push(event.body);
      statuses.add(response.statusCode);
      expect(response.statusCode).toBe(KINDS[kind]);
      expect(proxyResultProblems(response)).toEqual([]);
      expect(securityHeaderProblems(response)).toEqual([]);
      expect((response.body ?? '').toLowerCase()).not.toContain(MARKER);
    }),
    { numRuns: runs },
  );
  return { sentBodies, statuses };
}

describe('review text', () => {
  beforeEach(() => {
    // The level a deployed function runs at when nobody sets one.
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', undefined);
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', undefined);
    sageMaker.on(InvokeEndpointCommand).callsFake(fakeModel);
  });

  it('never reaches stdout or stderr at the default log level, nor any response, over many kinds of requests', async () => {
    // Prepare
    const logger = new Logger({ serviceName: 'security-test' });
    const handler = newHandler({ ...LIMITS, logger });
    const runs = 600;

    // Act
    const { sentBodies, statuses } = await runReviewTraffic(handler, runs);

    // Assess
    expect(logger.getLevelName()).toBe('INFO');
    expect([...statuses].sort()).toEqual([...new Set(Object.values(KINDS))].sort());
    const logged = output().text();
    expect(output().requestLines()).toHaveLength(runs); // the requests were logged, and captured
    expect(logged.toLowerCase()).not.toContain(MARKER);
    const leakedBody = sentBodies.find((body) => body.length >= 16 && logged.includes(body));
    expect(leakedBody).toBeUndefined();
    console.log(
      `security: ${runs} requests of ${ALL_KINDS.length} kinds, ${logged.length} log bytes, review text in none`,
    );
  });

  it('does reach the log when logReviewText is on (the capture sees it)', async () => {
    // Prepare
    const handler = newHandler({
      ...LIMITS,
      logger: new Logger({ serviceName: 'security-test' }),
      logReviewText: true,
    });

    // Act
    await runReviewTraffic(handler, 200);

    // Assess
    expect(output().text().toLowerCase()).toContain(MARKER);
  });

  it.each([
    ['malformed JSON', () => restApiEvent({ body: `{"review": "${MARKER}`, headers: JSON_CLIENT }), 400],
    [
      'malformed JSON, text client',
      () => restApiEvent({ body: `{"review": "${MARKER}`, headers: { 'Content-Type': 'application/json' } }),
      400,
    ],
    [
      'JSON with the review in the wrong place',
      () => restApiEvent({ body: `{"review": {"${MARKER}": 1}}`, headers: JSON_CLIENT }),
      422,
    ],
    [
      'a review over the length limit',
      () => restApiEvent({ body: `${MARKER} ${'x'.repeat(LIMITS.maxReviewChars)}` }),
      413,
    ],
    [
      'an unsupported content type',
      () => restApiEvent({ body: MARKER, headers: { 'Content-Type': 'text/html' } }),
      415,
    ],
    ['a wrong method', () => restApiEvent({ body: MARKER, method: 'DELETE' }), 405],
  ] as const)('is not echoed by the error answer to %s', async (_what, event, status) => {
    // Prepare
    const handler = newHandler(LIMITS);

    // Act
    const response = await handler(event(), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(status);
    expect(response.body.length).toBeGreaterThan(0);
    expect(response.body.toLowerCase()).not.toContain(MARKER);
  });
});
