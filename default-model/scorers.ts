/**
 * Scorers: what turns an endpoint request body (dense CSV rows, as the Lambda sends them) into one
 * score per row. `npm run model:accuracy` and the tests measure every model through one: the models the
 * local endpoint serves through {@link modelScorer} (its own parser and evaluator), and xgboost itself
 * through {@link pythonXgboostScorer}, the oracle the tests hold the evaluator to.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../local/endpoint/payload-parser.ts';
import type { ServedModel } from '../local/endpoint/served-model.ts';
import { DEFAULT_MODEL_FILE } from './files.ts';

/**
 * Scores `body`: `rows` dense CSV rows joined with `\n` (what `createPayloadEncoder(vocabulary, 'csv').encode()`
 * writes). Returns one score in `[0, 1]` per row, in order, each a float32 value as the XGBoost container
 * answers it.
 */
export type Scorer = (body: string, rows: number) => number[];

/** The script whose `score` command is the Python scorer. */
export const TRAIN_SCRIPT = new URL('./train.py', import.meta.url);

/** The interpreter that has xgboost: `XGBOOST_PYTHON`, else `/usr/bin/python3` (Debian's python3-xgboost). */
export const xgboostPython = (): string => process.env.XGBOOST_PYTHON ?? '/usr/bin/python3';

/**
 * Scores with xgboost's own `Booster.predict` (dense rows, `missing=NaN`: 0 is a value, as in CSV input).
 * @throws {Error} with Python's message when the interpreter, xgboost or the model cannot be loaded.
 */
export function pythonXgboostScorer(modelFile: string | URL = DEFAULT_MODEL_FILE): Scorer {
  const model = modelFile instanceof URL ? fileURLToPath(modelFile) : modelFile;
  return (body, rows) => {
    const result = spawnSync(xgboostPython(), [fileURLToPath(TRAIN_SCRIPT), 'score', '--model', model], {
      input: body,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error !== undefined || result.status !== 0) {
      throw new Error(
        `The xgboost scorer (${xgboostPython()} train.py score) failed: ${result.error?.message ?? result.stderr.trim()}. ` +
          'It needs python3-xgboost (apt-get install -y python3-xgboost python3-sklearn); XGBOOST_PYTHON names another interpreter.',
      );
    }
    const scores = result.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map(Number);
    if (scores.length !== rows)
      throw new Error(`The xgboost scorer returned ${scores.length} scores for ${rows} rows.`);
    return scores;
  };
}

/** Scores as the local endpoint does: its CSV parser, the model, and float32 scores, as the endpoint writes them. */
export function modelScorer(model: ServedModel): Scorer {
  return (body) => model.predictDense(parseCsv(body, model.featureCount)).map((score) => Math.fround(score));
}
