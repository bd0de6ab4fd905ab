/**
 * Fuzzing the model readers (fast-check): random bytes, random truncations and random byte mutations of every
 * committed fixture form of every xgboost version. Whatever the bytes, `readXGBoostModel` either returns a
 * model that scores, or rejects with a `ModelLoadError` whose message starts with the label, carries no stack
 * trace and comes from the readers' own checks (its cause a `ModelFormatProblem`, never a RangeError or a
 * TypeError); no call takes long; and no call allocates a typed array larger than its input justifies.
 * Headers that declare 2^31 nodes, a 4 GB string or array, or a huge tar member are refused before anything
 * of that size is allocated. The seed is new each run (fast-check prints it with a counterexample);
 * XGBOOST_FUZZ_SCALE multiplies the runs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelFormatProblem, ModelLoadError } from '../../src/xgboost/errors.ts';
import { isGzip } from '../../src/xgboost/forms.ts';
import { readXGBoostModel } from '../../src/xgboost/load.ts';
import { FIXTURES, ORACLES, tarHeader } from '../helpers/xgboost-oracle.ts';

/** Every model file of every version's fixtures (not the rows, not the manifests). */
const FILES = ORACLES.flatMap(({ fixtures }) =>
  readdirSync(fixtures, { recursive: true, encoding: 'utf8' })
    .filter((file) => statSync(join(fixtures, file)).isFile() && !/(^|\/)(rows\.\w+|manifest\.json)$/.test(file))
    .map((file) => ({ file: join(fixtures, file), bytes: new Uint8Array(readFileSync(join(fixtures, file))) })),
);

/** Multiplies every property's runs: XGBOOST_FUZZ_SCALE=50 for a long hunt (docs/xgboost-models.md). */
const SCALE = Number(process.env.XGBOOST_FUZZ_SCALE ?? 1);
const TIMEOUT = 60_000 * SCALE;
/** A call's time limit: the fixtures read in a few milliseconds; this is margin for a busy machine. */
const CALL_MS = 2_000;
/** Bytes any call may allocate whatever its input (a scratch row, a small table). */
const ALLOWANCE = 64 * 1024;
/** Largest typed array per input byte: a JSON `1,` is read into a float64 (8 bytes from 2). */
const BYTES_PER_INPUT_BYTE = 8;

