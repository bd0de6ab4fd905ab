/**
 * Milliseconds on a monotonic clock, for the latencies the logs report. Read with `process.hrtime`
 * rather than `performance.now()`: Node loads its perf_hooks modules on the first use of the
 * `performance` global, at cold start, for the same reading.
 */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** `ms` rounded to a hundredth of a millisecond, as the logs and metrics report latencies. */
export const roundMs = (ms: number): number => Math.round(ms * 100) / 100;
