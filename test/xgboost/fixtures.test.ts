/**
 * The committed oracle fixtures (test/fixtures/xgboost/, written by scripts/xgboost-fixtures.py with
 * xgboost 1.7.4): every form of every model loads, is recognised by its bytes, and scores every CSV and
 * libsvm row exactly as xgboost does, margins included; every model the endpoint cannot serve is refused at
 * load with a message naming what is unsupported.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../src/xgboost/errors.ts';
import { loadXGBoostModel, readXGBoostModel } from '../../src/xgboost/load.ts';
import {
  compareWithOracle,
  FIXTURE_SCRIPT,
  FIXTURES,
  PYTHON,
  pythonXgboost,
  readManifest,
  ulpDistance,
} from '../helpers/xgboost-oracle.ts';

const manifest = readManifest(FIXTURES);

/** The forms each fixture file must be recognised as, outermost first. */
const FORMS: Readonly<Record<string, readonly (string | RegExp)[]>> = {
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

const temporary = mkdtempSync(join(tmpdir(), 'xgb-fixtures-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

describe('the committed fixtures', () => {
  it('were written by the oracle, xgboost 1.7.4, and cover every objective and form', () => {
    // Act
    const objectives = new Set(manifest.cases.map((c) => c.objective));
    const files = new Set(manifest.cases.flatMap((c) => c.files.map((f) => basename(f.file))));

    // Assess
    expect(manifest.xgboost).toBe('1.7.4');
    expect([...objectives].sort()).toEqual(['binary:logistic', 'binary:logitraw', 'reg:logistic', 'reg:squarederror']);
    expect([...files].sort()).toEqual(Object.keys(FORMS).sort());
  });

  it('are, byte for byte, what the script writes (npm run fixtures:xgboost)', () => {
    // Prepare
    const python = pythonXgboost();
    if ('error' in python) throw new Error(python.error);
    const out = join(temporary, 'regenerated');

    // Act
    const run = spawnSync(PYTHON, [FIXTURE_SCRIPT, '--out', out], { encoding: 'utf8', timeout: 60_000 });

    // Assess
    expect(run.status, run.stderr).toBe(0);
    const files = (dir: string): string[] =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((file) => statSync(join(dir, file)).isFile())
        .sort();
    expect(files(out)).toEqual(files(FIXTURES));
    for (const file of files(FIXTURES)) {
      expect(readFileSync(join(out, file)).equals(readFileSync(join(FIXTURES, file))), file).toBe(true);
    }
  }, 60_000);
});

describe.each(manifest.cases)('$name ($objective)', (oracleCase) => {
  it.each(oracleCase.files)('$file ($form) scores every row as xgboost does', async (entry) => {
    // Act
    const comparison = await compareWithOracle(FIXTURES, oracleCase, entry);

    // Assess
    expect(comparison.mismatches).toEqual([]);
    expect(comparison.values).toBeGreaterThanOrEqual(4 * 20);
    expect(comparison.read.forms).toEqual(FORMS[basename(entry.file)]);
    expect(comparison.read.model.featureCount).toBe(oracleCase.numFeature);
    expect(comparison.read.model.treesInModel).toBe(oracleCase.trees);
  });
});

describe('what the model is built from', () => {
  it('scores with the first best_ntree_limit trees, as SageMaker predicts with ntree_limit', async () => {
    // Prepare
    const early = manifest.cases.find((c) => c.name === 'early-stopping-forest');

    // Act
    const model = await loadXGBoostModel(join(FIXTURES, 'early-stopping-forest', 'model.ubj'));

    // Assess
    expect(early?.bestNtreeLimit).toBeGreaterThan(0);
    expect(early?.bestNtreeLimit).toBeLessThan(early?.trees ?? 0);
    expect(model.trees).toBe(early?.bestNtreeLimit);
    expect(model.treesInModel).toBe(early?.trees);
    expect(model.description).toMatch(/predicting with best_ntree_limit/);
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

describe('models the endpoint cannot serve are refused at load', () => {
  it.each(manifest.refused ?? [])('$file', async ({ file, contains }) => {
    // Act
    const error = await loadXGBoostModel(join(FIXTURES, file)).then(
      () => undefined,
      (refusal: unknown) => refusal,
    );

    // Assess
    expect(error).toBeInstanceOf(ModelLoadError);
    const message = (error as Error).message;
    expect(message.startsWith(join(FIXTURES, file))).toBe(true);
    for (const words of contains) expect(message).toContain(words);
    expect(message).not.toMatch(/\n\s+at /);
  });
});
