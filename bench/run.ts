/**
 * `npm run bench`: every benchmark, side by side in one run (`--quick` for a shorter pass).
 */
import { runColdStartBenchmark } from './cold-start.ts';
import { runEncoderBenchmark } from './encoder.ts';

const quick = process.argv.includes('--quick');
const encoder = await runEncoderBenchmark({ quick });
const coldStart = await runColdStartBenchmark({ runs: quick ? 10 : 15 });
console.log(`
Encoder (csv): ${encoder.ratio?.toFixed(1) ?? 'n/a (python3 missing)'}x the Python reference (target >= 30x)
Cold start: ${coldStart.builtMs.toFixed(1)} ms = ${coldStart.builtVsBare.toFixed(2)}x bare node (target <= 3.5x); naive bundle ${coldStart.naiveVsBare.toFixed(2)}x`);
console.log(JSON.stringify({ encoder, coldStart }, null, 2));
