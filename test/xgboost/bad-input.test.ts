/**
 * Bad model files: every one is a `ModelLoadError` whose message starts with the file name and says what is
 * wrong, with no stack trace in it; none ever yields a model that answers. Truncation is tried at every byte
 * of a small model in each form, corruption at random bytes, and inconsistencies (children out of range, a
 * split on a feature the model does not have, a cycle, counts that disagree) one by one.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../src/xgboost/errors.ts';
import { loadXGBoostModel, readXGBoostModel } from '../../src/xgboost/load.ts';
import { FIXTURES, modelArchive } from '../helpers/xgboost-oracle.ts';

const temporary = mkdtempSync(join(tmpdir(), 'xgb-bad-input-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

const fixture = (file: string): Buffer => readFileSync(join(FIXTURES, file));

/** The error `readXGBoostModel` throws for `bytes`, or fails the test if it returns a model. */
async function loadError(bytes: Uint8Array, label = 'model-file'): Promise<ModelLoadError> {
  try {
    await readXGBoostModel(bytes, label);
  } catch (error) {
    if (error instanceof ModelLoadError) return error;
    throw new Error(`expected a ModelLoadError, got ${(error as Error).stack}`);
  }
  throw new Error(`a bad model of ${bytes.length} bytes loaded`);
}

/** A JSON model document from the fixtures, to break one field of. */
const jsonModel = (): {
  learner: {
    objective: { name: string };
    gradient_booster: {
      model: {
        gbtree_model_param: { num_trees: string };
        trees: { left_children: number[]; split_indices: number[]; right_children: number[] }[];
        tree_info: number[];
      };
    };
  };
} => JSON.parse(fixture('binary-logistic/model.json').toString('utf8'));

describe('truncated at every byte, in every form', () => {
  it.each([
    [
      'binary-logistic/xgboost-model',
      /truncated legacy binary model: expected \d+ bytes? for .+ at offset \d+, the file has \d+/,
    ],
    ['binary-logistic/model.ubj', /truncated UBJSON: expected \d+ bytes? for .+ at offset \d+, the file has \d+/],
    ['binary-logistic/model.json', /invalid JSON at line \d+, column \d+/],
    ['binary-logistic/booster-1.7.pkl', /truncated (pickle|UBJSON)/],
    ['binary-logistic/booster-0.90.pkl', /truncated (pickle|legacy binary model)/],
    ['binary-logistic/booster-1.0.pkl', /truncated/],
    ['binary-logistic/model.tar.gz', /gzip stream is truncated|tar archive is truncated|not a tar archive/],
  ])('%s', async (file, expected) => {
    // Prepare
    const bytes = fixture(file);
    const messages = new Map<string, string>(); // one example of each message, numbers aside

    // Act
    for (let length = 1; length < bytes.length; length++) {
      const error = await loadError(bytes.subarray(0, length), file);
      messages.set(error.message.replace(/\d+/g, 'N'), error.message);

      // Assess
      expect(error.message.startsWith(`${file}: `), error.message).toBe(true);
      expect(error.message).not.toMatch(/\n\s+at |undefined|NaN/);
    }

    // Assess
    const examples = [...messages.values()];
    expect(
      examples.some((message) => expected.test(message)),
      examples.join('\n'),
    ).toBe(true);
  });

  it('names the field it was reading when the legacy binary stops short', async () => {
    // Prepare
    const bytes = fixture('binary-logistic/xgboost-model');

    // Act
    const error = await loadError(bytes.subarray(0, 500), 'xgboost-model');

    // Assess
    expect(error.message).toMatch(
      /^xgboost-model: truncated legacy binary model: expected \d+ bytes for tree \d+'s \d+ node(s| statistics) at offset \d+, the file has 500$/,
    );
  });
});

