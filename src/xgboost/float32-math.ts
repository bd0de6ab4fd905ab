/**
 * The float32 arithmetic xgboost's C++ does when it loads and scores a model, reproduced bit for bit:
 *
 * - {@link parseFloat32}: a decimal string to the nearest float32, as `std::from_chars` does for the
 *   numbers of a JSON model and its `base_score` string.
 * - {@link expf} and {@link logf}: the single-precision `expf`/`logf` of glibc (2.27 and later, which took
 *   them from Arm's optimized-routines, MIT licensed). xgboost calls them for the sigmoid and for
 *   `ProbToMargin`; `Math.exp`/`Math.log` rounded to float32 differ from them on some inputs, because
 *   glibc's float functions are accurate to 0.502 and 0.818 ulp, not correctly rounded.
 * - {@link sigmoid}: xgboost 1.7's `common::Sigmoid`.
 *
 * glibc's x86-64 `expf` is the build for CPUs with FMA (the one every current x86-64 and Arm server runs):
 * its compiler fused five multiply-adds, so the port fuses the same five with an exact emulated FMA. Checked
 * against glibc 2.36 on every float32 input of the non-special range (2,239,849,422 values,
 * scripts/float32-math-exhaustive.ts): identical. An unfused port differs on 2 of them (found while
 * porting; the test checks both). `logf` has no fused operation whose rounding matters (all 2,139,095,039
 * positive finite inputs identical, fused or not), so it is ported unfused.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
// The two 32-bit halves of a double, endianness explicit.
const doubleView = new DataView(new ArrayBuffer(8));

const floatBits = (value: number): number => {
  f32[0] = value;
  return u32[0] as number;
};
const floatFromBits = (bits: number): number => {
  u32[0] = bits;
  return f32[0] as number;
};
const doubleBits = (value: number): bigint => {
  doubleView.setFloat64(0, value, true);
  return doubleView.getBigUint64(0, true);
};
const doubleFromBits = (bits: bigint): number => {
  doubleView.setBigUint64(0, bits, true);
  return doubleView.getFloat64(0, true);
};

// ---------------------------------------------------------------------------------------------------
// Exact fused multiply-add, for the five operations the FMA build of glibc's expf fuses.

const SPLITTER = 134_217_729; // 2^27 + 1 (Veltkamp split of a double into two 26-bit halves)

/** `a + b = s + e` exactly (Knuth's TwoSum). */
function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

/** `a * b = p + e` exactly (Dekker's TwoProduct); the operands here are far from overflow and underflow. */
function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

/** `a + b` rounded to odd: the nearer neighbour with an odd last bit when the sum is inexact. */
function addRoundToOdd(a: number, b: number): number {
  const [s, e] = twoSum(a, b);
  if (e === 0) return s;
  doubleView.setFloat64(0, s, true);
  const low = doubleView.getUint32(0, true);
  if ((low & 1) === 1) return s;
  // `s` is even: its neighbour on the side of the error is odd, and the exact sum lies between them.
  if (e > 0 === s > 0) {
    doubleView.setUint32(0, low + 1, true); // even, so no carry
  } else if (low !== 0) {
    doubleView.setUint32(0, low - 1, true);
  } else {
    doubleView.setUint32(0, 0xffffffff, true);
    doubleView.setUint32(4, doubleView.getUint32(4, true) - 1, true);
  }
  return doubleView.getFloat64(0, true);
}

/**
 * `a * b + c` with one rounding, as the FMA instruction computes it (Boldo and Melquiond's emulation:
 * exact product, exact sum with `c`, the low parts added rounded to odd, then one rounding to nearest).
 */
export function fma(a: number, b: number, c: number): number {
  const [ph, pl] = twoProduct(a, b);
  const [th, tl] = twoSum(c, ph);
  return th + addRoundToOdd(tl, pl);
}

// ---------------------------------------------------------------------------------------------------
// expf (glibc sysdeps/ieee754/flt-32/e_expf.c, EXP2F_TABLE_BITS = 5, EXP2F_POLY_ORDER = 3)

