/**
 * The XGBoost oracle's output (scripts/xgboost-fixtures.py, run with Debian's python3-xgboost 1.7.4) and the
 * comparison every XGBoost suite makes with it: each form of each model scores each CSV and libsvm row, margin
 * and score, and every value must equal xgboost's as a float32, bit for bit.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { xgboostPython } from '../../default-model/scorers.ts';
import { parseCsv, parseLibsvm } from '../../local/endpoint/payload-parser.ts';
import { type ReadModel, readXGBoostModel } from '../../src/xgboost/load.ts';

/** The interpreter with python3-xgboost (a `python3` earlier on PATH may lack it): the project's one choice. */
export const PYTHON = xgboostPython();
/** The oracle script. */
export const FIXTURE_SCRIPT = fileURLToPath(new URL('../../scripts/xgboost-fixtures.py', import.meta.url));
/** The committed fixtures. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/xgboost', import.meta.url));

/** What xgboost predicted for one model's rows (every number the exact double of a float32). */
export interface OracleOutput {
  readonly csv: number[];
  readonly csvMargins: number[];
  /** The container's text/csv reply body for the csv rows. */
  readonly csvReply: string;
  readonly libsvm: number[];
  readonly libsvmMargins: number[];
  readonly libsvmReply: string;
}

/** One model, every form it was written in, its rows and xgboost's predictions. */
export interface OracleCase {
  readonly name: string;
  readonly objective: string;
  readonly numFeature: number;
  /** Trees in the model. */
  readonly trees: number;
  /** `best_ntree_limit` of the trained Booster (0: none). */
  readonly bestNtreeLimit: number;
  /** Payload files, relative to the manifest. */
  readonly csv: string;
  readonly libsvm: string;
  readonly files: readonly { readonly file: string; readonly form: string; readonly expected: string }[];
  readonly expected: Readonly<Record<string, OracleOutput>>;
}

/** `manifest.json` of a fixture directory. */
export interface OracleManifest {
  readonly xgboost: string;
  readonly generatedBy: string;
  readonly cases: readonly OracleCase[];
  /** Models the endpoint must refuse, with words the message must contain. */
  readonly refused?: readonly { readonly file: string; readonly contains: readonly string[] }[];
}

/** The manifest of a fixture directory (committed, or written by a differential run). */
export function readManifest(dir: string): OracleManifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as OracleManifest;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Distance in float32 units in the last place (0: the same float32; NaN equals NaN). */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.POSITIVE_INFINITY;
  const ordered = (x: number): number => {
    f32[0] = x;
    const bits = u32[0] as number;
    return bits >= 0x80000000 ? -(bits - 0x80000000) : bits;
  };
  return Math.abs(ordered(a) - ordered(b));
}

/** One value that differs from the oracle's. */
export interface Mismatch {
  readonly file: string;
  readonly what: 'csv' | 'csvMargins' | 'libsvm' | 'libsvmMargins';
  readonly row: number;
  readonly ours: number;
  readonly xgboost: number;
  readonly ulps: number;
}

/** What comparing one model file with the oracle found. */
export interface FileComparison {
  readonly file: string;
  readonly read: ReadModel;
  readonly values: number;
  /** Largest distance from xgboost over every score and margin, in float32 ulps. */
  readonly maxUlps: number;
  readonly mismatches: readonly Mismatch[];
}

/** Loads `file` of `oracleCase` from `dir` and compares every score and margin with xgboost's. */
export async function compareWithOracle(
  dir: string,
  oracleCase: OracleCase,
  entry: OracleCase['files'][number],
): Promise<FileComparison> {
  const read = await readXGBoostModel(readFileSync(join(dir, entry.file)), entry.file);
  const { model } = read;
  const expected = oracleCase.expected[entry.expected] as OracleOutput;
  const csvRows = parseCsv(readFileSync(join(dir, oracleCase.csv), 'utf8'), model.featureCount);
  const libsvmRows = parseLibsvm(readFileSync(join(dir, oracleCase.libsvm), 'utf8'), model.featureCount);
  const ours = {
    csv: model.predictDense(csvRows),
    csvMargins: csvRows.map((row) => model.marginDense(row)),
    libsvm: model.predictSparse(libsvmRows),
    libsvmMargins: libsvmRows.map((row) => model.marginSparse(row)),
  };
  const mismatches: Mismatch[] = [];
  let maxUlps = 0;
  let values = 0;
  for (const what of ['csv', 'csvMargins', 'libsvm', 'libsvmMargins'] as const) {
    const theirs = expected[what];
    if (ours[what].length !== theirs.length) {
      throw new Error(`${entry.file}: ${ours[what].length} ${what} values, the oracle has ${theirs.length}`);
    }
    theirs.forEach((xgboost, row) => {
      const value = ours[what][row] as number;
      const ulps = ulpDistance(value, xgboost);
      values++;
      maxUlps = Math.max(maxUlps, ulps);
      // Bit for bit: the same float32, down to the sign of a zero (the reply would print -0.0).
      if (!Object.is(Math.fround(value), xgboost)) {
        mismatches.push({ file: entry.file, what, row, ours: value, xgboost, ulps });
      }
    });
  }
  return { file: entry.file, read, values, maxUlps, mismatches };
}

/** Whether {@link PYTHON} imports xgboost; the reason when it does not. */
export function pythonXgboost(): { version: string } | { error: string } {
  const result = spawnSync(PYTHON, ['-c', 'import xgboost; print(xgboost.__version__)'], { encoding: 'utf8' });
  if (result.status === 0) return { version: result.stdout.trim() };
  return {
    error:
      `${PYTHON} cannot import xgboost (${(result.error?.message ?? result.stderr.trim().split('\n').pop()) || 'no output'}): ` +
      'install it with `apt-get install -y python3-xgboost python3-sklearn` (.ci/run does)',
  };
}
