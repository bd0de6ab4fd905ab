/**
 * A request's state: one report and one clock per invocation, started by Middy's requestStart hook, read
 * by the request log and the metrics, filled in by the handler through the context.
 */
import middy from '@middy/core';
import { describe, expect, it, vi } from 'vitest';
import { requestLog } from '../../middlewares/request-log.ts';
import { startRequestState } from '../../src/request-state.ts';
import { lambdaContext } from '../../src/testing/events.ts';

const PAUSE_MS = 40;

/** A chain whose first middleware takes PAUSE_MS, then the request log; its handler reports a review count. */
function chain(withRequestStart: boolean) {
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const handler = middy(withRequestStart ? { requestStart: startRequestState } : {})
    .before(() => new Promise<void>((resolve) => setTimeout(resolve, PAUSE_MS)))
    .use(requestLog({ logger: logger as never }))
    .handler(async (_event, context) => {
      context.requestReport.reviews = (context.requestReport.reviews ?? 0) + 1;
      return { statusCode: 200 };
    });
  const line = (call: number) => logger.info.mock.calls[call]?.[1] as { latencyMs: number; reviews: number };
  return { handler, line };
}

describe('request state', () => {
  it('with the requestStart hook, the logged latency is the whole chain, middlewares before the log included', async () => {
    // Prepare
    const { handler, line } = chain(true);

    // Act
    await handler({}, lambdaContext() as never);

    // Assess
    expect(line(0).latencyMs).toBeGreaterThanOrEqual(PAUSE_MS - 1);
  });

  it("without it, the log's own before hook starts the clock (and the report still reaches the handler)", async () => {
    // Prepare
    const { handler, line } = chain(false);

    // Act
    await handler({}, lambdaContext() as never);

    // Assess
    expect(line(0).latencyMs).toBeLessThan(PAUSE_MS - 1);
    expect(line(0).reviews).toBe(1);
  });

  it('gives each invocation a fresh report, even when the caller reuses one context object', async () => {
    // Prepare
    const { handler, line } = chain(true);
    const context = lambdaContext();

    // Act
    await handler({}, context as never);
    await handler({}, context as never);

    // Assess
    expect(line(0).reviews).toBe(1);
    expect(line(1).reviews).toBe(1);
  });
});
