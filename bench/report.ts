/**
 * The benchmark report: `latest.json` (every result and the machine), `latest.md` (the targets table a
 * reader sees first, then the details) and `latency.svg` (the warm-path latency distributions).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { HeldOutFigures } from '../default-model/accuracy.ts';
import { latencyChartSvg } from './chart.ts';
import type { ClassifyBenchResult } from './classify.ts';
import { type ColdStartResult, TARGET_BUILT_VS_BARE, TARGET_IN_PROCESS_VS_BARE } from './cold-start.ts';
import type { EncoderBenchResult } from './encoder.ts';
import type { ExplainResult } from './explain.ts';
import type { MemoryResult } from './memory.ts';
import type { ModelScoringResult } from './model-scoring.ts';
import type { OfflineStartResult } from './offline-start.ts';
import type { WarmPathResult } from './warm-path.ts';
import type { WithoutExplainResult } from './without-explain.ts';

/** The bundle's size budget, the one `npm run build` holds it to (build-budget.json). */
const LAMBDA_BUNDLE_BUDGET_BYTES = (
  JSON.parse(readFileSync(new URL('../build-budget.json', import.meta.url), 'utf8')) as { lambdaBundleBytes: number }
).lambdaBundleBytes;

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGB: number;
  readonly platform: string;
  readonly node: string;
  readonly date: string;
  readonly commit: string | undefined;
  /** 1-minute load average when the report was written: well above `cores` means the figures are noisy. */
  readonly loadAverage: number;
}

export interface BenchReport {
  readonly command: string;
  readonly machine: Machine;
  readonly warmPath: WarmPathResult;
  readonly memory: MemoryResult;
  /** The same artifact scoring the model it bundles, with the 128 MB function's heap flags. */
  readonly memoryInProcess?: MemoryResult;
  /** The same run with Node's default V8 heap flags, for comparison (absent in quick mode). */
  readonly memoryNodeDefaults?: MemoryResult;
  readonly encoder: EncoderBenchResult;
  readonly coldStart: ColdStartResult;
  /** The local endpoint scoring one row with an XGBoost model (absent in reports from before it existed). */
  readonly modelScoring?: ModelScoringResult;
  /** Explaining a review (TreeSHAP) against xgboost's `pred_contribs`. */
  readonly explain?: ExplainResult;
  /** A request without `explain`, this checkout against the commit before explanations. */
  readonly withoutExplain?: WithoutExplainResult;
  /** `sentiment-lambda classify` against the original's Python path. */
  readonly classify?: ClassifyBenchResult;
  /** `npm start` to its first answer (absent in reports written before it was measured). */
  readonly offlineStart?: OfflineStartResult;
  /** The default model and the lexicon model on the held-out sentences (`npm run model:accuracy`). */
  readonly modelAccuracy?: {
    readonly sentences: number;
    readonly xgboost: HeldOutFigures;
    readonly lexicon: HeldOutFigures;
  };
}

/** The machine the figures were measured on. */
export function describeMachine(): Machine {
  const list = cpus();
  let commit: string | undefined;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: 'pipe' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8', stdio: 'pipe' }).trim();
    if (dirty !== '') commit += ' (with uncommitted changes)';
  } catch {
    commit = undefined;
  }
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    date: new Date().toISOString(),
    commit,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** One row of the targets table. */
export interface TargetRow {
  readonly target: string;
  readonly measured: string;
  /** `undefined`: not measured (e.g. python3 missing). */
  readonly met: boolean | undefined;
}

