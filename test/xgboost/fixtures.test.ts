/**
 * The committed oracle fixtures of every xgboost version (test/fixtures/xgboost/ for 1.7.4,
 * test/fixtures/xgboost-<version>/ for the others; scripts/xgboost-fixtures.py run by each version): every
 * form each version writes, of every model, loads, is recognised by its bytes, and scores every CSV and
 * libsvm row exactly as that version's SageMaker container does, margins included; every model the endpoint
 * cannot serve is refused at load with a message naming what is unsupported.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../src/xgboost/errors.ts';
import { loadXGBoostModel, readXGBoostModel } from '../../src/xgboost/load.ts';
import {
  compareWithOracle,
  FIXTURE_SCRIPT,
  FIXTURES,
  ORACLES,
  type Oracle,
  oracle,
  oracleStatus,
  readManifest,
  ulpDistance,
  VENV_VERSIONS,
} from '../helpers/xgboost-oracle.ts';

/** The forms each fixture file of xgboost 1.7.4 must be recognised as, outermost first. */
const FORMS_1_7: Readonly<Record<string, readonly string[]>> = {
  'model.json': ['JSON'],
  'model.ubj': ['UBJSON'],
  'xgboost-model': ['legacy binary (xgboost 1.7)'],
  'booster-1.7.pkl': ['pickled Booster (protocol 4)', 'UBJSON'],
  'booster-1.7-p2.pkl': ['pickled Booster (protocol 2)', 'UBJSON'],
  'booster-1.7-p5.pkl': ['pickled Booster (protocol 5)', 'UBJSON'],
  'booster-1.0.pkl': ['pickled Booster (protocol 3)', 'xgboost 1.0-1.2 serialisation', 'legacy binary (xgboost 1.7)'],
  'booster-0.90.pkl': ['pickled Booster (protocol 3)', 'legacy binary (xgboost 0.x)'],
  'model.tar.gz': ['model.tar.gz', 'legacy binary (xgboost 1.7)'],
  'model-pickle.tar.gz': ['model.tar.gz', 'pickled Booster (protocol 3)', 'legacy binary (xgboost 0.x)'],
};

/**
 * The forms of the files xgboost 2.0 and later write: `save_model` without an extension is UBJSON (from
 * 2.1), a pickle holds UBJSON, and only 2.1 and 3.0 still write a legacy binary (for `.deprecated`).
 */
function modernForms(version: string): Readonly<Record<string, readonly string[]>> {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const pickled = (protocol: number) => [`pickled Booster (protocol ${protocol})`, 'UBJSON'];
  return {
    'model.json': ['JSON'],
    'model.ubj': ['UBJSON'],
    'xgboost-model': ['UBJSON'],
    ...(major < 3 || (major === 3 && minor < 1)
      ? { 'model.deprecated': [`legacy binary (xgboost ${major}.${minor})`] }
      : {}),
    'booster.pkl': pickled(4),
    'booster-p2.pkl': pickled(2),
    'booster-p5.pkl': pickled(5),
    'booster-1.x-dict.pkl': pickled(4),
    'model.tar.gz': ['model.tar.gz', 'UBJSON'],
    'model-pickle.tar.gz': ['model.tar.gz', ...pickled(4)],
  };
}

