/**
 * Soak: many invocations of the real pipeline (`createHandler`, the real SDK over HTTP) against the local
 * SageMaker endpoint, mixing valid requests, invalid ones and injected faults (model errors, unreadable
 * replies, too few scores, reset connections and 5xx retried by the SDK, replies slower than the deadline).
 * Every answer is checked; heap, RSS and the process's active handles (sockets, timers) are measured after a
 * warm-up and at the end, and the run fails when they grew past the stated bounds.
 *
 * Used by `soak.test.ts` (CI mode) and `soak-cli.ts` (`npm run soak`, the full 50,000).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { withEmfToDevNull } from '../../bench/harness.ts';
import { DEFAULT_ENDPOINT_NAME, startEndpointServer } from '../../local/endpoint/server.ts';
import { loadDefaultModel } from '../../local/model/default-model.ts';
import { createLocalHandler } from '../../local/stack.ts';
import { lambdaContext, restApiEvent } from '../../src/testing/events.ts';

/** Options of {@link runSoak}. */
export interface SoakOptions {
  /** Invocations measured (after the warm-up). */
  invocations: number;
  /** Invocations before the first measurement, so caches, pools and JIT are warm. Default 1,000. */
  warmup?: number;
  /** Largest heap growth (after GC) allowed, in MB. Default 10. */
  maxHeapGrowthMB?: number;
  /** Progress lines (every 10%). Default: none. */
  log?: (line: string) => void;
}

/** Counts of `process.getActiveResourcesInfo()` by type. */
export type ResourceCounts = Record<string, number>;

/** What a soak run measured. */
export interface SoakReport {
  invocations: number;
  durationMs: number;
  /** Answers by HTTP status. */
  byStatus: Record<string, number>;
  /** Faults the endpoint applied (latency and outcome faults). */
  faultsInjected: number;
  /** InvokeEndpoint calls the endpoint received (retries included). */
  endpointCalls: number;
  /** Answers that were not what the request should get (wrong status, body or missing CORS): must be 0. */
  wrongAnswers: number;
  /** The first few wrong answers, for the failure message. */
  examples: string[];
  heapUsedStartMB: number;
  heapUsedEndMB: number;
  heapGrowthMB: number;
  rssStartMB: number;
  rssEndMB: number;
  resourcesStart: ResourceCounts;
  resourcesEnd: ResourceCounts;
  /** Why the run fails its bounds; empty when it passes. */
  violations: string[];
}

/** What one invocation sends, the fault it meets and the answer it must get. */
interface Step {
  event: ReturnType<typeof restApiEvent>;
  remainingTimeMs: number;
  fault?: (endpoint: Awaited<ReturnType<typeof startEndpointServer>>) => void;
  status: number;
  body?: string;
}

const POSITIVE = 'What a wonderful, moving film';
const NEGATIVE = 'Awful, boring, stupid and terrible.';
const TEXT = { 'Content-Type': 'text/plain;charset=UTF-8' };
const JSON_TYPE = { 'Content-Type': 'application/json' };
/** Handle types that must not grow: sockets, servers, timers, and anything file- or process-like. */
const WATCHED = ['TCPSocketWrap', 'TCPServerWrap', 'Timeout', 'Immediate', 'FSReqCallback', 'PipeWrap', 'ProcessWrap'];

/** The mix: a cycle of 200 invocations, one of each costly fault per cycle, cheap ones every 10. */
function stepFor(i: number): Step {
  const text = (body: string, status: number, answer?: string): Step => ({
    event: restApiEvent({ body, headers: { ...TEXT } }),
    remainingTimeMs: 10_000,
    status,
    ...(answer === undefined ? {} : { body: answer }),
  });
  switch (i % 200) {
    case 0: // slower than the deadline (60 ms left after the 500 ms kept back): 504, the call aborted
      return { ...text(POSITIVE, 504), remainingTimeMs: 560, fault: (e) => e.faults.latency(150) };
    case 1: // a reset connection, retried by the SDK
      return { ...text(POSITIVE, 200, '1'), fault: (e) => e.faults.drop(1) };
    case 2: // a 500 InternalFailure, retried by the SDK
      return { ...text(NEGATIVE, 200, '0'), fault: (e) => e.faults.error('InternalFailure') };
  }
  switch (i % 10) {
    case 3:
      return { ...text(POSITIVE, 502), fault: (e) => e.faults.error('ModelError') };
    case 4:
      return { ...text(POSITIVE, 502), fault: (e) => e.faults.body('<html>oops</html>') };
    case 5:
      return {
        event: restApiEvent({ body: JSON.stringify({ reviews: [POSITIVE, NEGATIVE, POSITIVE] }), headers: JSON_TYPE }),
        remainingTimeMs: 10_000,
        status: 502,
        fault: (e) => e.faults.body('0.9\n'),
      };
    case 6:
      return text('   ', 400);
    case 7:
      return {
        event: restApiEvent({ body: '{"reviews": [', headers: JSON_TYPE }),
        remainingTimeMs: 10_000,
        status: 400,
      };
    case 8:
      return {
        event: restApiEvent({ body: JSON.stringify({ reviews: [POSITIVE, NEGATIVE] }), headers: JSON_TYPE }),
        remainingTimeMs: 10_000,
        status: 200,
        body: undefined,
      };
    case 9:
      return { event: restApiEvent({ method: 'GET', headers: { ...TEXT } }), remainingTimeMs: 10_000, status: 405 };
    default:
      return i % 2 === 0 ? text(POSITIVE, 200, '1') : text(NEGATIVE, 200, '0');
  }
}

