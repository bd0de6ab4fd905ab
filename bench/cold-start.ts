/**
 * Cold-start benchmark: the wall time of a fresh Node process that imports the built handler and
 * serves its first request against the local SageMaker-compatible endpoint, next to a bare `node -e 0`
 * and the naive bundle (bench/naive-entry.ts), interleaved in one run so machine noise hits all three.
 *
 *   node bench/cold-start.ts [--runs N]     (default COLD_START_RUNS; builds dist/lambda and dist/naive first)
 */

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LAMBDA_ARTIFACT } from '../infra/artifact.ts';
import { DEFAULT_ENDPOINT_NAME, startEndpointServer } from '../local/endpoint/server.ts';
import { loadDefaultModel } from '../local/model/model.ts';
import { Vocabulary } from '../src/encoder/vocabulary.ts';
import { median } from './harness.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Fresh processes a side: a median of 15 moved by up to 0.25x between runs on this shared machine. */
export const COLD_START_RUNS = 31;

/** Medians in ms and the ratios the targets are stated in. */
export interface ColdStartResult {
  runs: number;
  bareNodeMs: number;
  builtMs: number;
  naiveMs: number;
  builtBundleBytes: number;
  naiveBundleBytes: number;
  /** built / bare; target at most 3.5. */
  builtVsBare: number;
  /** naive / bare, for comparison. */
  naiveVsBare: number;
}

// The child: import the handler, serve one request (the original page's), exit. Prints the status.
const CHILD = `
const { handler } = await import(process.env.HANDLER_PATH);
const event = { httpMethod: 'POST', path: '/', headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
  body: 'What a wonderful, moving film', isBase64Encoded: false, requestContext: {} };
const context = { awsRequestId: 'cold', functionName: 'cold', getRemainingTimeInMillis: () => 10000 };
const response = await handler(event, context);
process.stdout.write(String(response.statusCode));
`;

/** Wall time of one child process, ms. Asynchronous: the local endpoint lives in this process. */
async function timeProcess(args: string[], env: NodeJS.ProcessEnv, expect?: string): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (status !== 0 || (expect !== undefined && stdout.trim() !== expect)) {
    throw new Error(`cold-start child failed (${args.join(' ')}): ${stderr || stdout}`);
  }
  return elapsed;
}

function build(flags: string[]) {
  const result = spawnSync(process.execPath, ['build.mjs', '--quiet', ...flags], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed: ${result.stderr}`);
}

/** Runs the benchmark; builds both bundles first. */
export async function runColdStartBenchmark({ runs = COLD_START_RUNS } = {}): Promise<ColdStartResult> {
  build([]);
  build(['--naive']);
  // dist/lambda bundles the default (XGBoost) model's 5,000-word vocabulary: the endpoint serves the
  // lexicon's weights on those columns, until it evaluates the XGBoost model itself.
  const bundled = Vocabulary.fromJSON(readFileSync(`${root}dist/lambda/${LAMBDA_ARTIFACT.vocabularyFile}`, 'utf8'));
  const model = loadDefaultModel().onVocabulary(bundled);
  const endpoint = await startEndpointServer({ models: { [DEFAULT_ENDPOINT_NAME]: model } });
  const baseEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: endpoint.url,
    SAGEMAKER_ENDPOINT_NAME: DEFAULT_ENDPOINT_NAME,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
  const envFor = (dir: string) => ({
    ...baseEnv,
    LAMBDA_TASK_ROOT: `${root}${dir}`,
    HANDLER_PATH: `${root}${dir}/index.mjs`,
  });
  const bare: number[] = [];
  const built: number[] = [];
  const naive: number[] = [];
  try {
    // One warm-up of each fills the OS file cache, as a Lambda host's would be.
    await timeProcess(['-e', '0'], baseEnv);
    await timeProcess(['--input-type=module', '-e', CHILD], envFor('dist/lambda'), '200');
    await timeProcess(['--input-type=module', '-e', CHILD], envFor('dist/naive'), '200');
    for (let i = 0; i < runs; i++) {
      bare.push(await timeProcess(['-e', '0'], baseEnv));
      built.push(await timeProcess(['--input-type=module', '-e', CHILD], envFor('dist/lambda'), '200'));
      naive.push(await timeProcess(['--input-type=module', '-e', CHILD], envFor('dist/naive'), '200'));
    }
  } finally {
    await endpoint.close();
  }
  const bareNodeMs = median(bare);
  const builtMs = median(built);
  const naiveMs = median(naive);
  return {
    runs,
    bareNodeMs,
    builtMs,
    naiveMs,
    builtBundleBytes: statSync(`${root}dist/lambda/index.mjs`).size,
    naiveBundleBytes: statSync(`${root}dist/naive/index.mjs`).size,
    builtVsBare: builtMs / bareNodeMs,
    naiveVsBare: naiveMs / bareNodeMs,
  };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: String(COLD_START_RUNS) } } });
  const result = await runColdStartBenchmark({ runs: Number(values.runs) });
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(`Cold start, first response (median of ${result.runs} fresh processes, interleaved)
  bare node -e 0        ${ms(result.bareNodeMs)}
  built handler         ${ms(result.builtMs)}  (${result.builtVsBare.toFixed(2)}x bare; target <= 3.5x)
  naive bundle          ${ms(result.naiveMs)}  (${result.naiveVsBare.toFixed(2)}x bare)`);
  console.log(JSON.stringify(result));
}