const formsOf = (version: string) => (version === '1.7.4' ? FORMS_1_7 : modernForms(version));
const temporary = mkdtempSync(join(tmpdir(), 'xgb-fixtures-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

/** Every file under `dir`, relative, sorted. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => statSync(join(dir, file)).isFile())
    .sort();

/** The float32 a `base_score` string stores: `"5E-1"` or, from 3.1, `"[5E-1]"`. */
const storedBaseScore = (text: string): number => Math.fround(Number(text.replace(/^\[|\]$/g, '')));

it('has one committed fixture directory per oracle, the oracles being the versions of the install script', () => {
  // Act
  const directories = readdirSync(dirname(FIXTURES)).filter((name) => name.startsWith('xgboost'));

  // Assess
  expect(ORACLES.map((o) => o.version)).toEqual(['1.7.4', ...VENV_VERSIONS]);
  expect(VENV_VERSIONS).toContain('3.0.5'); // SageMaker's 3.0-5 container
  expect(directories.sort()).toEqual(ORACLES.map((o) => basename(o.fixtures)).sort());
});

describe.each(ORACLES)('xgboost $version', (which: Oracle) => {
  const manifest = readManifest(which.fixtures);
  const forms = formsOf(which.version);

  describe('the committed fixtures', () => {
    it('were written by this version, and cover every objective and every form it writes', () => {
      // Act
      const objectives = new Set(manifest.cases.map((c) => c.objective));
      const files = new Set(manifest.cases.flatMap((c) => c.files.map((f) => basename(f.file))));

      // Assess
      expect(manifest.xgboost).toBe(which.version);
      expect([...objectives].sort()).toEqual([
        'binary:logistic',
        'binary:logitraw',
        'reg:logistic',
        'reg:squarederror',
      ]);
      expect([...files].sort()).toEqual(Object.keys(forms).sort());
    });

    it('are, byte for byte, what the script writes (npm run fixtures:xgboost)', () => {
      // Prepare
      const status = oracleStatus(which);
      if ('error' in status) throw new Error(status.error);
      const out = join(temporary, `regenerated-${which.version}`);

      // Act
      const run = spawnSync(which.python, [FIXTURE_SCRIPT, '--out', out], { encoding: 'utf8', timeout: 60_000 });

      // Assess
      expect(run.status, run.stderr).toBe(0);
      expect(filesUnder(out)).toEqual(filesUnder(which.fixtures));
      for (const file of filesUnder(which.fixtures)) {
        expect(readFileSync(join(out, file)).equals(readFileSync(join(which.fixtures, file))), file).toBe(true);
      }
    }, 60_000);
  });

  describe.each(manifest.cases)('$name ($objective)', (oracleCase) => {
    it.each(oracleCase.files)('$file ($form) scores every row as xgboost does', async (entry) => {
      // Act
      const comparison = await compareWithOracle(which.fixtures, oracleCase, entry);

      // Assess
      expect(comparison.mismatches).toEqual([]);
      expect(comparison.values).toBeGreaterThanOrEqual(4 * 20);
      expect(comparison.read.forms).toEqual(forms[basename(entry.file)]);
      expect(comparison.read.model.featureCount).toBe(oracleCase.numFeature);
      expect(comparison.read.model.treesInModel).toBe(oracleCase.trees);
    });
  });

  describe('models the endpoint cannot serve are refused at load', () => {
    it.each(manifest.refused ?? [])('$file', async ({ file, contains }) => {
      // Act
      const error = await loadXGBoostModel(join(which.fixtures, file)).then(
        () => undefined,
        (refusal: unknown) => refusal,
      );

      // Assess
      expect(error).toBeInstanceOf(ModelLoadError);
      const message = (error as Error).message;
      expect(message.startsWith(join(which.fixtures, file))).toBe(true);
      for (const words of contains) expect(message).toContain(words);
      expect(message).not.toMatch(/\n\s+at /);
    });
  });
});

describe('xgboost 1.7.4: what the model is built from', () => {
  const manifest = readManifest(FIXTURES);

  it('scores with the first best_ntree_limit trees, as SageMaker 1.7-1 predicts with ntree_limit', async () => {
    // Prepare
    const early = manifest.cases.find((c) => c.name === 'early-stopping-forest');

    // Act
    const model = await loadXGBoostModel(join(FIXTURES, 'early-stopping-forest', 'model.ubj'));

    // Assess
    expect(early?.bestNtreeLimit).toBeGreaterThan(0);
    expect(early?.bestNtreeLimit).toBeLessThan(early?.trees ?? 0);
    expect(model.trees).toBe(early?.bestNtreeLimit);
    expect(model.treesInModel).toBe(early?.trees);
    expect(model.description).toMatch(/predicting with its first \d+ trees \(best_ntree_limit\)/);
  });

  it('names in its description the trees it predicts with, counted as it counts them (num_parallel_tree 0 as 1)', async () => {
    // Prepare: the early-stopping forest (best_ntree_limit 4 of 8 trees) with num_parallel_tree 0
    const document = JSON.parse(readFileSync(join(FIXTURES, 'early-stopping-forest', 'model.json'), 'utf8'));
    document.learner.gradient_booster.model.gbtree_model_param.num_parallel_tree = '0';

    // Act
    const { model } = await readXGBoostModel(Buffer.from(JSON.stringify(document)), 'model.json');

    // Assess
    expect(model.trees).toBe(4);
    expect(model.description).toContain(', 8 trees, predicting with its first 4 trees (best_ntree_limit),');
  });

  it('takes base_score through the objective inverse link: logit for logistic, as is otherwise', async () => {
    // Act
    const logistic = await loadXGBoostModel(join(FIXTURES, 'reg-logistic', 'model.json'));
    const squared = await loadXGBoostModel(join(FIXTURES, 'reg-squarederror', 'model.json'));
    const logitraw = await loadXGBoostModel(join(FIXTURES, 'binary-logitraw', 'model.json'));

    // Assess
    expect(logistic.baseScore).toBe(Math.fround(0.3));
    // -logf(1/0.3f - 1) in float32 (xgboost's exact value is checked through every margin above)
    expect(ulpDistance(logistic.baseMargin, Math.log(0.3 / 0.7))).toBeLessThanOrEqual(1);
    expect(squared.baseMargin).toBe(-1.25);
    expect(logitraw.baseMargin).toBe(0.5); // LogisticRaw::ProbToMargin is the identity
  });

  it('recognises each form by its bytes, whatever the file is called', async () => {
    // Prepare
    const misnamed = [
      ['binary-logistic/model.ubj', 'model.json', ['UBJSON']],
      ['binary-logistic/model.json', 'model.ubj', ['JSON']],
      ['binary-logistic/xgboost-model', 'model.pkl', ['legacy binary (xgboost 1.7)']],
      ['binary-logistic/booster-1.7.pkl', 'model.tar.gz', ['pickled Booster (protocol 4)', 'UBJSON']],
    ] as const;

    for (const [source, name, forms] of misnamed) {
      const file = join(temporary, name);
      copyFileSync(join(FIXTURES, source), file);

      // Act
      const read = await readXGBoostModel(readFileSync(file), file);

      // Assess
      expect(read.forms, `${source} named ${name}`).toEqual(forms);
    }
  });
});

describe.each(ORACLES.filter((o) => o.version !== '1.7.4'))(
  'xgboost $version: what the model is built from',
  (which) => {
    const manifest = readManifest(which.fixtures);
    const early = manifest.cases.find((c) => c.name === 'early-stopping-forest');
    if (early === undefined) throw new Error(`${which.fixtures}: no early-stopping-forest case`);

    it('scores with every tree, as SageMaker 3.0-5 does, though early stopping left best_iteration and best_ntree_limit attributes', async () => {
      // Act
      const model = await loadXGBoostModel(join(which.fixtures, 'early-stopping-forest', 'model.ubj'));

      // Assess
      expect(early.attributes?.best_iteration).toBeDefined();
      expect(Number(early.attributes?.best_ntree_limit)).toBeLessThan(early.trees);
      expect(model.trees).toBe(early.trees);
      expect(model.description).not.toMatch(/best_ntree_limit/);
    });

    it('counts a pickled __dict__ best_ntree_limit in rounds, as 3.0-5 passes it to iteration_range', async () => {
      // Prepare
      const entry = early.files.find((f) => basename(f.file) === 'booster-1.x-dict.pkl');
      const parallel = 2; // the case's num_parallel_tree

      // Act
      const model = await loadXGBoostModel(join(which.fixtures, entry?.file ?? 'missing'));

      // Assess
      expect(entry?.bestNtreeLimit).toBeGreaterThan(0);
      expect(model.trees).toBe(Math.min((entry?.bestNtreeLimit ?? 0) * parallel, early.trees));
    });

    it('reads base_score as each model stores it: "5E-1", from 3.1 a list "[5E-1]"', async () => {
      for (const oracleCase of manifest.cases) {
        // Act
        const model = await loadXGBoostModel(join(which.fixtures, oracleCase.files[0]?.file ?? 'missing'));

        // Assess
        expect(model.baseScore, oracleCase.name).toBe(storedBaseScore(oracleCase.baseScore ?? 'missing'));
      }
      const [major = 0, minor = 0] = which.version.split('.').map(Number);
      expect(manifest.cases.every((c) => c.baseScore?.startsWith('[') === major * 100 + minor >= 301)).toBe(true);
    });
  },
);

describe('the oracles name how to install them', () => {
  it('an interpreter without xgboost: the error names npm run oracles and the variable that overrides it', () => {
    // Prepare
    const missing = { ...oracle('3.0.5'), python: join(temporary, 'no-such-python') };

    // Act
    const status = oracleStatus(missing);

    // Assess
    expect(status).toEqual({ error: expect.stringContaining('`npm run oracles`') });
    expect('error' in status && status.error).toContain('XGBOOST_PYTHON_3_0_5');
  });
});
