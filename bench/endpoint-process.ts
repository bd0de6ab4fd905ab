/**
 * The local SageMaker endpoint serving the bench model, in its own process so the benchmarks measure
 * only the "Lambda" side. Prints `{"url": "..."}` on one line once listening; exits when stdin closes
 * (its parent ended) or on SIGTERM/SIGINT.
 *
 * Started by `startEndpointProcess` (bench/harness.ts), with `--seed S`.
 */
import { parseArgs } from 'node:util';
import { startEndpointServer } from '../local/endpoint/server.ts';
import { LinearModel } from '../local/model/model.ts';
import { generateVocabulary } from './corpus.ts';
import { BENCH_ENDPOINT_NAME, benchModelDocument, DEFAULT_SEED } from './harness.ts';

const { values } = parseArgs({ options: { seed: { type: 'string', default: String(DEFAULT_SEED) } } });
const seed = Number(values.seed);
const model = new LinearModel(benchModelDocument(generateVocabulary(seed), seed));
const server = await startEndpointServer({ port: 0, models: { [BENCH_ENDPOINT_NAME]: model } });
process.stdout.write(`${JSON.stringify({ url: server.url, endpointName: BENCH_ENDPOINT_NAME })}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void server.close().finally(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
