/**
 * One arm of bench/without-explain.ts: the model-in-the-function chain of the checkout at ROOT, alone in
 * its process as in Lambda, answering the parent's IPC messages: `{ warmUp: n }` runs requests 0..n-1 and
 * replies with their answers (JSON), `{ from, count }` runs requests from..from+count-1 and replies with
 * their latencies (ms). The metrics it writes go to /dev/null.
 *
 * Forked by bench/without-explain.ts, with the arguments ROOT SEED.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_MODEL_FILE } from '../default-model/files.ts';
import type * as vocabularyModule from '../src/encoder/vocabulary.ts';
import type * as pipeline from '../src/pipeline.ts';
import { lambdaContext } from '../src/testing/events.ts';
import type * as load from '../src/xgboost/load.ts';
import { generateReviews, generateVocabulary } from './corpus.ts';
import { type Invoke, quietLogger, textEvent, timed, withEmfToDevNull } from './harness.ts';

const [root, seedArgument] = process.argv.slice(2) as [string, string];
const seed = Number(seedArgument);
const from = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(root, path)).href)) as T;
const { createHandler } = await from<typeof pipeline>('src/pipeline.ts');
const { Vocabulary } = await from<typeof vocabularyModule>('src/encoder/vocabulary.ts');
const { loadXGBoostModel } = await from<typeof load>('src/xgboost/load.ts');

const vocabulary = generateVocabulary(seed);
const reviews = generateReviews(1000, seed, vocabulary);
// The default model is as wide as the corpus vocabulary (5,000): what it answers does not matter here.
const handler = createHandler({
  model: { source: await loadXGBoostModel(DEFAULT_MODEL_FILE) },
  vocabulary: { source: new Vocabulary(vocabulary) },
  logger: quietLogger(),
}) as unknown as Invoke;
const event = (i: number) => textEvent(reviews[i % reviews.length] as string);

type Message = { warmUp: number } | { from: number; count: number };

await withEmfToDevNull(
  () =>
    new Promise<void>((resolve) => {
      process.on('message', async (message: Message) => {
        if ('warmUp' in message) {
          const answers: string[] = [];
          for (let i = 0; i < message.warmUp; i++)
            answers.push(JSON.stringify(await handler(event(i), lambdaContext())));
          process.send?.(answers);
        } else {
          const latencies: number[] = [];
          for (let i = message.from; i < message.from + message.count; i++)
            latencies.push(await timed(handler, event(i)));
          process.send?.(latencies);
        }
      });
      process.once('disconnect', resolve);
      process.send?.('ready');
    }),
);