const TYPED_ARRAYS = [
  'ArrayBuffer',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

/**
 * Runs `act` with every typed array and ArrayBuffer constructor of this realm watched, and returns what it
 * settled to and the largest allocation it asked for, in bytes.
 */
async function watchingAllocations<T>(
  act: () => Promise<T>,
): Promise<{ settled: PromiseSettledResult<T>; largest: number }> {
  const scope = globalThis as unknown as Record<string, unknown>;
  const originals = TYPED_ARRAYS.map((name) => [name, scope[name]] as const);
  let largest = 0;
  for (const [name, original] of originals) {
    const typed = original as { new (...args: unknown[]): unknown; BYTES_PER_ELEMENT?: number };
    scope[name] = new Proxy(typed, {
      construct(target, args, newTarget) {
        const [length] = args;
        if (typeof length === 'number') largest = Math.max(largest, length * (target.BYTES_PER_ELEMENT ?? 1));
        return Reflect.construct(target, args, newTarget === scope[name] ? target : newTarget);
      },
    });
  }
  try {
    const settled = await act().then(
      (value): PromiseSettledResult<T> => ({ status: 'fulfilled', value }),
      (reason: unknown): PromiseSettledResult<T> => ({ status: 'rejected', reason }),
    );
    return { settled, largest };
  } finally {
    for (const [name, original] of originals) scope[name] = original;
  }
}

/** The bytes a reader can see: a gzip stream's content counts as input (DEFLATE's ratio is its own bound). */
function effectiveLength(bytes: Uint8Array): number {
  if (!isGzip(bytes)) return bytes.length;
  try {
    return Math.max(bytes.length, gunzipSync(bytes).length);
  } catch {
    return bytes.length;
  }
}

const LABEL = 'fuzzed-model';

/**
 * Reads `bytes` and checks everything a caller relies on; returns whether a model was served.
 * @throws (through expect) on any other outcome.
 */
async function readsOrRefusesCleanly(bytes: Uint8Array): Promise<boolean> {
  const started = performance.now();
  const { settled, largest } = await watchingAllocations(() => readXGBoostModel(bytes, LABEL));
  const elapsed = performance.now() - started;

  expect(elapsed, `${bytes.length} bytes took ${elapsed.toFixed(0)} ms`).toBeLessThan(CALL_MS);
  expect(largest, `${bytes.length} bytes`).toBeLessThanOrEqual(
    BYTES_PER_INPUT_BYTE * effectiveLength(bytes) + ALLOWANCE,
  );
  if (settled.status === 'fulfilled') {
    // A flipped split value or statistic is still a model: it must then score any row. (Sparse rows: a
    // flipped num_feature can declare billions of columns, which a dense row would have to hold.)
    const { model } = settled.value;
    const columns = Array.from({ length: Math.min(model.featureCount, 64) }, (_, column) => column);
    const scores = model.predictSparse([
      { indices: [], values: [] },
      { indices: columns, values: columns.map(() => 0) },
      { indices: columns, values: columns.map((column) => column - 3.5) },
    ]);
    expect(scores).toHaveLength(3);
    return true;
  }
  const error = settled.reason as Error;
  expect(error, error.stack).toBeInstanceOf(ModelLoadError);
  expect(error.cause, `${error.message}\n${(error.cause as Error | undefined)?.stack}`).toBeInstanceOf(
    ModelFormatProblem,
  );
  expect(error.message.startsWith(`${LABEL}: `), error.message).toBe(true);
  expect(error.message).not.toMatch(/\n\s+at |undefined|NaN|\[object /);
  return false;
}

const fixture = fc.constantFrom(...FILES);

describe('fuzzed model files', () => {
  it(
    'random bytes, bare or behind the first bytes of each form, are refused cleanly',
    async () => {
      // Prepare
      const magic = fc.constantFrom(
        '',
        '\x1f\x8b', // gzip
        '\x80\x02',
        '\x80\x04\x95', // pickle PROTO 2, PROTO 4 FRAME
        '{',
        '{L',
        '{"learner":',
        'binf',
        'CONFIG-offset:',
        'XGBPACK\x01',
      );
      const input = fc
        .tuple(magic, fc.uint8Array({ maxLength: 600 }))
        .map(([head, tail]) => new Uint8Array([...Buffer.from(head, 'latin1'), ...tail]))
        .filter((bytes) => bytes.length > 0);

      // Act, Assess
      await fc.assert(
        fc.asyncProperty(input, async (bytes) => void (await readsOrRefusesCleanly(bytes))),
        {
          numRuns: 600 * SCALE,
        },
      );
    },
    TIMEOUT,
  );

  it(
    `every fixture (${FILES.length} files, every version), truncated anywhere, is refused cleanly`,
    async () => {
      // Prepare
      const truncated = fixture.chain(({ bytes }) =>
        fc.nat({ max: bytes.length - 1 }).map((n) => bytes.subarray(0, n)),
      );

      // Act, Assess
      await fc.assert(
        fc.asyncProperty(
          truncated.filter((bytes) => bytes.length > 0),
          async (bytes) => {
            expect(await readsOrRefusesCleanly(bytes)).toBe(false);
          },
        ),
        { numRuns: 400 * SCALE },
      );
    },
    TIMEOUT,
  );

  it(
    'every fixture with random bytes changed, inside the gzip stream too, is read or refused cleanly',
    async () => {
      // Prepare
      const mutated = fixture.chain(({ bytes }) => {
        const gzipped = isGzip(bytes);
        const plain = gzipped ? new Uint8Array(gunzipSync(bytes)) : bytes;
        const change = fc.tuple(fc.nat({ max: plain.length - 1 }), fc.integer({ min: 0, max: 255 }));
        return fc.tuple(fc.array(change, { minLength: 1, maxLength: 8 }), fc.boolean()).map(([changes, regzip]) => {
          const copy = new Uint8Array(gzipped && !regzip ? bytes : plain);
          for (const [at, value] of changes) copy[at % copy.length] = value;
          return gzipped && regzip ? new Uint8Array(gzipSync(copy)) : copy;
        });
      });
      let served = 0;
      let refused = 0;

      // Act
      await fc.assert(
        fc.asyncProperty(mutated, async (bytes) => {
          if (await readsOrRefusesCleanly(bytes)) served++;
          else refused++;
        }),
        { numRuns: 1_500 * SCALE },
      );

      // Assess: both outcomes were met, so the property saw models as well as refusals
      expect(served).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
    },
    TIMEOUT,
  );
});

/** `bytes` with `patch` written at `at`. */
function patched(bytes: Uint8Array, at: number, patch: (view: DataView) => void): Uint8Array {
  const copy = new Uint8Array(bytes);
  patch(new DataView(copy.buffer, at));
  return copy;
}

const legacy = new Uint8Array(readFileSync(join(FIXTURES, 'binary-logistic', 'xgboost-model')));
/** Offsets in the legacy binary fixture: after "binf", the 136-byte LearnerModelParam, then the names. */
const OBJECTIVE_AT = 4 + 136;
const objectiveLength = Number(new DataView(legacy.buffer).getBigUint64(OBJECTIVE_AT, true));
const BOOSTER_NAME_AT = OBJECTIVE_AT + 8 + objectiveLength;
const GBTREE_AT = BOOSTER_NAME_AT + 8 + 'gbtree'.length;
const FIRST_TREE_AT = GBTREE_AT + 160;

const ascii = (text: string): number[] => [...Buffer.from(text, 'latin1')];
const u32le = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const u64le = (n: bigint): number[] => Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));

