/**
 * The float32 arithmetic the XGBoost evaluator relies on: the ports of glibc's expf and logf against this
 * machine's glibc itself (through Python's ctypes, on sampled inputs of every exponent plus the inputs where an
 * unfused port differs from glibc's FMA build), the emulated fused multiply-add against exact arithmetic, and
 * the decimal-to-float32 reading of JSON numbers at the halfway cases.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { expf, fma, logf, parseFloat32 } from '../../src/xgboost/float32-math.ts';
import { PYTHON, pythonXgboost } from '../helpers/xgboost-oracle.ts';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const fromBits = (bits: number): number => {
  u32[0] = bits;
  return f32[0] as number;
};
const toBits = (value: number): number => {
  f32[0] = value;
  return u32[0] as number;
};

/** Python: for each float32 bit pattern, the bits of libm's expf and logf of it. */
const LIBM_SCRIPT = `
import ctypes, struct, sys
libm = ctypes.CDLL("libm.so.6")
for name in ("expf", "logf"):
    getattr(libm, name).restype = ctypes.c_float
    getattr(libm, name).argtypes = [ctypes.c_float]
out = []
for line in sys.stdin:
    bits = int(line)
    x = struct.unpack("<f", struct.pack("<I", bits))[0]
    e = struct.unpack("<I", struct.pack("<f", libm.expf(x)))[0]
    l = struct.unpack("<I", struct.pack("<f", libm.logf(x)))[0]
    out.append(f"{e} {l}")
print("\\n".join(out))
`;

/** Inputs: every exponent (uniform bit patterns), margins of real models, and glibc's hard cases. */
function sampleInputs(count: number): number[] {
  let state = 0x2545f491;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  const inputs = [
    0x4202422f, // 0x1.04845ep+5: an unfused port gets glibc's FMA build wrong here
    0xc27c65d9, // -0x1.f8cbb2p+5: and here
    toBits(88.72283172607422),
    toBits(-103.97207641601562),
    toBits(88.7),
    0,
    0x80000000,
    1,
    0x007fffff,
    0x00800000,
    0x7f7fffff,
    0x7f800000,
    0xff800000,
    0x7fc00000,
    toBits(1),
    toBits(0.5),
  ];
  while (inputs.length < count) {
    inputs.push(next() % 2 === 0 ? next() : toBits((next() / 2 ** 32 - 0.5) * 60));
  }
  return inputs;
}

describe("glibc's expf and logf, ported", () => {
  it('equal this machine glibc bit for bit on 100,000 inputs (exhaustively checked once: see the module)', () => {
    // Prepare
    const python = pythonXgboost(); // the same interpreter the oracle uses; it must exist
    if ('error' in python) throw new Error(python.error);
    const inputs = sampleInputs(100_000);

    // Act
    const run = spawnSync(PYTHON, ['-c', LIBM_SCRIPT], {
      input: inputs.join('\n'),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const glibc = run.stdout.trim().split('\n');
    const differences: string[] = [];
    inputs.forEach((bits, i) => {
      const [e, l] = (glibc[i] ?? '').split(' ').map(Number) as [number, number];
      const x = fromBits(bits);
      const ours = [toBits(expf(x)), toBits(logf(x))];
      // NaN results: any NaN bit pattern is a NaN
      const same = (a: number, b: number): boolean =>
        a === b || (Number.isNaN(fromBits(a)) && Number.isNaN(fromBits(b)));
      if (!same(ours[0] as number, e)) differences.push(`expf(${x}): ours ${ours[0]}, glibc ${e}`);
      if (!same(ours[1] as number, l)) differences.push(`logf(${x}): ours ${ours[1]}, glibc ${l}`);
    });

    // Assess
    expect(run.status, run.stderr).toBe(0);
    expect(glibc).toHaveLength(inputs.length);
    expect(differences.slice(0, 10)).toEqual([]);
  });
});

describe('fma', () => {
  /** `a * b + c` rounded once to the nearest double (ties to even), in exact rational arithmetic. */
  function exactFma(a: number, b: number, c: number): number {
    const parts = (x: number): [bigint, number] => {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, x);
      const bits = view.getBigUint64(0);
      const exponent = Number((bits >> 52n) & 0x7ffn);
      const fraction = bits & 0xfffffffffffffn;
      const mantissa = exponent === 0 ? fraction : fraction | (1n << 52n);
      const sign = bits >> 63n === 1n ? -1n : 1n;
      return [sign * mantissa, (exponent === 0 ? 1 : exponent) - 1075];
    };
    const [ma, ea] = parts(a);
    const [mb, eb] = parts(b);
    const [mc, ec] = parts(c);
    const e = Math.min(ea + eb, ec);
    const sum = ((ma * mb) << BigInt(ea + eb - e)) + (mc << BigInt(ec - e));
    if (sum === 0n) return a * b + c; // the sign of an exact zero: as the hardware would
    // Round |sum| * 2^e to 53 bits, ties to even.
    const negative = sum < 0n;
    let magnitude = negative ? -sum : sum;
    let exponent = e;
    const length = magnitude.toString(2).length;
    if (length > 53) {
      const shift = BigInt(length - 53);
      const kept = magnitude >> shift;
      const rest = magnitude - (kept << shift);
      const half = 1n << (shift - 1n);
      magnitude = rest > half || (rest === half && (kept & 1n) === 1n) ? kept + 1n : kept;
      exponent += length - 53;
    }
    const value = Number(magnitude) * 2 ** exponent;
    return negative ? -value : value;
  }

  it('rounds a * b + c once, on 20,000 random triples and cancellations', () => {
    // Prepare
    let seed = 7;
    const random = (): number => {
      seed = (Math.imul(seed, 48271) + 1) >>> 0;
      return seed / 2 ** 32;
    };
    const differences: string[] = [];

    for (let i = 0; i < 20_000; i++) {
      const a = (random() - 0.5) * 2 ** Math.floor(random() * 40 - 20);
      const b = (random() - 0.5) * 2 ** Math.floor(random() * 40 - 20);
      // Half of them cancel: c close to -a*b, where one rounding and two differ most.
      const c = i % 2 === 0 ? -(a * b) * (1 + (random() - 0.5) * 2 ** -40) : (random() - 0.5) * 2 ** 8;

      // Act
      const ours = fma(a, b, c);

      // Assess
      const exact = exactFma(a, b, c);
      if (!Object.is(ours, exact)) differences.push(`fma(${a}, ${b}, ${c}) = ${ours}, exactly ${exact}`);
    }
    expect(differences.slice(0, 5)).toEqual([]);
  });
});

describe('parseFloat32', () => {
  it.each([
    ['exactly halfway between 1 and the next float32: ties to even', '1.000000059604644775390625', 1],
    ['just above halfway: up', '1.000000059604644775390625000000001', Math.fround(1 + 2 ** -23)],
    ['just below halfway: down', '1.000000059604644775390624999999999', 1],
    ["xgboost's base_score spelling", '5E-1', 0.5],
    ['a shortest float32 repr', '0.1', Math.fround(0.1)],
    ['NaN', 'NaN', Number.NaN],
    ['-Infinity', '-Infinity', Number.NEGATIVE_INFINITY],
    ['not a number', '0x10', undefined],
  ])('%s', (_name, text, expected) => {
    // Act
    const value = parseFloat32(text);

    // Assess
    expect(value).toBe(expected);
  });
});
