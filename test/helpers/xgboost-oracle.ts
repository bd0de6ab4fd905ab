/**
 * The XGBoost oracles and their output, and the comparison every XGBoost suite makes with them: each form of
 * each model scores each CSV and libsvm row, margin and score, and every value must equal xgboost's as a
 * float32, bit for bit. An oracle is a python with one xgboost version that runs scripts/xgboost-fixtures.py:
 * Debian's python3-xgboost 1.7.4 (/usr/bin/python3, `XGBOOST_PYTHON`), and one venv per version that
 * `npm run oracles` (scripts/install-xgboost-oracles.sh) makes in .oracles/xgboost-<version>/
 * (`XGBOOST_PYTHON_<version, dots as underscores>` names another interpreter).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { xgboostPython } from '../../default-model/scorers.ts';
import { parseCsv, parseLibsvm } from '../../local/endpoint/payload-parser.ts';
import { type ReadModel, readXGBoostModel } from '../../src/xgboost/load.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The interpreter with python3-xgboost 1.7.4 (a `python3` earlier on PATH may lack it): the project's one choice. */
export const PYTHON = xgboostPython();
/** The oracle script. */
export const FIXTURE_SCRIPT = join(ROOT, 'scripts', 'xgboost-fixtures.py');
/** The script that installs the venv oracles (`npm run oracles`), and lists their versions. */
export const INSTALL_SCRIPT = join(ROOT, 'scripts', 'install-xgboost-oracles.sh');
/** The committed fixtures of xgboost 1.7.4. */
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'xgboost');

/** The version of Debian's python3-xgboost, the oracle at {@link PYTHON}. */
export const SYSTEM_VERSION = '1.7.4';

/**
 * The versions `npm run oracles` installs: the install script's `XGBOOST_VERSIONS=(...)` line, the one list
 * (scripts/xgboost-fixtures.py reads it too).
 */
export const VENV_VERSIONS: readonly string[] = (() => {
  const line = /^XGBOOST_VERSIONS=\(([^)]*)\)/m.exec(readFileSync(INSTALL_SCRIPT, 'utf8'));
  if (line === null) throw new Error(`${INSTALL_SCRIPT} has no XGBOOST_VERSIONS=(...) line`);
  return (line[1] as string).trim().split(/\s+/);
})();

/** One xgboost the evaluator is held to. */
export interface Oracle {
  readonly version: string;
  /** Its interpreter. */
  readonly python: string;
  /** The environment variable that names another interpreter. */
  readonly envVar: string;
  /** Its committed fixtures (scripts/xgboost-fixtures.py run with {@link Oracle.python}). */
  readonly fixtures: string;
  /** How to install it. */
  readonly install: string;
}

/** Every oracle: 1.7.4 first, then the venvs in the install script's order. */
export const ORACLES: readonly Oracle[] = [
  {
    version: SYSTEM_VERSION,
    python: PYTHON,
    envVar: 'XGBOOST_PYTHON',
    fixtures: FIXTURES,
    install: '`apt-get install -y python3-xgboost python3-sklearn` (.ci/run does)',
  },
  ...VENV_VERSIONS.map((version): Oracle => {
    const envVar = `XGBOOST_PYTHON_${version.replaceAll('.', '_')}`;
    return {
      version,
      python: process.env[envVar] ?? join(ROOT, '.oracles', `xgboost-${version}`, 'bin', 'python'),
      envVar,
      fixtures: join(ROOT, 'test', 'fixtures', `xgboost-${version}`),
      install: '`npm run oracles` (.ci/run does)',
    };
  }),
];

/** The oracle of `version`. */
export function oracle(version: string): Oracle {
  const found = ORACLES.find((o) => o.version === version);
  if (found === undefined)
    throw new Error(`no xgboost ${version} oracle (versions: ${ORACLES.map((o) => o.version).join(', ')})`);
  return found;
}

/**
 * Whether the oracle's interpreter imports its xgboost version; if not, why, and how to install it.
 */
export function oracleStatus(which: Oracle): { version: string } | { error: string } {
  const result = spawnSync(which.python, ['-c', 'import xgboost; print(xgboost.__version__)'], { encoding: 'utf8' });
  const found = result.status === 0 ? result.stdout.trim() : undefined;
  if (found === which.version) return { version: found };
  const why =
    found !== undefined
      ? `has xgboost ${found}, not ${which.version}`
      : `cannot import xgboost (${(result.error?.message ?? result.stderr.trim().split('\n').pop()) || 'no output'})`;
  return {
    error: `the xgboost ${which.version} oracle ${which.python} ${why}: install it with ${which.install}, or name another interpreter with ${which.envVar}`,
  };
}

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
  /** From xgboost 2.0: `base_score` as the model stores it (`"5E-1"`, from 3.1 `"[5E-1]"`). */
  readonly baseScore?: string;
  /** From xgboost 2.0: the model's attributes. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Payload files, relative to the manifest. */
  readonly csv: string;
  readonly libsvm: string;
  readonly files: readonly {
    readonly file: string;
    readonly form: string;
    readonly expected: string;
    /** From xgboost 2.0: the `best_ntree_limit` the container found on the loaded Booster (0: none, every tree). */
    readonly bestNtreeLimit?: number;
  }[];
  readonly expected: Readonly<Record<string, OracleOutput>>;
}

/** `manifest.json` of a fixture directory. */
export interface OracleManifest {
  readonly xgboost: string;
  readonly generatedBy: string;
  /** From xgboost 2.0: which container's predict rule the expected values follow. */
  readonly container?: string;
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

/** Whether {@link PYTHON} imports xgboost 1.7.4; the reason when it does not. */
export function pythonXgboost(): { version: string } | { error: string } {
  return oracleStatus(ORACLES[0] as Oracle);
}

/**
 * A ustar header for one regular file `name` of `size` bytes (octal, or GNU base-256 when `base256`), with
 * its checksum: what Python's tarfile writes, and a header may declare any size, true or not.
 */
export function tarHeader(name: string, size: bigint, base256 = false): Uint8Array {
  const header = new Uint8Array(512);
  header.set(Buffer.from(name), 0);
  header.set(Buffer.from('0000644\0'), 100);
  if (base256) {
    header[124] = 0x80;
    for (let i = 135, rest = size; i > 124; i--, rest >>= 8n) header[i] = Number(rest & 0xffn);
  } else {
    header.set(Buffer.from(`${size.toString(8).padStart(11, '0')}\0`), 124);
  }
  header[156] = 0x30; // '0': a regular file
  header.set(Buffer.from('ustar\x0000'), 257);
  header.fill(0x20, 148, 156);
  const sum = header.reduce((total, byte) => total + byte, 0);
  header.set(Buffer.from(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
  return header;
}

/** A model.tar.gz of `members` (name, bytes), as the fixture script's `tar_gz` writes SageMaker's. */
export function modelArchive(members: readonly (readonly [string, Uint8Array])[]): Buffer {
  const blocks: Uint8Array[] = [];
  for (const [name, data] of members) {
    blocks.push(tarHeader(name, BigInt(data.length)), data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  return gzipSync(Buffer.concat(blocks));
}
