/**
 * Input fuzzing of the whole chain. fast-check builds hostile HTTP events — random
 * bytes, invalid UTF-8, lying base64 flags, huge bodies, deep or hostile JSON, arbitrary headers,
 * content types and methods, all three event shapes, fields missing — and sends each through the Middy
 * chain of ONE warm handler per property, with a model that scores every row it is sent. For every
 * input: a well-formed proxy result with a documented status, CORS and security headers, no internals
 * in the body, no prototype pollution, an answer well inside the deadline; and the next ordinary request
 * (the original page's text/plain POST) still gets 200 `1`.
 */
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../src/testing/events.ts';
import { headerOf, pageRequest, usePipelineHarness } from '../helpers/pipeline.ts';
import {
  buildEvent,
  declaredCharsetArb,
  deepJson,
  eventShapeArb,
  type FuzzBody,
  type FuzzRequest,
  headersArb,
  hostileJsonBodyArb,
  internalLeaks,
  invalidUtf8BodyArb,
  lyingBase64BodyArb,
  methodArb,
  mutationArb,
  nonStringBodyArb,
  prototypePolluted,
  proxyResultProblems,
  randomBytesBodyArb,
  scoreEveryRow,
  textBodyArb,
} from './fuzz-helpers.ts';

/** Lambda timeout the fuzzed requests run with, and the time one answer may take at most. */
const LAMBDA_TIMEOUT_MS = 10_000;
const MAX_ANSWER_MS = 1_000;

const { sageMaker, newHandler } = usePipelineHarness();

beforeEach(() => {
  sageMaker.on(InvokeEndpointCommand).callsFake(scoreEveryRow);
});

/** Inputs tried and slowest answer, per property, for the summary line the README quotes. */
const tried = new Map<string, { inputs: number; slowestMs: number; statuses: Set<number> }>();

/**
 * Sends `event` through `handler`, checks every promise on the answer (and `assess`, a property's own
 * checks), then checks that an ordinary request right after it still succeeds. Throws (failing the
 * property) on any broken promise.
 */
async function checkOne(
  property: string,
  handler: ReturnType<typeof newHandler>,
  event: unknown,
  assess?: (result: { statusCode: number; body?: string }) => void,
): Promise<void> {
  const stats = tried.get(property) ?? { inputs: 0, slowestMs: 0, statuses: new Set<number>() };
  tried.set(property, stats);
  stats.inputs++;

  const started = performance.now();
  const response = (await handler(event as never, lambdaContext({ remainingTimeMs: LAMBDA_TIMEOUT_MS }))) as unknown;
  const elapsedMs = performance.now() - started;
  stats.slowestMs = Math.max(stats.slowestMs, elapsedMs);

  expect(proxyResultProblems(response)).toEqual([]);
  const result = response as { statusCode: number; body?: string; headers: Record<string, string> };
  stats.statuses.add(result.statusCode);
  expect(headerOf(result, 'Access-Control-Allow-Origin')).toBe('*');
  expect(headerOf(result, 'X-Content-Type-Options')).toBe('nosniff');
  expect(internalLeaks(result.body)).toEqual([]);
  expect(prototypePolluted()).toBe(false);
  expect(elapsedMs).toBeLessThan(MAX_ANSWER_MS);
  assess?.(result);

  const next = await handler(pageRequest('a good movie'), lambdaContext());
  expect(next).toMatchObject({ statusCode: 200, body: '1' });
}

/** Whether Node's own TextDecoder knows `label` (the oracle for which charsets get a 415). */
function knownCharset(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/** A request with the original page's headers and method, carrying `body`, in any event shape. */
const requestWithBody = (bodyArb: fc.Arbitrary<FuzzBody>, headers: Record<string, string> = {}) =>
  fc.tuple(eventShapeArb, bodyArb).map(
    ([shape, body]): FuzzRequest => ({
      shape,
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...headers },
      mutation: 'none',
      ...body,
    }),
  );

afterAll(() => {
  const total = [...tried.values()].reduce((sum, stats) => sum + stats.inputs, 0);
  const parts = [...tried].map(
    ([name, stats]) =>
      `${name} ${stats.inputs} (statuses ${[...stats.statuses].sort().join('/')}, slowest ${stats.slowestMs.toFixed(1)} ms)`,
  );
  console.log(`fuzz: ${total} inputs, all answered well-formed, each followed by a 200: ${parts.join('; ')}`);
});