/** A `gc()` that works without `--expose-gc` on the command line. */
function gcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function resources(): ResourceCounts {
  const counts: ResourceCounts = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

const mb = (bytes: number): number => Math.round((bytes / 1_048_576) * 100) / 100;

async function settle(gc: () => void): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
  }
}

/** Handle types that grew from `start` to `end`, among {@link WATCHED}. */
function grown(start: ResourceCounts, end: ResourceCounts): string[] {
  return WATCHED.filter((type) => (end[type] ?? 0) > (start[type] ?? 0)).map(
    (type) => `${type}: ${start[type] ?? 0} -> ${end[type] ?? 0}`,
  );
}

/** Polls (at most 2 s) until no watched handle type is above its start count: sockets close asynchronously. */
async function resourcesSettled(start: ResourceCounts): Promise<ResourceCounts> {
  const deadline = Date.now() + 2000;
  let end = resources();
  while (grown(start, end).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    end = resources();
  }
  return end;
}

/**
 * Runs the soak: starts a local endpoint on loopback, creates the handler once (as Lambda does at init),
 * warms up, measures, runs `invocations`, measures again, stops the endpoint.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  // The metrics (one EMF line per invocation) are written as in Lambda, to /dev/null rather than the output.
  return (await withEmfToDevNull(() => soak(options))).result;
}

async function soak(options: SoakOptions): Promise<SoakReport> {
  const { invocations, warmup = 1000, maxHeapGrowthMB = 10, log } = options;
  const gc = gcFunction();
  const { model, vocabulary } = await loadDefaultModel();
  const endpoint = await startEndpointServer({ port: 0, models: { [DEFAULT_ENDPOINT_NAME]: model } });
  try {
    const handler = createLocalHandler(endpoint.url, vocabulary, {
      // The request log runs (and is formatted) at every invocation; nothing is printed.
      logger: new Logger({ serviceName: 'soak', logLevel: 'SILENT' }),
    });
    const byStatus: Record<string, number> = {};
    const examples: string[] = [];
    let wrongAnswers = 0;

    const invoke = async (i: number, count: boolean): Promise<void> => {
      const step = stepFor(i);
      step.fault?.(endpoint);
      const reply = (await handler(
        step.event,
        lambdaContext({ remainingTimeMs: step.remainingTimeMs }),
      )) as APIGatewayProxyResult;
      endpoint.faults.clear();
      const cors = reply?.headers?.['Access-Control-Allow-Origin'];
      const right =
        reply?.statusCode === step.status &&
        typeof reply.body === 'string' &&
        (step.body === undefined || reply.body === step.body) &&
        (step.status === 405 || cors === '*');
      if (!count) return;
      byStatus[String(reply?.statusCode)] = (byStatus[String(reply?.statusCode)] ?? 0) + 1;
      if (!right) {
        wrongAnswers += 1;
        if (examples.length < 5) {
          examples.push(`#${i}: expected ${step.status}, got ${reply?.statusCode} ${JSON.stringify(reply?.body)}`);
        }
      }
    };

    for (let i = 0; i < warmup; i++) await invoke(i, false);
    await settle(gc);
    const heapStart = process.memoryUsage();
    const resourcesStart = resources();
    const callsStart = endpoint.stats.invocations;
    const faultsStart = endpoint.stats.faultsApplied;
    const started = performance.now();

    const tenth = Math.max(1, Math.floor(invocations / 10));
    for (let i = 0; i < invocations; i++) {
      await invoke(i, true);
      if (log && (i + 1) % tenth === 0) log(`  ${i + 1} / ${invocations}`);
    }

    const durationMs = Math.round(performance.now() - started);
    await settle(gc);
    const heapEnd = process.memoryUsage();
    const resourcesEnd = await resourcesSettled(resourcesStart);
    const heapGrowthMB = mb(heapEnd.heapUsed - heapStart.heapUsed);
    const violations: string[] = [];
    if (wrongAnswers > 0) violations.push(`${wrongAnswers} wrong answer(s): ${examples.join('; ')}`);
    if (heapGrowthMB >= maxHeapGrowthMB) violations.push(`heap grew ${heapGrowthMB} MB (bound ${maxHeapGrowthMB} MB)`);
    for (const growth of grown(resourcesStart, resourcesEnd)) violations.push(`active handles grew: ${growth}`);
    return {
      invocations,
      durationMs,
      byStatus,
      faultsInjected: endpoint.stats.faultsApplied - faultsStart,
      endpointCalls: endpoint.stats.invocations - callsStart,
      wrongAnswers,
      examples,
      heapUsedStartMB: mb(heapStart.heapUsed),
      heapUsedEndMB: mb(heapEnd.heapUsed),
      heapGrowthMB,
      rssStartMB: mb(heapStart.rss),
      rssEndMB: mb(heapEnd.rss),
      resourcesStart,
      resourcesEnd,
      violations,
    };
  } finally {
    await endpoint.close();
  }
}
