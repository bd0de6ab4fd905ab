/**
 * Loading the default model at a cold start: from the UBJSON file it ships as, and from the packed form
 * `npm run build` bundles (src/xgboost/packed.ts). Each load runs in a fresh Node process, the loader
 * already imported, so the figure is the load alone in a process whose JIT has not met the readers; the
 * two forms alternate, round by round. Median of the rounds.
 *
 *   npm run bench:model-load [-- --runs 21]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL_FILE } from '../default-model/files.ts';
import { readXGBoostModel } from '../src/xgboost/load.ts';
import { packModel } from '../src/xgboost/packed.ts';
import { median } from './harness.ts';

const LOADER = pathToFileURL(fileURLToPath(new URL('../src/xgboost/load.ts', import.meta.url))).href;

/** The child: import the loader, then time one load of the file named by argv. */
const CHILD = `
const { loadXGBoostModel } = await import(${JSON.stringify(LOADER)});
const started = process.hrtime.bigint();
const model = await loadXGBoostModel(process.argv[1]);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ ms, trees: model.trees }));
`;

export interface ModelLoadResult {
  readonly runs: number;
  readonly trees: number;
  /** Median ms to load the UBJSON file. */
  readonly ubjsonMs: number;
  /** Median ms to load its packed form. */
  readonly packedMs: number;
}

function timeLoad(file: string): { ms: number; trees: number } {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`loading ${file} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { ms: number; trees: number };
}

export async function runModelLoadBenchmark({ runs = 21 } = {}): Promise<ModelLoadResult> {
  const ubjson = fileURLToPath(DEFAULT_MODEL_FILE);
  const dir = mkdtempSync(join(tmpdir(), 'model-load-'));
  try {
    const packed = join(dir, 'model.packed');
    // Packed as `npm run build -- --model` packs it.
    const read = await readXGBoostModel(readFileSync(ubjson), ubjson);
    writeFileSync(packed, packModel(read.model, read.forms));
    const times = { ubjson: [] as number[], packed: [] as number[] };
    let trees = 0;
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? (['ubjson', 'packed'] as const) : (['packed', 'ubjson'] as const);
      for (const form of order) {
        const { ms, trees: loaded } = timeLoad(form === 'ubjson' ? ubjson : packed);
        times[form].push(ms);
        trees = loaded;
      }
    }
    return { runs, trees, ubjsonMs: median(times.ubjson), packedMs: median(times.packed) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '21' } } });
  const result = await runModelLoadBenchmark({ runs: Number(values.runs) });
  console.log(
    `Loading the default model (${result.trees} trees) in a fresh process, median of ${result.runs}: ` +
      `UBJSON ${result.ubjsonMs.toFixed(1)} ms, packed ${result.packedMs.toFixed(2)} ms`,
  );
}
