/**
 * `npm run bench`: every benchmark, side by side in one run, and the report (bench/report.ts):
 * bench/results/latest.json, latest.md and latency.svg.
 *
 * `--quick` (`npm run bench:quick`): the same benchmarks, shortened (about half a minute in all), written
 * to bench/results/quick/ so the full results are not overwritten.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { heldOutReport } from '../default-model/accuracy.ts';
import { runClassifyBenchmark } from './classify.ts';
import {
  COLD_START_RUNS,
  runColdStartBenchmark,
  TARGET_BUILT_VS_BARE,
  TARGET_IN_PROCESS_VS_BARE,
} from './cold-start.ts';
import { runEncoderBenchmark } from './encoder.ts';
import { formatExplain, runExplainBenchmark } from './explain.ts';
import { formatMemory, runMemoryBenchmark } from './memory.ts';
import { formatModelScoring, runModelScoringBenchmark } from './model-scoring.ts';
import { runOfflineStartBenchmark } from './offline-start.ts';
import { type BenchReport, describeMachine, targetRows, writeReport } from './report.ts';
import { formatWarmPath, runWarmPathBenchmark } from './warm-path.ts';
import { formatWithoutExplain, runWithoutExplainBenchmark } from './without-explain.ts';

const quick = process.argv.includes('--quick');
const results = fileURLToPath(new URL(quick ? './results/quick/' : './results/', import.meta.url));
const step = (name: string): void => console.error(`[bench] ${name}...`);

step('encoder');
const encoder = await runEncoderBenchmark({ quick });
step('cold start (builds dist/lambda and dist/naive)');
const coldStart = await runColdStartBenchmark({ runs: quick ? 10 : COLD_START_RUNS });
step('warm path');
const warmPath = await runWarmPathBenchmark({ quick });
step('memory (Lambda 128 MB heap flags)');
// The cold-start benchmark has just built dist/lambda: measure that bundle.
const memory = await runMemoryBenchmark({ invocations: quick ? 4_000 : 20_000, build: false });
let memoryNodeDefaults: BenchReport['memoryNodeDefaults'];
if (!quick) {
  step('memory (Node default heap flags, for comparison)');
  memoryNodeDefaults = await runMemoryBenchmark({ invocations: 20_000, build: false, nodeDefaults: true });
}
step('memory, model in the function (Lambda 128 MB heap flags)');
const memoryInProcess = await runMemoryBenchmark({
  invocations: quick ? 4_000 : 20_000,
  build: false,
  inProcess: true,
});

step('model scoring (XGBoost, the local endpoint vs xgboost inplace_predict)');
const modelScoring = await runModelScoringBenchmark({ quick });
step('explanations (TreeSHAP vs xgboost pred_contribs)');
const explain = await runExplainBenchmark({ quick });
step('a request without explain, before and after explanations');
const withoutExplain = await runWithoutExplainBenchmark({ quick });
step('classify (the CLI vs the original Python path)');
const classify = await runClassifyBenchmark({ quick });
step('npm start to its first answer');
const offlineStart = await runOfflineStartBenchmark({ runs: quick ? 2 : 5 });
let modelAccuracy: BenchReport['modelAccuracy'];
if (process.env.SENTENCE_POLARITY_FILE === undefined) {
  console.error('[bench] default model accuracy: skipped, SENTENCE_POLARITY_FILE is not set (docs/default-model.md)');
} else {
  step('default model accuracy on the held-out sentences');
  const { xgboost, lexicon, sentences } = await heldOutReport();
  modelAccuracy = { sentences: sentences.length, xgboost: xgboost.figures, lexicon: lexicon.figures };
}

const report: BenchReport = {
  command: quick ? 'npm run bench:quick' : 'npm run bench',
  machine: describeMachine(),
  warmPath,
  memory,
  ...(memoryNodeDefaults === undefined ? {} : { memoryNodeDefaults }),
  memoryInProcess,
  encoder,
  coldStart,
  modelScoring,
  explain,
  withoutExplain,
  classify,
  offlineStart,
  ...(modelAccuracy === undefined ? {} : { modelAccuracy }),
};
const paths = writeReport(report, results);
if (quick) writeFileSync(new URL('./results/quick/.gitignore', import.meta.url), '*\n');

console.log(`
Encoder (csv): ${encoder.ratio?.toFixed(1) ?? 'n/a (python3 missing)'}x the Python reference (target >= 30x)
Cold start: ${coldStart.builtMs.toFixed(1)} ms = ${coldStart.builtVsBare.toFixed(2)}x bare node (target <= ${TARGET_BUILT_VS_BARE.toFixed(1)}x); in process ${coldStart.inProcessVsBare.toFixed(2)}x (target <= ${TARGET_IN_PROCESS_VS_BARE.toFixed(1)}x); naive bundle ${coldStart.naiveVsBare.toFixed(2)}x
${formatWarmPath(warmPath)}
${formatMemory(memory)}${memoryNodeDefaults === undefined ? '' : `\n${formatMemory(memoryNodeDefaults)}`}
${formatMemory(memoryInProcess)}
${formatModelScoring(modelScoring)}
${formatExplain(explain)}
${formatWithoutExplain(withoutExplain)}

Targets:
${targetRows(report)
  .map((row) => `  ${row.met === undefined ? 'n/a ' : row.met ? 'met ' : 'MISS'}  ${row.target}: ${row.measured}`)
  .join('\n')}

Wrote ${paths.json}, ${paths.markdown}, ${paths.svg}`);
