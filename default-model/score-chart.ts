/**
 * How a model separates the two labels, as hand-written SVG (no dependency; the house style of
 * `bench/chart.ts`): on the left the distribution of one model's scores for each true label, on the right
 * the ROC curves of several models with their AUC and the point the handler's rounding picks.
 */
import { escapeXml, niceCeiling } from '../local/svg.ts';

/** Scores of one model on a labelled set, in the same order as the labels. */
export interface ScoredSet {
  readonly label: string;
  readonly color: string;
  readonly scores: readonly number[];
  readonly labels: readonly (0 | 1)[];
}

/** One point of a ROC curve: false and true positive rates when every score `>= threshold` is called positive. */
export interface RocPoint {
  readonly fpr: number;
  readonly tpr: number;
}

/**
 * The ROC curve, from (0, 0) to (1, 1): one point per distinct score, taken from the highest down, so
 * tied scores move the curve diagonally (a tie is no evidence either way).
 */
export function rocCurve(scores: readonly number[], labels: readonly (0 | 1)[]): RocPoint[] {
  const order = scores.map((score, i) => ({ score, label: labels[i] as 0 | 1 })).sort((a, b) => b.score - a.score);
  const positives = order.filter((o) => o.label === 1).length;
  const negatives = order.length - positives;
  const points: RocPoint[] = [{ fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; i++) {
    const entry = order[i] as { score: number; label: 0 | 1 };
    if (entry.label === 1) tp++;
    else fp++;
    if (i === order.length - 1 || (order[i + 1] as { score: number }).score !== entry.score) {
      points.push({ fpr: fp / negatives, tpr: tp / positives });
    }
  }
  return points;
}

/** Area under a ROC curve (trapezoids): the chance that a random positive scores above a random negative, ties half. */
export function rocAuc(points: readonly RocPoint[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as RocPoint;
    const b = points[i] as RocPoint;
    area += ((b.fpr - a.fpr) * (a.tpr + b.tpr)) / 2;
  }
  return area;
}

/** Counts of `scores` in `bins` equal-width bins over [0, 1] (1 falls in the last bin). */
function histogram(scores: readonly number[], bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const score of scores) {
    const bin = Math.min(bins - 1, Math.floor(score * bins));
    counts[bin] = (counts[bin] as number) + 1;
  }
  return counts;
}

export interface ScoreChartOptions {
  readonly title: string;
  readonly subtitle?: string;
  /** Bins of the histogram. Default 20. */
  readonly bins?: number;
}

const f = (n: number): string => n.toFixed(1);

const NEGATIVE_COLOR = '#d1495b';
const POSITIVE_COLOR = '#2e86ab';

/**
 * Renders the chart: `distribution`'s score histogram by true label (left), and the ROC curve of every set
 * in `roc` (right), each with its AUC and a dot where `round(score)` (0.5 counts as negative) operates.
 */
