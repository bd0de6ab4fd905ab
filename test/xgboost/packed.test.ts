/**
 * The packed form (src/xgboost/packed.ts), which the build bundles into the Lambda: packing any model file
 * and reading it back gives the same compiled trees, so the packed model scores as the file did, and as
 * xgboost does (the fixtures' oracle).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../local/endpoint/payload-parser.ts';
import { ModelLoadError } from '../../src/xgboost/errors.ts';
import { readXGBoostModel } from '../../src/xgboost/load.ts';
import type { XGBoostModel } from '../../src/xgboost/model.ts';
import { packModel } from '../../src/xgboost/packed.ts';
import { FIXTURES, type OracleOutput, readManifest } from '../helpers/xgboost-oracle.ts';

const manifest = readManifest(FIXTURES);
const files = manifest.cases.flatMap((oracleCase) => oracleCase.files.map((entry) => ({ oracleCase, entry })));

/** What reading `bytes` rejects with, or undefined when a model is read. */
const refusalOf = (bytes: Uint8Array, label: string): Promise<unknown> =>
  readXGBoostModel(bytes, label).then(
    () => undefined,
    (refusal: unknown) => refusal,
  );

async function packedFrom(file: string) {
  const read = await readXGBoostModel(readFileSync(join(FIXTURES, file)), file);
  const packed = packModel(read.model, read.forms);
  return { read, packed, unpacked: await readXGBoostModel(packed, `${file}.packed`) };
}

describe('a packed model', () => {
  it.each(files)(
    'of $entry.file compiles to the same trees and scores every row as xgboost',
    async ({ oracleCase, entry }) => {
      // Prepare
      const { read, unpacked } = await packedFrom(entry.file);
      const rows = parseCsv(readFileSync(join(FIXTURES, oracleCase.csv), 'utf8'), read.model.featureCount);
      const expected = oracleCase.expected[entry.expected] as OracleOutput;

      // Act
      const margins = rows.map((row) => unpacked.model.marginDense(row));

      // Assess
      expect(unpacked.model.forest).toEqual(read.model.forest);
      expect(unpacked.model.trees).toBe(read.model.trees);
      expect(unpacked.model.baseMargin).toBe(read.model.baseMargin);
      expect(unpacked.forms).toEqual(['packed', ...read.forms]);
      expect(margins).toEqual(expected.csvMargins);
    },
  );

  it('is refused, naming what is wrong, when truncated at any byte', async () => {
    // Prepare
    const { packed } = await packedFrom('early-stopping-forest/model.ubj');
    const messages = new Set<string>();

    // Act
    for (let length = 1; length < packed.length; length += 7) {
      const error = await refusalOf(packed.subarray(0, length), 'model.packed');

      // Assess
      expect(error, `truncated to ${length} bytes`).toBeInstanceOf(ModelLoadError);
      messages.add((error as Error).message.replace(/\d+/g, 'N'));
    }
    expect([...messages].some((message) => message.includes('truncated'))).toBe(true);
  });

  it('is refused, naming it, when its header names an objective not served (toString, a property of every object)', async () => {
    // Prepare
    const { read } = await packedFrom('binary-logistic/model.ubj');
    const { forest, baseScore, featureCount, treesInModel, description } = read.model;
    const renamed = { forest, baseScore, featureCount, treesInModel, description, objective: 'toString' };
    const packed = packModel(renamed as unknown as XGBoostModel, read.forms);

    // Act
    const error = await refusalOf(packed, 'model.packed');

    // Assess
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(/^model\.packed: objective toString is not supported: /);
  });
});