describe('fuzzing the whole chain', () => {
  it('answers any text body, in any event shape', async () => {
    // Prepare
    const handler = newHandler();

    // Act
    // Assess
    await fc.assert(
      fc.asyncProperty(requestWithBody(textBodyArb), (request) => checkOne('text', handler, buildEvent(request))),
      { numRuns: 1500 },
    );
  });

  it('answers random bytes and invalid UTF-8 sent base64-encoded', async () => {
    // Prepare
    const handler = newHandler();

    // Act
    // Assess
    await fc.assert(
      fc.asyncProperty(requestWithBody(fc.oneof(randomBytesBodyArb, invalidUtf8BodyArb)), (request) =>
        checkOne('bytes/invalid UTF-8', handler, buildEvent(request)),
      ),
      { numRuns: 1000 },
    );
  });

  it('answers bytes and text in any declared charset: 415 naming an unknown one, never for a known one or JSON', async () => {
    // Prepare
    const handler = newHandler();
    const arb = fc.tuple(eventShapeArb, declaredCharsetArb);

    // Act
    // Assess
    await fc.assert(
      fc.asyncProperty(arb, ([shape, { label, contentType, body }]) => {
        const request: FuzzRequest = {
          shape,
          method: 'POST',
          headers: { 'Content-Type': contentType },
          mutation: 'none',
          ...body,
        };
        return checkOne('declared charsets', handler, buildEvent(request), (result) => {
          if (label === undefined) return;
          if (contentType.startsWith('application/json') || knownCharset(label)) {
            expect(result.statusCode).not.toBe(415);
          } else {
            expect(result.statusCode).toBe(415);
            expect(result.body).toContain(`Charset "${label}" is not supported`);
          }
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('answers base64 flags that lie (text flagged base64, base64 flagged text, malformed flags)', async () => {
    // Prepare
    const handler = newHandler();

    // Act
    // Assess
    await fc.assert(
      fc.asyncProperty(requestWithBody(lyingBase64BodyArb), (request) =>
        checkOne('lying base64', handler, buildEvent(request)),
      ),
      { numRuns: 1000 },
    );
  });

  it('answers hostile JSON (prototype keys, duplicates, numbers for strings, broken syntax)', async () => {
    // Prepare
    const handler = newHandler();
    const arb = fc.tuple(eventShapeArb, hostileJsonBodyArb).map(
      ([shape, { body, contentType }]): FuzzRequest => ({
        shape,
        method: 'POST',
        headers: { 'Content-Type': contentType, Accept: 'application/json' },
        mutation: 'none',
        ...body,
      }),
    );

    // Act
    // Assess
    await fc.assert(
      fc.asyncProperty(arb, (request) => checkOne('hostile JSON', handler, buildEvent(request))),
      { numRuns: 2000 },
    );
  });

  it('answers arbitrary methods, headers, content types, event shapes and missing fields', async () => {
    // Prepare
    const handler = newHandler();
    const bodyArb = fc.oneof(
      { weight: 4, arbitrary: textBodyArb },
      { weight: 2, arbitrary: hostileJsonBodyArb.map(({ body }) => body) },
      { weight: 1, arbitrary: lyingBase64BodyArb },
      { weight: 1, arbitrary: nonStringBodyArb },
    );
    const arb = fc
      .record({ shape: eventShapeArb, method: methodArb, headers: headersArb, mutation: mutationArb, body: bodyArb })
      .map(({ body, ...rest }): FuzzRequest => ({ ...rest, ...body }));

    // Act
    // Assess
    await fc.assert(
      fc.asyncProperty(arb, (request) =>
        checkOne('methods/headers/shapes/missing fields', handler, buildEvent(request)),
      ),
      { numRuns: 3000 },
    );
  });

  it('answers JSON nested up to 10,000 levels deep, closed or not', async () => {
    // Prepare
    const handler = newHandler();
    const arb = fc
      .tuple(
        eventShapeArb,
        fc.constantFrom('arrays', 'objects', 'review', 'reviews') as fc.Arbitrary<Parameters<typeof deepJson>[0]>,
        fc.integer({ min: 100, max: 10_000 }),
        fc.boolean(),
      )
      .map(
        ([shape, kind, depth, closed]): FuzzRequest => ({
          shape,
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          mutation: 'none',
          body: deepJson(kind, depth, closed),
          isBase64Encoded: false,
        }),
      );

    // Act
    // Assess
    await fc.assert(
      fc.asyncProperty(arb, (request) => checkOne('deep JSON', handler, buildEvent(request))),
      { numRuns: 100 },
    );
  });

  it('answers bodies of a few megabytes (text, JSON batches, long keys, random bytes) in time', async () => {
    // Prepare
    const handler = newHandler();
    const megabytes = fc.integer({ min: 1, max: 4 }).map((mb) => mb * 1024 * 1024);
    const arb = fc.tuple(eventShapeArb, megabytes, fc.nat({ max: 3 })).map(([shape, size, kind]): FuzzRequest => {
      const review = 'a good movie, not boring '.repeat(Math.ceil(60_000 / 25)).slice(0, 60_000);
      const bodies: Array<[string, string, boolean]> = [
        ['text/plain', 'good movie '.repeat(size / 11), false],
        ['application/json', JSON.stringify({ reviews: Array(Math.ceil(size / 60_000)).fill(review) }), false],
        ['application/json', JSON.stringify({ [`k${'x'.repeat(size)}`]: 'good' }), false],
        ['text/plain', Buffer.alloc(size, 0xc3).toString('base64'), true],
      ];
      const [contentType, body, isBase64Encoded] = bodies[kind] as [string, string, boolean];
      return {
        shape,
        method: 'POST',
        headers: { 'Content-Type': contentType },
        mutation: 'none',
        body,
        isBase64Encoded,
      };
    });

    // Act
    // Assess
    await fc.assert(
      fc.asyncProperty(arb, (request) => checkOne('huge bodies', handler, buildEvent(request))),
      { numRuns: 16 },
    );
  });
});