const EXP2F_N = 32;
/** `tab[i] = bits(2^(i/N)) - (i << 47)`. */
const EXP2F_TABLE = [
  0x3ff0000000000000n,
  0x3fefd9b0d3158574n,
  0x3fefb5586cf9890fn,
  0x3fef9301d0125b51n,
  0x3fef72b83c7d517bn,
  0x3fef54873168b9aan,
  0x3fef387a6e756238n,
  0x3fef1e9df51fdee1n,
  0x3fef06fe0a31b715n,
  0x3feef1a7373aa9cbn,
  0x3feedea64c123422n,
  0x3feece086061892dn,
  0x3feebfdad5362a27n,
  0x3feeb42b569d4f82n,
  0x3feeab07dd485429n,
  0x3feea47eb03a5585n,
  0x3feea09e667f3bcdn,
  0x3fee9f75e8ec5f74n,
  0x3feea11473eb0187n,
  0x3feea589994cce13n,
  0x3feeace5422aa0dbn,
  0x3feeb737b0cdc5e5n,
  0x3feec49182a3f090n,
  0x3feed503b23e255dn,
  0x3feee89f995ad3adn,
  0x3feeff76f2fb5e47n,
  0x3fef199bdd85529cn,
  0x3fef3720dcef9069n,
  0x3fef5818dcfba487n,
  0x3fef7c97337b9b5fn,
  0x3fefa4afa2a490dan,
  0x3fefd0765b6e4540n,
] as const;
const EXP2F_SHIFT = 6755399441055744.0; // 0x1.8000000000000p+52
const EXP2F_INV_LN2_N = Math.LOG2E * EXP2F_N; // 1/ln 2 = 0x1.71547652b82fep+0, exactly Math.LOG2E
const EXP2F_C0 = 0.05550361559341535 / EXP2F_N / EXP2F_N / EXP2F_N; // 0x1.c6af84b912394p-5
const EXP2F_C1 = 0.2402284522445722 / EXP2F_N / EXP2F_N; // 0x1.ebfce50fac4f3p-3
const EXP2F_C2 = 0.6931471806916203 / EXP2F_N; // 0x1.62e42ff0c52d6p-1
const EXPF_OVERFLOW = 88.72283172607422; // above: e^x > FLT_MAX
const EXPF_UNDERFLOW = -103.97207641601562; // below: e^x < 2^-150

/**
 * `2^(i/N)` for i in 0..N-1, from glibc's table (`tab[i] + (i << 47)`): glibc builds the scale `s` by adding
 * `k << 47` to the table's bits, which is `2^((k mod N)/N)` times the power of two `2^floor(k/N)`, exactly.
 */
const EXP2F_POWERS = EXP2F_TABLE.map((bits, i) => doubleFromBits(bits + (BigInt(i) << 47n)));

/** `2^q` for an integer `q` in the normal range, built from its bits. */
function powerOfTwo(q: number): number {
  doubleView.setUint32(0, 0, true);
  doubleView.setUint32(4, (1023 + q) << 20, true);
  return doubleView.getFloat64(0, true);
}

/** glibc's `expf(x)` for a float32 `x`, as a float32. */
export function expf(x: number): number {
  const xf = Math.fround(x);
  if (Number.isNaN(xf)) return xf;
  if (xf > EXPF_OVERFLOW) return Number.POSITIVE_INFINITY;
  if (xf < EXPF_UNDERFLOW) return 0;
  // x*N/ln2 = k + r with r in [-1/2, 1/2]; k by the round-to-integer shift trick, all fused as glibc's FMA build.
  const k = fma(EXP2F_INV_LN2_N, xf, EXP2F_SHIFT) - EXP2F_SHIFT;
  const r = fma(EXP2F_INV_LN2_N, xf, -k);
  // exp(x) = 2^(k/N) * 2^(r/N) ~= s * (C0*r^3 + C1*r^2 + C2*r + 1)
  const i = k & (EXP2F_N - 1);
  const s = (EXP2F_POWERS[i] as number) * powerOfTwo((k - i) / EXP2F_N);
  const z = fma(EXP2F_C0, r, EXP2F_C1);
  const r2 = r * r;
  let y = fma(EXP2F_C2, r, 1);
  y = fma(z, r2, y);
  return Math.fround(y * s);
}