export function targetRows(report: BenchReport): TargetRow[] {
  const { warmPath, memory, encoder, coldStart } = report;
  const { chain } = warmPath;
  return [
    {
      target: `Warm path: full chain p50 <= ${chain.target}x the bare handler`,
      measured: `${chain.ratioP50.toFixed(3)}x (${chain.full.p50.toFixed(3)} vs ${chain.bare.p50.toFixed(3)} ms; +${chain.overheadP50Ms.toFixed(3)} ms)`,
      met: chain.meetsTarget,
    },
    {
      target: `Warm path, model in the function: full chain p50 <= ${warmPath.inProcess.target}x the bare SageMaker handler`,
      measured: `${warmPath.inProcess.ratioP50.toFixed(3)}x (${warmPath.inProcess.full.p50.toFixed(3)} vs ${chain.bare.p50.toFixed(3)} ms)`,
      met: warmPath.inProcess.meetsTarget,
    },
    {
      target: `Memory: peak RSS < ${memory.targets.peakRssMB} MB over ${memory.invocations.toLocaleString('en-US')} invocations`,
      measured: `${memory.peakRssMB.toFixed(1)} MB (peak heap ${memory.peakHeapUsedMB.toFixed(1)} MB)`,
      met: memory.meetsPeakRss,
    },
    ...(report.memoryInProcess === undefined
      ? []
      : [
          {
            target: `Memory, model in the function: peak RSS < ${report.memoryInProcess.targets.peakRssMB} MB over ${report.memoryInProcess.invocations.toLocaleString('en-US')} invocations`,
            measured: `${report.memoryInProcess.peakRssMB.toFixed(1)} MB (peak heap ${report.memoryInProcess.peakHeapUsedMB.toFixed(1)} MB; growth heap ${signed(report.memoryInProcess.heapGrowthMB)} MB, RSS ${signed(report.memoryInProcess.rssGrowthMB)} MB)`,
            met: report.memoryInProcess.meetsPeakRss && report.memoryInProcess.meetsGrowth,
          },
        ]),
    {
      target: `Memory: growth <= ${memory.targets.growthMB} MB from invocation ${memory.warmupInvocation.toLocaleString('en-US')} to ${memory.invocations.toLocaleString('en-US')}`,
      measured: `heap ${signed(memory.heapGrowthMB)} MB, RSS ${signed(memory.rssGrowthMB)} MB (after GC)`,
      met: memory.meetsGrowth,
    },
    {
      target: `Encoder (csv): >= ${encoder.targetRatio}x the Python reference`,
      measured:
        encoder.ratio === undefined
          ? 'not measured (python3 missing)'
          : `${encoder.ratio.toFixed(1)}x (${fmt(encoder.ours.csv.reviewsPerSecond)} vs ${fmt(encoder.reference?.reviewsPerSecond ?? 0)} reviews/s)`,
      met: encoder.meetsTarget,
    },
    {
      target: `Cold start, SageMaker endpoint: first response <= ${TARGET_BUILT_VS_BARE.toFixed(1)}x bare \`node -e 0\``,
      measured: `${coldStart.builtVsBare.toFixed(2)}x (${coldStart.builtMs.toFixed(1)} vs ${coldStart.bareNodeMs.toFixed(1)} ms)`,
      met: coldStart.builtVsBare <= TARGET_BUILT_VS_BARE,
    },
    {
      target: `Cold start, model in the function (bundled default model): first response <= ${TARGET_IN_PROCESS_VS_BARE.toFixed(1)}x bare \`node -e 0\``,
      measured: `${coldStart.inProcessVsBare.toFixed(2)}x (${coldStart.inProcessMs.toFixed(1)} vs ${coldStart.bareNodeMs.toFixed(1)} ms)`,
      met: coldStart.inProcessVsBare <= TARGET_IN_PROCESS_VS_BARE,
    },
    {
      target: `Bundle loaded at cold start <= ${LAMBDA_BUNDLE_BUDGET_BYTES / 1024} KB`,
      measured: `${(coldStart.builtBundleBytes / 1024).toFixed(0)} KB (naive bundle ${(coldStart.naiveBundleBytes / 1024).toFixed(0)} KB)`,
      met: coldStart.builtBundleBytes <= LAMBDA_BUNDLE_BUDGET_BYTES,
    },
    ...modelScoringRows(report.modelScoring),
    ...explainRows(report),
    ...(report.classify === undefined
      ? []
      : [
          {
            target: `\`classify\`: >= ${report.classify.targetRatio}x the original's Python path (its scoring loop alone)`,
            measured:
              report.classify.ratioToScoringLoop === undefined
                ? `${fmt(report.classify.ours.reviewsPerSecond)} reviews/s; Python not measured (python3-xgboost missing)`
                : `${report.classify.ratioToScoringLoop.toFixed(1)}x (${fmt(report.classify.ours.reviewsPerSecond)} vs ${fmt(report.classify.python?.scoringReviewsPerSecond ?? 0)} reviews/s; ${report.classify.ratio?.toFixed(1)}x whole processes)`,
            met: report.classify.meetsTarget,
          },
        ]),
    ...(report.offlineStart === undefined
      ? []
      : [
          {
            target: `Offline stack: \`npm start\` answers <= ${report.offlineStart.targetMs / 1000} s from the command`,
            measured: `${(report.offlineStart.firstAnswerMs / 1000).toFixed(2)} s (median of ${report.offlineStart.runs}: ${report.offlineStart.samplesMs.join(', ')} ms)`,
            met: report.offlineStart.meetsTarget,
          },
        ]),
  ];
}

