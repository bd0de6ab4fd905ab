/**
 * What the project's two SVG charts share: the model's score chart (default-model/score-chart.ts) and the
 * benchmark's latency chart (bench/chart.ts).
 */

/** `text` safe inside an SVG element or attribute. */
export const escapeXml = (text: string): string =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );

/** The axis maximum for `value`: the smallest 1, 2 or 5 times a power of ten (or the next power) at or above it. */
export function niceCeiling(value: number): number {
  const decade = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((m) => m * decade >= value) as number) * decade;
}