describe('corrupt bytes', () => {
  it('random single-byte corruption never crashes: a clear ModelLoadError, or a model that scores', async () => {
    // Prepare
    const original = fixture('binary-logistic/xgboost-model');
    let state = 42;
    const random = (n: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    let refused = 0;
    let loaded = 0;

    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.from(original);
      bytes[random(bytes.length)] = random(256);

      // Act
      let scored: number[] | undefined;
      try {
        const { model } = await readXGBoostModel(bytes, 'xgboost-model');
        scored = model.predictSparse([{ indices: [0, 1, 2], values: [1, 0, 2] }]);
        loaded++;
      } catch (error) {
        // Assess
        expect(error, (error as Error).stack).toBeInstanceOf(ModelLoadError);
        expect((error as Error).message.startsWith('xgboost-model: ')).toBe(true);
        refused++;
      }
      if (scored !== undefined) expect(scored).toHaveLength(1);
    }

    // Assess
    expect(refused).toBeGreaterThan(100);
    expect(loaded).toBeGreaterThan(100); // a flipped statistic or split value is still a model
  });

  it('a tar archive with a damaged header: "corrupt", naming the offset', async () => {
    // Prepare
    const tar = Buffer.from(gunzipSync(fixture('binary-logistic/model.tar.gz')));
    tar[10] = (tar[10] as number) ^ 0xff; // inside the first member's name

    // Act
    const error = await loadError(gzipSync(tar), 'model.tar.gz');

    // Assess
    expect(error.message).toBe('model.tar.gz: the tar archive is corrupt: bad header checksum at offset 0');
  });

  it.each([
    ['an empty file', Buffer.alloc(0), /^f: the file is empty$/],
    [
      'random bytes',
      Buffer.from('\x07\x99 not a model at all, just some text'),
      /^f: not an XGBoost model: not JSON, UBJSON/,
    ],
    ['gzip of something else', gzipSync(Buffer.from('hello')), /^f: gzip data that is not a tar archive/],
    [
      'JSON that is not a model',
      Buffer.from('{"hello": [1, 2]}'),
      /^f: not an xgboost model document: no "learner" \(keys: hello\)$/,
    ],
    [
      'a corrupt gzip stream',
      Buffer.concat([fixture('binary-logistic/model.tar.gz').subarray(0, 40), Buffer.alloc(400, 7)]),
      /^f: the gzip stream is (corrupt|truncated)/,
    ],
  ])('%s', async (_name, bytes, expected) => {
    // Act
    const error = await loadError(bytes, 'f');

    // Assess
    expect(error.message).toMatch(expected);
  });

  it('a file that does not exist, or a directory: "cannot read the model"', async () => {
    // Act
    const missing = () => loadXGBoostModel(join(temporary, 'nope', 'xgboost-model'));
    const directory = () => loadXGBoostModel(temporary);

    // Assess
    await expect(missing()).rejects.toThrow(/xgboost-model: cannot read the model: no such file or directory$/);
    await expect(directory()).rejects.toThrow(/cannot read the model: it is a directory, not a file$/);
  });

  it('names a file given as a URL by its path, as the shell spells it', async () => {
    // Act
    const missing = () => loadXGBoostModel(pathToFileURL(join(temporary, 'a model dir', 'xgboost-model')));

    // Assess
    await expect(missing()).rejects.toThrow(
      `${join(temporary, 'a model dir', 'xgboost-model')}: cannot read the model`,
    );
  });
});

describe("a model.tar.gz holds the files SageMaker's container loads: every top-level file but dotfiles", () => {
  const model = new Uint8Array(fixture('binary-logistic/model.ubj'));

  it.each([
    ['xgboost-model, as training saves it', [['xgboost-model', model]]],
    ['one file of another name', [['model.ubj', model]]],
    [
      'one file beside dotfiles and files in folders',
      [
        ['._xgboost-model', model.subarray(0, 9)],
        ['code/inference.py', model.subarray(0, 9)],
        ['xgboost-model', model],
      ],
    ],
  ] as const)('serves %s', async (_name, members) => {
    // Act
    const read = await readXGBoostModel(modelArchive(members), 'model.tar.gz');

    // Assess
    expect(read.forms).toEqual(['model.tar.gz', 'UBJSON']);
  });

  it.each([
    [
      'k-fold models, which the container averages',
      [
        ['xgboost-model-0', model],
        ['xgboost-model-1', model],
      ],
      "model.tar.gz: no member xgboost-model, and 2 files that SageMaker's XGBoost container would load together and average (ensemble mode): xgboost-model-0, xgboost-model-1; the endpoint serves one model: archive xgboost-model alone",
    ],
    [
      'xgboost-model beside another file',
      [
        ['xgboost-model', model],
        ['notes.txt', Buffer.from('trained on 2024-06-01')],
      ],
      "model.tar.gz: 2 files that SageMaker's XGBoost container would load together and average (ensemble mode): xgboost-model, notes.txt; the endpoint serves one model: archive xgboost-model alone",
    ],
    [
      'a model in a folder only',
      [['model/xgboost-model', model]],
      'model.tar.gz: no member xgboost-model (members: model/xgboost-model)',
    ],
    [
      'files that are not models',
      [
        ['a.txt', Buffer.from('hello')],
        ['b.bin', Buffer.from([0, 1])],
      ],
      'model.tar.gz: no member xgboost-model (members: a.txt, b.bin)',
    ],
  ] as const)('refuses %s, naming them', async (_name, members, message) => {
    // Act
    const error = await loadError(modelArchive(members), 'model.tar.gz');

    // Assess
    expect(error.message).toBe(message);
  });
});