function modelScoringRows(result: ModelScoringResult | undefined): TargetRow[] {
  if (result === undefined) return [];
  const { ours, xgboost } = result;
  return [
    {
      target: `Model scoring: one ${fmt(result.model.featureCount)}-column CSV row p50 <= ${result.targetP50Ms} ms (local endpoint, XGBoost)`,
      measured:
        `${ms(ours.p50Ms)} (p99 ${ms(ours.p99Ms)}); xgboost inplace_predict ${xgboost === undefined ? 'not measured' : ms(xgboost.p50Ms)}` +
        (result.ratioP50 === undefined ? '' : `: ${result.ratioP50.toFixed(2)}x xgboost's time`),
      met: result.meetsTarget,
    },
    {
      target: `Model in the function: one ${fmt(result.model.featureCount)}-word row's counts p50 <= ${result.inProcessTargetRatio}x xgboost's inplace_predict`,
      measured:
        result.inProcessRatioP50 === undefined
          ? `${ms(result.inProcess.p50Ms)}; xgboost not measured`
          : `${result.inProcessRatioP50.toFixed(3)}x (${ms(result.inProcess.p50Ms)} vs ${ms((xgboost as NonNullable<typeof xgboost>).p50Ms)})`,
      met: result.inProcessRatioP50 === undefined ? undefined : result.inProcessRatioP50 <= result.inProcessTargetRatio,
    },
  ];
}

