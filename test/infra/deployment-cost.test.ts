/**
 * The cost section of docs/deployment.md is arithmetic: every figure it gives follows from the prices and the
 * durations it states. This recomputes each one, to the digits written, so that a price or an assumption changed
 * without the figures (or a figure without its inputs) fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DOCUMENT = readFileSync(new URL('../../docs/deployment.md', import.meta.url), 'utf8');
const SECTION = DOCUMENT.slice(DOCUMENT.indexOf('## Cost'), DOCUMENT.indexOf('## Metrics and alarms'));

/** The groups `pattern` captures in the cost section, as written. */
function stated(pattern: RegExp): string[] {
  const match = pattern.exec(SECTION);
  if (match === null) throw new Error(`docs/deployment.md's cost section has nothing matching ${pattern}`);
  return match.slice(1) as string[];
}

/** A figure as the document writes it (`0.067`) is `value`, rounded to the digits written. */
function expectWritten(written: string | undefined, value: number, what: string): void {
  expect(Number(written), `${what}: written ${written}, computed ${value}`).toBeCloseTo(
    value,
    written?.split('.')[1]?.length ?? 0,
  );
}

const [perMillionRequests] = stated(/\$([\d.]+) per million requests/).map(Number) as [number];
const [perGbSecond] = stated(/\$([\d.]+) per GB-second/).map(Number) as [number];
const [t3PerHour] = stated(/ml\.t3\.medium about \$([\d.]+) an hour/).map(Number) as [number];
const [m5PerHour] = stated(/ml\.m5\.large about \$([\d.]+) an hour/).map(Number) as [number];
const [hoursPerMonth] = stated(/(\d+) hours a month/).map(Number) as [number];
const [inProcessMb, inProcessMs] = stated(/\*\*In process\*\*: (\d+) MB, \*\*(\d+) ms\*\*/).map(Number) as [
  number,
  number,
];
const [endpointMb, endpointMs] = stated(/\*\*Endpoint\*\*: (\d+) MB, \*\*(\d+) ms\*\*/).map(Number) as [number, number];

/** Lambda's compute charge of a million requests of `ms` each at `mb`. */
const computePerMillion = (mb: number, ms: number) => (mb / 1024) * (ms / 1000) * perGbSecond * 1e6;
/** Lambda's whole charge of one request. */
const lambdaPerRequest = (mb: number, ms: number) => (perMillionRequests + computePerMillion(mb, ms)) / 1e6;

describe("docs/deployment.md's cost section", () => {
  it('gives the compute per million requests that its durations and memory come to', () => {
    // Act
    const [inProcess] = stated(/\$([\d.]+) of compute per million requests/);
    const [endpoint, at20, at40] = stated(/\$([\d.]+) of compute per million \(20 ms: \$([\d.]+); 40 ms: \$([\d.]+)\)/);
    const [at10] = stated(/at 10 ms\s+the compute would be \$([\d.]+) a million/);

    // Assess
    expectWritten(inProcess, computePerMillion(inProcessMb, inProcessMs), 'in process');
    expectWritten(endpoint, computePerMillion(endpointMb, endpointMs), 'endpoint');
    expectWritten(at20, computePerMillion(endpointMb, 20), 'endpoint, 20 ms');
    expectWritten(at40, computePerMillion(endpointMb, 40), 'endpoint, 40 ms');
    expectWritten(at10, computePerMillion(inProcessMb, 10), 'in process, 10 ms');
  });

  it("gives an instance's month, and the request rate of the largest row, from the hours in a month", () => {
    // Act
    const [t3, m5] = stated(/one instance: \$([\d.]+) and \$([\d.]+) a month/);
    const [millions, perSecond] = stated(/(\d+) million a month is about (\d+) requests a second/);

    // Assess
    expectWritten(t3, t3PerHour * hoursPerMonth, 'ml.t3.medium a month');
    expectWritten(m5, m5PerHour * hoursPerMonth, 'ml.m5.large a month');
    expectWritten(perSecond, (Number(millions) * 1e6) / (hoursPerMonth * 3600), 'requests a second');
  });

  it('has a table whose every cell is the arithmetic of those prices', () => {
    // Act
    const rows = [
      ...SECTION.matchAll(
        /^\| (\d+) (thousand|million) +\| \$([\d.]+) +\| \$([\d.]+) \+ \$([\d.]+) = \*\*\$([\d.]+)\*\* +\| \$([\d.]+) \+ \$([\d.]+) = \*\*\$([\d.]+)\*\* +\|$/gm,
      ),
    ];

    // Assess
    expect(rows.map((row) => `${row[1]} ${row[2]}`)).toEqual(['10 thousand', '1 million', '100 million']);
    for (const [, count, unit, inProcess, lambdaT3, t3, totalT3, lambdaM5, m5, totalM5] of rows) {
      const predictions = Number(count) * (unit === 'thousand' ? 1e3 : 1e6);
      const endpointLambda = predictions * lambdaPerRequest(endpointMb, endpointMs);
      const what = `${count} ${unit}`;
      expectWritten(inProcess, predictions * lambdaPerRequest(inProcessMb, inProcessMs), `${what}, in process`);
      expectWritten(lambdaT3, endpointLambda, `${what}, endpoint's Lambda`);
      expectWritten(lambdaM5, endpointLambda, `${what}, endpoint's Lambda`);
      expectWritten(t3, t3PerHour * hoursPerMonth, `${what}, ml.t3.medium`);
      expectWritten(m5, m5PerHour * hoursPerMonth, `${what}, ml.m5.large`);
      expectWritten(totalT3, endpointLambda + t3PerHour * hoursPerMonth, `${what}, with ml.t3.medium`);
      expectWritten(totalM5, endpointLambda + m5PerHour * hoursPerMonth, `${what}, with ml.m5.large`);
    }
  });
});
