/**
 * The features the default XGBoost model is trained on, written by the project's own encoder: for every
 * sentence of the data file, in file order, the dense CSV row the Lambda would send for it
 * (`createPayloadEncoder(vocabulary, 'csv')`, every vocabulary column, 0 for an absent word), one row a
 * line. `train.py` runs this and reads the rows, so training and serving see the same columns, the
 * same preprocessing and the same bytes.
 *
 * Run: `npm run model:features -- --vocabulary FILE --out FILE [--data FILE]` (`npm run model:train` runs
 * it).
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createPayloadEncoder } from '../src/encoder/payload.ts';
import { Vocabulary } from '../src/encoder/vocabulary.ts';
import { loadSentencePolarity, sentencePolarityFile } from './sentence-polarity.ts';

/** Writes one CSV row per sentence of `dataFile` into `outFile`; returns the number of rows. */
function encodeFeatures(vocabularyFile: string, dataFile: string | undefined, outFile: string): number {
  const vocabulary = Vocabulary.fromJSON(readFileSync(vocabularyFile, 'utf8'));
  const encoder = createPayloadEncoder(vocabulary, 'csv');
  const { sentences } = loadSentencePolarity(dataFile);
  const fd = openSync(outFile, 'w');
  try {
    let chunk = '';
    for (const { text } of sentences) {
      chunk += `${encoder.encodeRow(text)}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return sentences.length;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      vocabulary: { type: 'string' },
      out: { type: 'string' },
      data: { type: 'string' },
    },
  });
  if (values.vocabulary === undefined || values.out === undefined) {
    console.error('Usage: npm run model:features -- --vocabulary FILE --out FILE [--data FILE]');
    process.exit(2);
  }
  const data = values.data ?? sentencePolarityFile();
  const rows = encodeFeatures(values.vocabulary, data, values.out);
  console.error(`encode-features: ${rows} rows of ${data} -> ${values.out}`);
}