function explainRows({ explain, withoutExplain }: BenchReport): TargetRow[] {
  const rows: TargetRow[] = [];
  if (explain !== undefined) {
    const { reviews } = explain;
    rows.push({
      target: `Explaining one ${fmt(explain.model.featureCount)}-word review p50 <= ${explain.targetRatio}x xgboost's \`pred_contribs\` on one row (default model)`,
      measured:
        reviews.ratioP50 === undefined || reviews.xgboost === undefined
          ? `${ms(reviews.ours.p50Ms)}; xgboost not measured`
          : `${reviews.ratioP50.toFixed(3)}x (${ms(reviews.ours.p50Ms)} vs ${ms(reviews.xgboost.p50Ms)}; every tree's walk row-dependent: ${explain.everyTree.ratioP50?.toFixed(3)}x)`,
      met: reviews.ratioP50 === undefined ? undefined : explain.meetsTarget,
    });
  }
  if (withoutExplain !== undefined) {
    rows.push({
      target:
        'A request without `explain` (model in the function): p50 no slower than before explanations, within the noise',
      measured: `${withoutExplain.ratioP50.toFixed(3)}x (${ms(withoutExplain.current.p50)} vs ${ms(withoutExplain.baseline.p50)} at ${withoutExplain.baselineRevision.slice(0, 7)}; noise ${(100 * withoutExplain.noise).toFixed(1)}%)`,
      met: withoutExplain.meetsTarget,
    });
  }
  return rows;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const signed = (n: number): string => (n > 0 ? `+${n.toFixed(2)}` : n.toFixed(2));
const ms = (n: number): string => `${n.toFixed(3)} ms`;
const verdict = (met: boolean | undefined): string => (met === undefined ? 'n/a' : met ? 'met' : '**not met**');

export function reportMarkdown(report: BenchReport): string {
  const { machine, warmPath, memory, memoryNodeDefaults, encoder, coldStart } = report;
  const { chain, formats, batch } = warmPath;
  const lines = [
    '# Benchmark results',
    '',
    `Measured ${machine.date.slice(0, 10)} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, ` +
      `${machine.platform}, Node ${machine.node}${machine.commit ? `, commit ${machine.commit}` : ''}, load average ` +
      `${machine.loadAverage} at the end of the run. ` +
      `Reproduce: \`${report.command}\`.`,
    '',
    '| Target | Measured | Result |',
    '| --- | --- | --- |',
    ...targetRows(report).map((row) => `| ${row.target} | ${row.measured} | ${verdict(row.met)} |`),
    '',
    '![Warm-path latency by percentile: full chain, bare handler, model in the function](latency.svg)',
    '',
    '## Warm path',
    '',
    `${warmPath.vocabularySize}-word vocabulary, ${warmPath.reviews} corpus reviews sent as the original page sends them ` +
      `(\`text/plain\`), against the local SageMaker-compatible endpoint; ${warmPath.design}.`,
    '',
    '| | p50 | p90 | p99 | p99.9 | requests/s (sequential) | requests |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...(
      [
        ['Full chain (`createHandler`)', chain.full],
        ['Bare handler (encode + SDK call)', chain.bare],
        ['Full chain, `metrics: false`', chain.withoutMetrics],
        ['Full chain, model in the function', warmPath.inProcess.full],
      ] as const
    ).map(
      ([name, s]) =>
        `| ${name} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.p999)} | ${fmt(s.requestsPerSecond)} | ${fmt(s.samples)} |`,
    ),
    `| Ratio | ${chain.ratioP50.toFixed(3)}x | | ${chain.ratioP99.toFixed(3)}x | | | |`,
    '',
    `Median over blocks of the per-block p50 ratio: ${chain.ratioBlockMedian.toFixed(3)}x. Without metrics the chain is ` +
      `${chain.withoutMetricsRatioP50.toFixed(3)}x the bare handler at p50: the metrics (one EMF line per request) add ` +
      `${ms(chain.metricsP50Ms)}.`,
  ];
  if (formats !== undefined) {
    lines.push(
      '',
      `**csv vs libsvm** (median review, ${fmt(formats.reviewChars)} characters, full chain): csv ${fmt(formats.csv.bytes)} bytes, ` +
        `p50 ${ms(formats.csv.latency.p50)}; libsvm ${fmt(formats.libsvm.bytes)} bytes (${(formats.bytesRatio * 100).toFixed(1)}%), ` +
        `p50 ${ms(formats.libsvm.latency.p50)} (${formats.p50Ratio.toFixed(3)}x). libsvm is only correct for a model trained on sparse input.`,
    );
  }
  if (batch !== undefined) {
    lines.push(
      '',
      `**Batch**: ${batch.size} reviews in one call (${fmt(batch.payloadBytes)} bytes of csv) ${ms(batch.batchMs)} ` +
        `(${ms(batch.batchPerReviewMs)} per review) vs ${batch.size} single calls ${ms(batch.singlesMs)} ` +
        `(${ms(batch.singlePerReviewMs)} per review): ${batch.speedup.toFixed(2)}x faster batched (median of ${batch.rounds} interleaved rounds).`,
    );
  }
  const memoryLine = (m: MemoryResult): string =>
    `| ${m.nodeFlags.join(' ')} | ${m.peakRssMB.toFixed(1)} MB | ${m.peakHeapUsedMB.toFixed(1)} MB | ${signed(m.heapGrowthMB)} MB | ${signed(m.rssGrowthMB)} MB | ${fmt(m.invocationsPerSecond)} |`;
  lines.push(
    '',
    '## Memory',
    '',
    `${fmt(memory.invocations)} sequential invocations of ${memory.handler}, ${memory.vocabularySize}-word vocabulary, ` +
      `${memory.distinctReviews} distinct reviews; the endpoint runs in another process. Peak RSS is the kernel's ` +
      `high-water mark (${memory.peakRssSource}); growth compares post-GC figures at invocation ${fmt(memory.warmupInvocation)} and ${fmt(memory.invocations)}. ` +
      'The first row limits the V8 heap as for a 128 MB function (Lambda sizes the heap from the memory setting; here the flags are set by hand); the second runs with Node defaults.',
    '',
    '| Node flags | Peak RSS | Peak heap | Heap growth | RSS growth | invocations/s |',
    '| --- | --- | --- | --- | --- | --- |',
    memoryLine(memory),
    ...(memoryNodeDefaults === undefined ? [] : [memoryLine(memoryNodeDefaults)]),
    ...(report.memoryInProcess === undefined ? [] : [`${memoryLine(report.memoryInProcess)} (model in the function)`]),
    '',
    `After GC (heap / RSS, MB): ${memory.afterGc.map((s) => `#${fmt(s.invocation)} ${s.heapUsedMB.toFixed(1)} / ${s.rssMB.toFixed(1)}`).join('; ')}.`,
    '',
    '## Encoder and cold start',
    '',
    `Encoder: csv ${fmt(encoder.ours.csv.reviewsPerSecond)} reviews/s, libsvm ${fmt(encoder.ours.libsvm.reviewsPerSecond)} reviews/s` +
      (encoder.reference === undefined
        ? ' (python3 missing: no reference).'
        : `; ${encoder.reference.python.split(' (')[0]} original_preprocessing.py ${fmt(encoder.reference.reviewsPerSecond)} reviews/s. ` +
          `Medians of ${encoder.ours.csv.rounds.length} rounds each, a Python run (two passes) before each csv round; libsvm timed after.`),
    '',
    `Cold start (median of ${coldStart.runs} fresh processes, first response): built handler ${coldStart.builtMs.toFixed(1)} ms ` +
      `calling the endpoint, ${coldStart.inProcessMs.toFixed(1)} ms scoring its bundled model, ` +
      `bare node ${coldStart.bareNodeMs.toFixed(1)} ms, naive bundle ${coldStart.naiveMs.toFixed(1)} ms (${coldStart.naiveVsBare.toFixed(2)}x).`,
    '',
  );
  const accuracy = report.modelAccuracy;
  if (accuracy !== undefined) {
    const percent = (figures: HeldOutFigures) =>
      `${(100 * figures.accuracy).toFixed(1)}% (${fmt(figures.correct)} right, AUC ${figures.auc.toFixed(3)})`;
    lines.push(
      '## Default model',
      '',
      `Accuracy on the ${fmt(accuracy.sentences)} held-out sentences (\`npm run model:accuracy\`): the XGBoost default model ${percent(accuracy.xgboost)}, ` +
        `the AFINN-165 lexicon model ${percent(accuracy.lexicon)}.`,
      '',
    );
  }
  const scoring = report.modelScoring;
  if (scoring !== undefined) {
    lines.push(
      '## Model scoring',
      '',
      `${scoring.model.description}${scoring.model.isDefault ? ' (the default model)' : ''}. ` +
        `${fmt(scoring.rows)} bag-of-words CSV rows (${fmt(scoring.medianBodyBytes)} bytes each at the median), ` +
        `${scoring.rounds} interleaved rounds a side; every score checked against xgboost's first (${fmt(scoring.verifiedRows)} rows, bit for bit).`,
      '',
      '| | p50 | p90 | p99 | samples |',
      '| --- | --- | --- | --- | --- |',
      `| Local endpoint: parse + predict + format | ${ms(scoring.ours.p50Ms)} | ${ms(scoring.ours.p90Ms)} | ${ms(scoring.ours.p99Ms)} | ${fmt(scoring.ours.samples)} |`,
      ...(scoring.xgboost === undefined
        ? []
        : [
            `| xgboost ${scoring.xgboost.version} \`inplace_predict\` (float32 numpy row, nthread=1) | ${ms(scoring.xgboost.p50Ms)} | ${ms(scoring.xgboost.p90Ms)} | ${ms(scoring.xgboost.p99Ms)} | ${fmt(scoring.xgboost.samples)} |`,
          ]),
      `| Model in the function: \`predictCounts\` of the row's word counts | ${ms(scoring.inProcess.p50Ms)} | ${ms(scoring.inProcess.p90Ms)} | ${ms(scoring.inProcess.p99Ms)} | ${fmt(scoring.inProcess.samples)} |`,
      ...(scoring.ratioP50 === undefined
        ? []
        : [
            '',
            `Ratio at p50: the local endpoint ${scoring.ratioP50.toFixed(2)}x xgboost's time; the model in the function ${scoring.inProcessRatioP50?.toFixed(3)}x.`,
          ]),
      '',
    );
  }
  const { explain, withoutExplain, classify } = report;
  if (explain !== undefined) {
    const set = (name: string, rows: ExplainResult['reviews']) =>
      `| ${name} (${fmt(rows.rows)} rows, median ${rows.medianColumns} columns) | ${ms(rows.ours.p50Ms)} | ${ms(rows.ours.p99Ms)} | ${rows.xgboost === undefined ? 'not measured' : `${ms(rows.xgboost.p50Ms)} | ${rows.ratioP50?.toFixed(3)}x`} |`;
    lines.push(
      '## Explanations',
      '',
      `TreeSHAP of ${explain.model.description} (${fmt(explain.model.trees)} trees) against xgboost ${explain.xgboostVersion ?? '(not measured)'} ` +
        `\`pred_contribs\` on one row, ${explain.rounds} interleaved rounds a side (\`npm run bench:explain\`); ` +
        `${fmt(explain.bitExactValues)} of ${fmt(explain.verifiedValues)} values equal to xgboost's bit for bit, the largest difference ${explain.largestDifference}.`,
      '',
      '| Rows | TreeSHAP p50 | p99 | xgboost p50 | ratio |',
      '| --- | --- | --- | --- | --- |',
      set('Reviews', explain.reviews),
      set("Every tree's walk row-dependent", explain.everyTree),
      '',
    );
  }
  if (withoutExplain !== undefined) {
    lines.push(
      `A request without \`explain\` (\`npm run bench:without-explain\`): the model-in-the-function chain of this commit against the same chain at ` +
        `${withoutExplain.baselineRevision.slice(0, 7)}, the last commit before explanations, each alone in its process, ${fmt(withoutExplain.requests)} requests an arm ` +
        `in interleaved blocks: p50 ${ms(withoutExplain.current.p50)} vs ${ms(withoutExplain.baseline.p50)} (${withoutExplain.ratioP50.toFixed(3)}x); ` +
        `a third process running this commit again, the control, ${ms(withoutExplain.control.p50)}. ` +
        `${fmt(withoutExplain.identicalAnswers)} answers compared with the baseline's, byte for byte equal.`,
      '',
    );
  }
  if (classify !== undefined) {
    const { python } = classify;
    lines.push(
      '## classify',
      '',
      `\`sentiment-lambda classify\` (${classify.ours.threads} threads) on ${fmt(classify.corpus.reviews)} reviews (\`npm run bench:classify\`), ` +
        `median of ${classify.ours.rounds.length} whole-process runs: ${fmt(classify.ours.reviewsPerSecond)} reviews/s. ` +
        (python === undefined
          ? "The original's Python path was not measured (python3-xgboost missing)."
          : `The original's Python path (Python ${python.python}, xgboost ${python.xgboost}, ${fmt(python.batchRows)} rows a DMatrix): ` +
            `${fmt(python.reviewsPerSecond)} reviews/s whole process, ${fmt(python.scoringReviewsPerSecond)} reviews/s in its scoring loop alone. ` +
            `${fmt(classify.checkedResults)} results compared, all equal.`),
      '',
    );
  }
  return lines.join('\n');
}

/** Writes `latest.json`, `latest.md` and `latency.svg` into `dir`; returns their paths. */
export function writeReport(report: BenchReport, dir: string): { json: string; markdown: string; svg: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'latest.json');
  const markdown = join(dir, 'latest.md');
  const svg = join(dir, 'latency.svg');
  const { machine, warmPath } = report;
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdown, reportMarkdown(report));
  writeFileSync(
    svg,
    latencyChartSvg(
      [
        { label: 'Full chain (createHandler)', color: '#d9480f', ...warmPath.chain.full },
        { label: 'Bare handler (encode + SDK call)', color: '#1c7ed6', ...warmPath.chain.bare },
        { label: 'Model in the function (createHandler)', color: '#2b8a3e', ...warmPath.inProcess.full },
      ],
      {
        title: `Warm-path latency by percentile: full chain ${warmPath.chain.ratioP50.toFixed(2)}x bare at p50`,
        subtitle: `${fmt(warmPath.chain.full.samples)} interleaved requests each; ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date.slice(0, 10)}`,
      },
    ),
  );
  return { json, markdown, svg };
}