export function scoreChartSvg(distribution: ScoredSet, roc: readonly ScoredSet[], options: ScoreChartOptions): string {
  const width = 920;
  const height = 440;
  const bins = options.bins ?? 20;
  const top = 72;
  const bottom = 56;
  const plotH = height - top - bottom;
  const left = { x: 64, w: 440 };
  const right = { x: 584, w: plotH };
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-title" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
    `<title id="chart-title">${escapeXml([options.title, options.subtitle].filter(Boolean).join('. '))}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left.x}" y="24" font-size="16" font-weight="600" fill="#111">${escapeXml(options.title)}</text>`,
  ];
  if (options.subtitle) parts.push(`<text x="${left.x}" y="44" fill="#555">${escapeXml(options.subtitle)}</text>`);

  // Left: histogram, the two labels' bars side by side in each bin.
  const negatives = histogram(
    distribution.scores.filter((_, i) => distribution.labels[i] === 0),
    bins,
  );
  const positives = histogram(
    distribution.scores.filter((_, i) => distribution.labels[i] === 1),
    bins,
  );
  const peak = Math.max(...negatives, ...positives, 1);
  const yMax = niceCeiling(peak);
  const tick = yMax / 5;
  const hx = (score: number): number => left.x + score * left.w;
  const hy = (count: number): number => top + plotH - (count / yMax) * plotH;
  for (let c = 0; c <= yMax + 1e-9; c += tick) {
    parts.push(
      `<line x1="${left.x}" x2="${left.x + left.w}" y1="${f(hy(c))}" y2="${f(hy(c))}" stroke="#ececec"/>`,
      `<text x="${left.x - 8}" y="${f(hy(c) + 4)}" text-anchor="end" fill="#444">${Number(c.toPrecision(3))}</text>`,
    );
  }
  for (let s = 0; s <= 10; s += 2) {
    parts.push(
      `<text x="${f(hx(s / 10))}" y="${top + plotH + 18}" text-anchor="middle" fill="#444">${(s / 10).toFixed(1)}</text>`,
    );
  }
  const binW = left.w / bins;
  for (let b = 0; b < bins; b++) {
    const x0 = left.x + b * binW;
    for (const [k, counts, color] of [
      [0, negatives, NEGATIVE_COLOR],
      [1, positives, POSITIVE_COLOR],
    ] as const) {
      const count = counts[b] as number;
      if (count === 0) continue;
      parts.push(
        `<rect x="${f(x0 + 1 + (k * (binW - 2)) / 2)}" y="${f(hy(count))}" width="${f((binW - 2) / 2)}" height="${f(hy(0) - hy(count))}" fill="${color}" fill-opacity="0.85"/>`,
      );
    }
  }
  parts.push(
    `<line x1="${f(hx(0.5))}" x2="${f(hx(0.5))}" y1="${top}" y2="${top + plotH}" stroke="#333" stroke-dasharray="4 3"/>`,
    `<text x="${f(hx(0.5) + 4)}" y="${top + 14}" fill="#333">round(): 0 | 1</text>`,
    `<rect x="${left.x}" y="${top}" width="${left.w}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${left.x + left.w / 2}" y="${height - 14}" text-anchor="middle" fill="#222">${escapeXml(`${distribution.label} score`)}</text>`,
    `<text transform="translate(18 ${top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#222">sentences per bin (width ${1 / bins})</text>`,
  );
  const legend = [
    [NEGATIVE_COLOR, `negative sentences (${distribution.labels.filter((l) => l === 0).length})`],
    [POSITIVE_COLOR, `positive sentences (${distribution.labels.filter((l) => l === 1).length})`],
  ] as const;
  legend.forEach(([color, text], i) => {
    // One row above the plot: the bars reach the top at both ends of the score range.
    const lx = left.x + i * 200;
    parts.push(
      `<rect x="${lx}" y="${top - 18}" width="12" height="12" fill="${color}"/>`,
      `<text x="${lx + 18}" y="${top - 8}" fill="#111">${escapeXml(text)}</text>`,
    );
  });

  // Right: ROC curves.
  const rx = (fpr: number): number => right.x + fpr * right.w;
  const ry = (tpr: number): number => top + plotH - tpr * plotH;
  for (let v = 0; v <= 10; v += 2) {
    const at = v / 10;
    parts.push(
      `<line x1="${f(rx(at))}" x2="${f(rx(at))}" y1="${top}" y2="${top + plotH}" stroke="#ececec"/>`,
      `<line x1="${right.x}" x2="${right.x + right.w}" y1="${f(ry(at))}" y2="${f(ry(at))}" stroke="#ececec"/>`,
      `<text x="${f(rx(at))}" y="${top + plotH + 18}" text-anchor="middle" fill="#444">${at.toFixed(1)}</text>`,
      `<text x="${right.x - 8}" y="${f(ry(at) + 4)}" text-anchor="end" fill="#444">${at.toFixed(1)}</text>`,
    );
  }
  parts.push(
    `<line x1="${rx(0)}" y1="${ry(0)}" x2="${rx(1)}" y2="${ry(1)}" stroke="#bbb" stroke-dasharray="4 3"/>`,
    `<rect x="${right.x}" y="${top}" width="${right.w}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${right.x + right.w / 2}" y="${height - 14}" text-anchor="middle" fill="#222">false positive rate</text>`,
    `<text transform="translate(${right.x - 40} ${top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#222">true positive rate</text>`,
  );
  roc.forEach((set, i) => {
    const curve = rocCurve(set.scores, set.labels);
    const points = curve.map((p) => `${f(rx(p.fpr))},${f(ry(p.tpr))}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${set.color}" stroke-width="2"/>`);
    // The handler's operating point: positive when round(score) is 1, i.e. score > 0.5.
    const positives = set.labels.filter((l) => l === 1).length;
    const tp = set.scores.filter((s, k) => s > 0.5 && set.labels[k] === 1).length;
    const fp = set.scores.filter((s, k) => s > 0.5 && set.labels[k] === 0).length;
    const op = { fpr: fp / (set.labels.length - positives), tpr: tp / positives };
    parts.push(
      `<circle cx="${f(rx(op.fpr))}" cy="${f(ry(op.tpr))}" r="4" fill="${set.color}" stroke="#fff" stroke-width="1"/>`,
    );
    const ly = top + plotH - 14 - (roc.length - 1 - i) * 18;
    const lx = right.x + 10;
    parts.push(
      `<line x1="${lx}" x2="${lx + 20}" y1="${ly - 4}" y2="${ly - 4}" stroke="${set.color}" stroke-width="3"/>`,
      `<text x="${lx + 26}" y="${ly}" fill="#111">${escapeXml(`${set.label}: AUC ${rocAuc(curve).toFixed(3)}`)}</text>`,
    );
  });
  parts.push(
    `<text x="${right.x + right.w}" y="${top - 8}" text-anchor="end" fill="#555">dot: where round(score) decides</text>`,
  );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
