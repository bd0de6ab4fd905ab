/**
 * Differential test against every real xgboost the evaluator is held to (1.7.4, and the venvs of
 * `npm run oracles`): each version trains fresh random models (every objective; random width, depth, rounds,
 * learning rate, missing rate, base_score, forests, early stopping), writes each in every form it writes,
 * draws random CSV and libsvm rows (split thresholds and their float32 neighbours, missing cells, absent
 * entries) and predicts them as its SageMaker container does. Every score and margin must equal xgboost's bit
 * for bit, and every file the container cannot predict with must be refused at load.
 *
 * The seed is new each run and in the test name; rerun one with XGBOOST_DIFFERENTIAL_SEED=<seed>, and draw
 * more models than {@link MODELS} gives each version with XGBOOST_DIFFERENTIAL_MODELS=<n> (every version; see
 * docs/xgboost-models.md). Without an oracle that imports its xgboost, its test FAILS naming `npm run oracles`
 * (CI runs it in .ci/run): it is never skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../src/xgboost/errors.ts';
import { loadXGBoostModel } from '../../src/xgboost/load.ts';
import {
  compareWithOracle,
  FIXTURE_SCRIPT,
  type Mismatch,
  ORACLES,
  type Oracle,
  oracleStatus,
  readManifest,
} from '../helpers/xgboost-oracle.ts';

const SEED = Number(process.env.XGBOOST_DIFFERENTIAL_SEED ?? Math.floor(Math.random() * 2 ** 31));
/**
 * Models per version in `npm test`: 1.7.4 writes twice the forms (its 1.0 and 0.90 pickles) at about 0.9 s a
 * model here, the others about 0.35 s, so the whole file stays near a minute.
 */
const MODELS: Readonly<Record<string, number>> = { '1.7.4': 10 };
const DEFAULT_MODELS = 20;
const modelsFor = (version: string): number =>
  Number(process.env.XGBOOST_DIFFERENTIAL_MODELS ?? MODELS[version] ?? DEFAULT_MODELS);
/** The fixture script's time for a model is about a second at most; the rest is margin for a busy machine. */
const timeoutFor = (version: string): number => 30_000 + 5_000 * modelsFor(version);

const temporary = mkdtempSync(join(tmpdir(), 'xgb-differential-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

describe(`differential test against xgboost (seed ${SEED})`, () => {
  it.each(ORACLES.map((o) => [o.version, o] as const))(
    'xgboost %s: fresh random models, each in every form: every score and margin is the oracle value',
    async (version, which: Oracle) => {
      // Prepare
      const models = modelsFor(version);
      const status = oracleStatus(which);
      if ('error' in status) throw new Error(status.error);
      const dir = join(temporary, version);
      const run = spawnSync(
        which.python,
        [FIXTURE_SCRIPT, '--random', String(SEED), '--models', String(models), '--out', dir],
        { encoding: 'utf8', timeout: timeoutFor(version) - 10_000 },
      );
      if (run.status !== 0) {
        throw new Error(
          `${FIXTURE_SCRIPT} --random ${SEED} (xgboost ${version}) failed (${run.status ?? run.signal}): ${run.stderr}`,
        );
      }
      const manifest = readManifest(dir);
      const mismatches: Mismatch[] = [];
      const objectives = new Set<string>();
      const byForm = new Map<string, { largestUlps: number; values: number }>();
      const wronglyServed: string[] = [];
      let compared = 0;
      let files = 0;

      // Act
      for (const oracleCase of manifest.cases) {
        objectives.add(oracleCase.objective);
        for (const entry of oracleCase.files) {
          const comparison = await compareWithOracle(dir, oracleCase, entry);
          mismatches.push(...comparison.mismatches);
          compared += comparison.values;
          files++;
          const form = comparison.read.forms.join(' > ').replace(/ \(protocol \d\)/, '');
          const seen = byForm.get(form) ?? { largestUlps: 0, values: 0 };
          byForm.set(form, {
            largestUlps: Math.max(seen.largestUlps, comparison.maxUlps),
            values: seen.values + comparison.values,
          });
        }
      }
      for (const { file, contains } of manifest.refused ?? []) {
        const error = await loadXGBoostModel(join(dir, file)).then(
          () => undefined,
          (refusal: unknown) => refusal,
        );
        const message = error instanceof ModelLoadError ? error.message : '';
        if (!contains.every((words) => message.includes(words))) wronglyServed.push(`${file}: ${String(error)}`);
      }

      console.log(
        `differential (seed ${SEED}): ${compared} scores and margins of ${files} model files compared with xgboost ` +
          `${manifest.xgboost}, ${manifest.refused?.length ?? 0} files refused as the container fails them; ` +
          'largest difference in float32 ulps by form (values compared): ' +
          [...byForm].map(([form, { largestUlps, values }]) => `${form} ${largestUlps} (${values})`).join('; '),
      );

      // Assess
      expect(mismatches.slice(0, 20), `seed ${SEED}: ${mismatches.length} of ${compared} values differ`).toEqual([]);
      expect(wronglyServed, `seed ${SEED}`).toEqual([]);
      expect(manifest.xgboost).toBe(version);
      expect(manifest.cases).toHaveLength(models);
      expect(objectives.size).toBe(Math.min(models, 4));
      expect(files).toBeGreaterThanOrEqual(5 * models);
      expect(compared).toBeGreaterThan(4 * 100 * models);
    },
    Math.max(...ORACLES.map((o) => timeoutFor(o.version))),
  );
});
