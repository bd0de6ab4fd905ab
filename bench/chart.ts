/**
 * The latency chart of the report, as hand-written SVG (no dependency, no external service): latency by
 * percentile for each arm, with the percentile axis stretched toward the tail (0, 90, 99, 99.9 % equally
 * spaced, as HdrHistogram plots do), so both the median and the tail are readable.
 */
import { escapeXml, niceCeiling } from '../local/svg.ts';

/** One line of the chart. */
export interface LatencySeries {
  readonly label: string;
  readonly color: string;
  /** `[percentile 0..99.9, ms]`, ascending percentiles. */
  readonly curve: readonly (readonly [number, number])[];
  readonly p50: number;
  readonly p99: number;
}

export interface LatencyChartOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly width?: number;
  readonly height?: number;
}

/** Position of percentile `p` on the stretched axis: `-log10(1 - p/100)`, 0 .. 3. */
const tailScale = (p: number): number => -Math.log10(Math.max(1e-3, 1 - p / 100));

/** Renders the chart; returns the SVG document. */
export function latencyChartSvg(series: readonly LatencySeries[], options: LatencyChartOptions): string {
  const width = options.width ?? 760;
  const height = options.height ?? 420;
  const margin = { top: 64, right: 24, bottom: 56, left: 64 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  // Logarithmic latency axis: the p50 gap (tenths of a ms) and the tail (tens of ms) both stay readable.
  const allMs = series.flatMap((s) => s.curve.map(([, ms]) => ms)).filter((ms) => ms > 0);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...allMs)));
  const top = Math.max(...allMs);
  const yMax = niceCeiling(top);
  const x = (p: number): number => margin.left + (tailScale(p) / 3) * plotW;
  const y = (ms: number): number =>
    margin.top + plotH - ((Math.log10(Math.max(ms, yMin)) - Math.log10(yMin)) / Math.log10(yMax / yMin)) * plotH;
  const f = (n: number): string => n.toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="24" font-size="16" font-weight="600" fill="#111">${escapeXml(options.title)}</text>`,
  ];
  if (options.subtitle) {
    parts.push(`<text x="${margin.left}" y="44" fill="#555">${escapeXml(options.subtitle)}</text>`);
  }
  // Grid and axes.
  for (let decade = yMin; decade < yMax * 1.001; decade *= 10) {
    for (const m of [1, 2, 5]) {
      const ms = decade * m;
      if (ms > yMax * 1.001) break;
      parts.push(
        `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${f(y(ms))}" y2="${f(y(ms))}" stroke="${m === 1 ? '#d0d0d0' : '#ececec'}"/>`,
        `<text x="${margin.left - 8}" y="${f(y(ms) + 4)}" text-anchor="end" fill="#444">${Number(ms.toPrecision(3))}</text>`,
      );
    }
  }
  for (const p of [0, 50, 90, 99, 99.9]) {
    parts.push(
      `<line x1="${f(x(p))}" x2="${f(x(p))}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#e5e5e5"/>`,
      `<text x="${f(x(p))}" y="${margin.top + plotH + 18}" text-anchor="middle" fill="#444">p${p}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 12}" text-anchor="middle" fill="#222">percentile (tail stretched: -log10(1 - p))</text>`,
    `<text transform="translate(18 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#222">latency, ms (log scale)</text>`,
  );
  // Lines, p50/p99 markers, legend.
  series.forEach((s, i) => {
    const points = s.curve.map(([p, ms]) => `${f(x(p))},${f(y(ms))}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="2.2"/>`);
    for (const [p, ms] of [
      [50, s.p50],
      [99, s.p99],
    ] as const) {
      parts.push(`<circle cx="${f(x(p))}" cy="${f(y(ms))}" r="3.5" fill="${s.color}"/>`);
    }
    const ly = margin.top + 16 + i * 18;
    const lx = margin.left + 12;
    parts.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="3"/>`,
      `<text x="${lx + 30}" y="${ly}" fill="#111">${escapeXml(`${s.label}: p50 ${s.p50.toFixed(3)} ms, p99 ${s.p99.toFixed(3)} ms`)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