// ---------------------------------------------------------------------------------------------------
// logf (glibc sysdeps/ieee754/flt-32/e_logf.c, LOGF_TABLE_BITS = 4, LOGF_POLY_ORDER = 4)

/** `[invc, logc]` per subinterval. */
const LOGF_TABLE: readonly (readonly [number, number])[] = [
  [1.398907162146528, -0.33569133332882284], // 0x1.661ec79f8f3bep+0, -0x1.57bf7808caadep-2
  [1.3403141896637998, -0.2929040563774074], // 0x1.571ed4aaf883dp+0, -0x1.2bef0a7c06ddbp-2
  [1.286432210124115, -0.2518726580937369], // 0x1.49539f0f010b0p+0, -0x1.01eae7f513a67p-2
  [1.2367150214269895, -0.21245868807117255], // 0x1.3c995b0b80385p+0, -0x1.b31d8a68224e9p-3
  [1.1906977166711752, -0.17453945183745634], // 0x1.30d190c8864a5p+0, -0x1.6574f0ac07758p-3
  [1.1479821020556429, -0.1380057072319758], // 0x1.25e227b0b8ea0p+0, -0x1.1aa2bc79c8100p-3
  [1.1082251448272158, -0.10275976698545139], // 0x1.1bb4a4a1a343fp+0, -0x1.a4e76ce8c0e5ep-4
  [1.0711297413057381, -0.06871392447020525], // 0x1.12358f08ae5bap+0, -0x1.1973c5a611cccp-4
  [1.036437278977283, -0.0357891387398228], // 0x1.0953f419900a7p+0, -0x1.252f438e10c1ep-5
  [1.0, 0], // 0x1.0000000000000p+0
  [0.9492859795739057, 0.05204517742929496], // 0x1.e608cfd9a47acp-1, 0x1.aa5aa5df25984p-5
  [0.8951049428609004, 0.11081431298787942], // 0x1.ca4b31f026aa0p-1, 0x1.c5e53aa362eb4p-4
  [0.8476821620351103, 0.1652495223695143], // 0x1.b2036576afce6p-1, 0x1.526e57720db08p-3
  [0.8050314851692001, 0.21687389031699977], // 0x1.9c2d163a1aa2dp-1, 0x1.bc2860d224770p-3
  [0.7664671008843108, 0.2659635028121397], // 0x1.886e6037841edp-1, 0x1.1058bc8a07ee1p-2
  [0.731428603316328, 0.3127556664073557], // 0x1.767dcf5534862p-1, 0x1.4043057b6ee09p-2
];
const LOGF_LN2 = Math.LN2; // 0x1.62e42fefa39efp-1, exactly Math.LN2
const LOGF_A0 = -0.25089342214237154; // -0x1.00ea348b88334p-2
const LOGF_A1 = 0.333456765744066; // 0x1.5575b0be00b6ap-2
const LOGF_A2 = -0.4999997485802103; // -0x1.ffffef20a4123p-2
const LOGF_OFF = 0x3f330000;

/** glibc's `logf(x)` for a float32 `x`, as a float32. */
export function logf(x: number): number {
  const xf = Math.fround(x);
  let ix = floatBits(xf);
  if (ix === 0x3f800000) return 0;
  if ((ix - 0x00800000) >>> 0 >= 0x7f800000 - 0x00800000) {
    // x < 0x1p-126, negative, inf or nan
    if ((ix & 0x7fffffff) === 0) return Number.NEGATIVE_INFINITY;
    if (ix === 0x7f800000) return xf;
    if (ix & 0x80000000 || ix >= 0x7f800000) return Number.NaN;
    // subnormal: normalise
    ix = floatBits(xf * 8388608.0); // 0x1.0000000000000p+23
    ix -= 23 << 23;
  }
  // x = 2^k z, z in [OFF, 2*OFF] exactly; the interval split into 16, c near the middle of z's.
  const tmp = (ix - LOGF_OFF) >>> 0;
  const i = (tmp >>> 19) % 16;
  const k = tmp >> 23; // arithmetic shift of the signed difference
  const iz = (ix - (tmp & (0x1ff << 23))) >>> 0;
  const [invc, logc] = LOGF_TABLE[i] as readonly [number, number];
  const z = floatFromBits(iz);
  // log(x) = log1p(z/c-1) + log(c) + k*Ln2
  const r = z * invc - 1;
  const y0 = logc + k * LOGF_LN2;
  const r2 = r * r;
  let y = LOGF_A1 * r + LOGF_A2;
  y = LOGF_A0 * r2 + y;
  y = y * r2 + (y0 + r);
  return Math.fround(y);
}

