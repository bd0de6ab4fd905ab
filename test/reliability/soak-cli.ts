/**
 * `npm run soak`: the full soak, 50,000 invocations (or `--invocations N`), printing the figures.
 * Exits 1 when an answer was wrong or memory or handles grew past their bounds.
 */
import { parseArgs } from 'node:util';
import { runSoak } from './soak.ts';

const { values } = parseArgs({
  options: { invocations: { type: 'string', default: '50000' }, warmup: { type: 'string', default: '1000' } },
});
const invocations = Number(values.invocations);
console.log(`Soak: ${invocations} invocations after ${values.warmup} warm-up ones...`);
const report = await runSoak({ invocations, warmup: Number(values.warmup), log: (line) => console.log(line) });
const { violations, examples, ...figures } = report;
console.log(JSON.stringify(figures, null, 2));
console.log(
  `${report.invocations} invocations in ${(report.durationMs / 1000).toFixed(1)} s ` +
    `(${Math.round(report.invocations / (report.durationMs / 1000))}/s), ${report.faultsInjected} faults injected, ` +
    `${report.endpointCalls} endpoint calls, ${report.wrongAnswers} wrong answers; ` +
    `heap ${report.heapUsedStartMB} -> ${report.heapUsedEndMB} MB (${report.heapGrowthMB >= 0 ? '+' : ''}${report.heapGrowthMB} MB), ` +
    `RSS ${report.rssStartMB} -> ${report.rssEndMB} MB.`,
);
if (violations.length > 0) {
  console.error(`FAILED:\n  ${violations.join('\n  ')}`);
  process.exitCode = 1;
} else {
  console.log('PASSED: no wrong answer, heap growth under 10 MB, no growth in sockets, servers or timers.');
}