describe('declared lengths beyond the bytes are refused before they are allocated', () => {
  it.each([
    [
      'a legacy binary tree of 2^31 - 1 nodes',
      patched(legacy, FIRST_TREE_AT + 4, (v) => v.setInt32(0, 2 ** 31 - 1, true)),
      /truncated legacy binary model: expected 42949672940 bytes for tree 0's 2147483647 nodes at offset \d+, the file has \d+$/,
    ],
    [
      'a legacy binary of 2^31 - 1 trees',
      patched(legacy, GBTREE_AT, (v) => v.setInt32(0, 2 ** 31 - 1, true)),
      /legacy binary model at offset \d+: the tree count 2147483647 cannot fit in the file's 3126 bytes \(a tree takes at least 188\)$/,
    ],
    [
      'a legacy binary objective name of 4 GB',
      patched(legacy, OBJECTIVE_AT, (v) => v.setBigUint64(0, 2n ** 32n, true)),
      /the objective name would be 4294967296 bytes long: this is not a legacy binary model$/,
    ],
    [
      'a UBJSON string of 4 GB',
      new Uint8Array([...ascii('{L'), ...u64le(2n ** 32n).reverse(), ...ascii('learner')]),
      /truncated UBJSON: expected 4294967296 bytes for an object key at offset 10, the file has 17$/,
    ],
    [
      'a UBJSON float32 array of 2^31 - 1 elements',
      new Uint8Array([...ascii('{i\x01a[$d#l'), 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0]),
      /truncated UBJSON: expected 8589934588 bytes for float32 array of 2147483647 elements at offset 13/,
    ],
    [
      'a UBJSON array of 2^31 - 1 values',
      new Uint8Array([...ascii('{i\x01a[#l'), 0x7f, 0xff, 0xff, 0xff, ...ascii('Z')]),
      /truncated UBJSON: expected 2147483647 bytes for 2147483647 array elements/,
    ],
    [
      'a UBJSON object of 2^31 - 1 entries',
      new Uint8Array([...ascii('{#l'), 0x7f, 0xff, 0xff, 0xff, ...ascii('i\x01aZ')]),
      /truncated UBJSON: expected 6442450941 bytes for 2147483647 object entries/,
    ],
    [
      'a pickle BINBYTES8 of 4 GB',
      new Uint8Array([0x80, 0x04, 0x8e, ...u64le(2n ** 32n), 1, 2, 3, 0x2e]),
      /truncated pickle: expected 4294967296 bytes for BINBYTES8 at offset 11, the file has 15$/,
    ],
    [
      'a pickle BINUNICODE of 4 GB - 1',
      new Uint8Array([0x80, 0x02, 0x58, ...u32le(2 ** 32 - 1), ...ascii('abc.')]),
      /truncated pickle: expected 4294967295 bytes for a BINUNICODE string/,
    ],
    [
      'a pickle LONG4 of 2 GB',
      new Uint8Array([0x80, 0x02, 0x8b, ...u32le(2 ** 31 - 1), 1, 0x2e]),
      /truncated pickle: expected 2147483647 bytes for a LONG4/,
    ],
    [
      'a CONFIG-offset: serialisation of 2^62 bytes',
      new Uint8Array([...ascii('CONFIG-offset:'), ...u64le(2n ** 62n), ...legacy.subarray(0, 64)]),
      /a model of 4611686018427387904 bytes does not fit in the file/,
    ],
    [
      'a tar member of 8 GB',
      gzipSync(new Uint8Array([...tarHeader('xgboost-model', 8n * 2n ** 30n), ...legacy.subarray(0, 512)])),
      /the tar archive is truncated: a member of 8589934592 bytes at offset 512 runs past its end \(1024 bytes\)$/,
    ],
    [
      'a tar member of 2^80 bytes (base-256 size)',
      gzipSync(new Uint8Array([...tarHeader('xgboost-model', 2n ** 80n, true), ...legacy.subarray(0, 512)])),
      /the tar archive is truncated: a member of 1208925819614629174706176 bytes at offset 512 runs past its end \(1024 bytes\)$/,
    ],
  ])('%s', async (_name, bytes, expected) => {
    // Act
    const { settled, largest } = await watchingAllocations(() => readXGBoostModel(bytes, LABEL));

    // Assess
    expect(settled.status).toBe('rejected');
    const error = (settled as PromiseRejectedResult).reason as Error;
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toMatch(new RegExp(`^${LABEL}: `));
    expect(error.message).toMatch(expected);
    expect(largest).toBeLessThan(64 * 1024);
  });
});