describe('inconsistent models are refused before they can answer', () => {
  it.each([
    [
      'a left child beyond the tree',
      (m: ReturnType<typeof jsonModel>) => {
        const tree = m.learner.gradient_booster.model.trees[1];
        if (tree) tree.left_children[0] = 999;
      },
      /tree 1, node 0: left child 999 .* must be within the tree's \d+ nodes/,
    ],
    [
      'a split on a feature the model does not have',
      (m: ReturnType<typeof jsonModel>) => {
        const tree = m.learner.gradient_booster.model.trees[0];
        if (tree) tree.split_indices[0] = 6;
      },
      /tree 0, node 0: splits on feature 6, but the model has 6 features/,
    ],
    [
      'a cycle',
      (m: ReturnType<typeof jsonModel>) => {
        const tree = m.learner.gradient_booster.model.trees[2];
        // node 1's left child back to the root
        if (tree) {
          tree.left_children[1] = 0;
          tree.right_children[1] = 1;
        }
      },
      /tree 2, node \d+: child 0 leads back to an ancestor: the tree has a cycle/,
    ],
    [
      'num_trees that disagrees with the trees',
      (m: ReturnType<typeof jsonModel>) => {
        m.learner.gradient_booster.model.gbtree_model_param.num_trees = '9';
      },
      /trees has 4 trees, but gbtree_model_param.num_trees says 9/,
    ],
    [
      'tree_info that disagrees with the trees',
      (m: ReturnType<typeof jsonModel>) => {
        m.learner.gradient_booster.model.tree_info.pop();
      },
      /tree_info has 3 entries for 4 trees/,
    ],
    [
      'a tree in a second output group',
      (m: ReturnType<typeof jsonModel>) => {
        m.learner.gradient_booster.model.tree_info[3] = 1;
      },
      /tree 3 belongs to output group 1: multi-class models are not supported/,
    ],
    [
      'an objective named like a property of every object',
      (m: ReturnType<typeof jsonModel>) => {
        m.learner.objective.name = 'constructor';
      },
      /: objective constructor is not supported: the endpoint serves gbtree models/,
    ],
  ])('%s', async (_name, breakIt, expected) => {
    // Prepare
    const model = jsonModel();
    breakIt(model);
    const file = join(temporary, 'broken.json');
    writeFileSync(file, JSON.stringify(model));

    // Act
    const act = () => loadXGBoostModel(file);

    // Assess
    await expect(act()).rejects.toThrow(ModelLoadError);
    await expect(act()).rejects.toThrow(expected);
  });
});

describe('pickles that hold anything but a Booster', () => {
  it('never runs what the pickle names: a call of posix.system is reported, not made', async () => {
    // Prepare: pickle.dumps of an object whose __reduce__ is (os.system, ("touch <marker>",)), protocol 2
    const marker = join(temporary, 'pwned');
    mkdirSync(temporary, { recursive: true });
    const command = Buffer.from(`touch ${marker}`, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(command.length);
    const bytes = Buffer.concat([
      Buffer.from('\x80\x02cposix\nsystem\nq\x00X', 'latin1'),
      length,
      command,
      Buffer.from('q\x01\x85q\x02Rq\x03.', 'latin1'),
    ]);

    // Act
    const error = await loadError(bytes, 'evil.pkl');

    // Assess
    expect(error.message).toBe(
      'evil.pkl: the pickle holds the result of calling posix.system, not an xgboost.core.Booster',
    );
    expect(() => readFileSync(marker)).toThrow(/ENOENT/);
  });

  it('a pickled Booster without a model (handle None): "holds no model"', async () => {
    // Prepare: NEWOBJ xgboost.core.Booster, BUILD {"handle": None}, protocol 2
    const bytes = Buffer.from('\x80\x02cxgboost.core\nBooster\n)\x81}X\x06\x00\x00\x00handleNsb.', 'latin1');

    // Act
    const error = await loadError(bytes, 'empty.pkl');

    // Assess
    expect(error.message).toBe('empty.pkl: the pickled Booster holds no model (its handle is None or missing)');
  });

  it('a protocol 0 (text) pickle: says what it is, and asks for protocol 2 or later', async () => {
    // Prepare
    const bytes = Buffer.from("(dp0\nS'handle'\np1\nNs.", 'latin1');

    // Act
    const error = await loadError(bytes, 'old.pkl');

    // Assess
    expect(error.message).toBe(
      'old.pkl: a pickle of protocol 0 or 1, which this reader does not read: pickle the Booster with protocol 2 or later',
    );
  });
});
