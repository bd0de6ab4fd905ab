/**
 * The soak in CI mode: 5,000 invocations (after 500 warm-up ones) mixing valid, invalid and fault-injected
 * requests through the real pipeline and SDK. `npm run soak` runs the full 50,000.
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from './soak.ts';

describe('soak (CI mode)', () => {
  it('5,000 mixed invocations: every answer right, heap growth < 10 MB, no growth in sockets or timers', async () => {
    // Act
    const report = await runSoak({ invocations: 5000, warmup: 500 });

    // Assess
    expect(report.violations).toEqual([]);
    expect(report.wrongAnswers).toBe(0);
    expect(Object.values(report.byStatus).reduce((sum, n) => sum + n, 0)).toBe(5000);
    // The mix really happened: successes, client errors, model errors, and timeouts.
    expect(Object.keys(report.byStatus).sort()).toEqual(['200', '400', '405', '502', '504']);
    expect(report.byStatus['504']).toBe(25);
    expect(report.faultsInjected).toBeGreaterThanOrEqual(1500);
    expect(report.heapGrowthMB).toBeLessThan(10);
    expect(report.resourcesEnd.TCPSocketWrap ?? 0).toBeLessThanOrEqual(report.resourcesStart.TCPSocketWrap ?? 0);
    expect(report.resourcesEnd.Timeout ?? 0).toBeLessThanOrEqual(report.resourcesStart.Timeout ?? 0);
    expect(report.durationMs).toBeLessThan(30_000);
  });
});
