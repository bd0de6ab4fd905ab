/**
 * Checks the ports of glibc's expf and logf (src/xgboost/float32-math.ts) against this machine's glibc
 * on every float32 input of their non-special ranges: both sides hash their result bits in input order
 * (FNV-1a), and the hashes must be equal. The C side is scripts/float32-math-exhaustive.c (needs gcc).
 *
 *   npm run check:float32                  every input: about 25 minutes of one core
 *   npm run check:float32 -- --step 97     every 97th input: about a minute
 *
 * Last full run (glibc 2.36, x86-64 with FMA): expf over 2,239,849,422 inputs, logf over 2,139,095,039, equal.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { expf, logf } from '../src/xgboost/float32-math.ts';

/** [function, first bits, last bits]: the inputs that reach the algorithm (the rest are 0, inf or NaN). */
const RANGES = [
  ['expf', 0x00000000, 0x42b17218], // +0 .. 0x1.62e42ep6 (88.72): above, e^x overflows
  ['expf', 0x80000000, 0xc2cff1b4], // -0 .. -0x1.9fe368p6 (-103.97): below, e^x underflows to 0
  ['logf', 0x00000001, 0x7f7fffff], // every positive finite float, subnormals included
] as const;

function hashOurs(fn: 'expf' | 'logf', lo: number, hi: number, step: number): string {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  const g = fn === 'expf' ? expf : logf;
  let hash = 0x811c9dc5 | 0;
  let count = 0;
  for (let bits = lo; bits <= hi; bits += step) {
    u[0] = bits;
    f[0] = g(f[0] as number);
    hash = Math.imul(hash ^ (u[0] as number), 16777619);
    count++;
  }
  return `${count} ${(hash >>> 0).toString(16).padStart(8, '0')}`;
}

const { values } = parseArgs({ options: { step: { type: 'string', default: '1' } } });
const step = Number(values.step);
const dir = mkdtempSync(join(tmpdir(), 'float32-math-'));
let failed = false;
try {
  const binary = join(dir, 'exhaustive');
  execFileSync('gcc', [
    '-O2',
    '-o',
    binary,
    fileURLToPath(new URL('./float32-math-exhaustive.c', import.meta.url)),
    '-lm',
  ]);
  for (const [fn, lo, hi] of RANGES) {
    const glibc = execFileSync(binary, [fn, String(lo), String(hi), String(step)], { encoding: 'utf8' }).trim();
    const ours = hashOurs(fn, lo, hi, step);
    const same = glibc === ours;
    failed ||= !same;
    console.log(
      `${fn} 0x${lo.toString(16)}..0x${hi.toString(16)} step ${step}: glibc ${glibc}, ours ${ours} ${same ? 'equal' : 'DIFFERENT'}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