// ---------------------------------------------------------------------------------------------------

const SIGMOID_EPS = Math.fround(1e-16);
const SIGMOID_CLAMP = Math.fround(88.7);

/**
 * xgboost 1.7's `common::Sigmoid(x)`: `1 / (expf(min(-x, 88.7f)) + 1 + 1e-16f)`, every step in float32.
 * The `binary:logistic` and `reg:logistic` transform.
 */
export function sigmoid(x: number): number {
  const clamped = Math.min(-Math.fround(x), SIGMOID_CLAMP);
  const denominator = Math.fround(Math.fround(expf(clamped) + 1) + SIGMOID_EPS);
  return Math.fround(1 / denominator);
}

// ---------------------------------------------------------------------------------------------------

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The float32 nearest to a decimal number (ties to even), as C++'s `std::from_chars(..., float&)` reads
 * it: also `NaN`, `Infinity`, `inf` and `nan` in either case. `undefined` when `text` is not a number.
 *
 * `Math.fround(Number(text))` rounds twice (to double, then to float32) and is wrong when the double lands
 * exactly halfway between two floats; that case is settled here by comparing the decimal exactly.
 */
export function parseFloat32(text: string): number | undefined {
  const special = /^([+-]?)(nan|inf|infinity)$/i.exec(text);
  if (special !== null) {
    if ((special[2] as string).toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  const match = DECIMAL.exec(text);
  if (match === null || (match[2] === '' && (match[3] ?? '') === '')) return undefined;
  const double = Number(text);
  const single = Math.fround(double);
  if (single === double || !Number.isFinite(single) || double === 0) return single;
  // The float32 neighbours around `double`, and their midpoint (a double, exactly).
  const bits = floatBits(single);
  const towardZero = Math.abs(single) > Math.abs(double);
  const other = floatFromBits(towardZero ? bits - 1 : bits + 1);
  const midpoint = (single + other) / 2;
  if (midpoint !== double) return single;
  // The double is the midpoint: the decimal itself may lie on either side of it, or on it.
  const side = compareDecimal(match, Math.abs(midpoint));
  if (side === 0) return single; // a true tie: fround's ties-to-even is from_chars' too
  const larger = Math.abs(single) > Math.abs(other) ? single : other;
  const smaller = larger === single ? other : single;
  return side > 0 ? larger : smaller;
}

/** Sign of `|decimal| - value` for a positive double `value`, exactly. */
function compareDecimal(match: RegExpExecArray, value: number): number {
  const integer = match[2] ?? '';
  const fraction = match[3] ?? '';
  const exponent = Number(match[4] ?? '0') - fraction.length;
  const digits = BigInt(`${integer}${fraction}`.replace(/^0+(?=\d)/, '') || '0');
  // value = mantissa * 2^binaryExponent, exactly
  const valueBits = doubleBits(value);
  const biased = Number((valueBits >> 52n) & 0x7ffn);
  const fractionBits = valueBits & 0xf_ffff_ffff_ffffn;
  const mantissa = biased === 0 ? fractionBits : fractionBits | (1n << 52n);
  const binaryExponent = (biased === 0 ? 1 : biased) - 1075;
  // Compare digits * 10^exponent with mantissa * 2^binaryExponent in integers.
  let left = digits;
  let right = mantissa;
  if (exponent >= 0) left *= 10n ** BigInt(exponent);
  else right *= 10n ** BigInt(-exponent);
  if (binaryExponent >= 0) right <<= BigInt(binaryExponent);
  else left <<= BigInt(-binaryExponent);
  return left === right ? 0 : left > right ? 1 : -1;
}
