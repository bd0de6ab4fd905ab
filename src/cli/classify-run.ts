/**
 * The core of `classify`, on plain streams: input items in, one JSON result line per review out, in input
 * order, bad lines reported on the way. Reviews go to the workers in batches, a few batches in flight at a
 * time, and results are written oldest batch first: the input is read only as fast as results are written,
 * so memory stays bounded (a few batches) whatever the input's size.
 */
import type { Writable } from 'node:stream';
import { type InputItem, isBadItem, linesOf } from './classify-input.ts';
import type { ScoringPool } from './classify-pool.ts';
import type { Progress } from './classify-progress.ts';
import type { ReviewScorer } from './classify-scorer.ts';
import { drained, watchOutput } from './io.ts';

/** Reviews per batch sent to a worker: large enough that a message costs little beside the scoring. */
export const DEFAULT_BATCH_SIZE = 256;
/** A batch is also sent once its reviews reach this many characters, so long reviews keep batches small. */
export const MAX_BATCH_CHARS = 1 << 20;

/** What {@link classifyItems} works with. */
export interface ClassifyRunOptions {
  readonly items: AsyncIterable<InputItem>;
  /** Scores an input that fits in one batch, in this thread: no worker is started for it. */
  readonly scoreHere: ReviewScorer;
  /** Starts the workers, when the input is more than a batch. */
  readonly startPool: () => ScoringPool;
  readonly output: Writable;
  /** Where messages about bad lines go (stderr, past the progress bar). */
  readonly progress: Progress;
  /** Prefix of messages: `sentiment-lambda classify`. */
  readonly messagePrefix: string;
  /** Stop at the first bad line (after writing the results of the reviews before it). */
  readonly strict: boolean;
  /** Default {@link DEFAULT_BATCH_SIZE}. */
  readonly batchSize?: number;
  /** Batches being scored (or waiting to be written) at a time: what bounds the memory held. */
  readonly batchesInFlight: number;
}

/** How a run went. */
export interface ClassifyRunResult {
  /** Reviews classified (result lines written). */
  readonly reviews: number;
  /** Bad lines (or runs of lines) reported and skipped. */
  readonly badLines: number;
  /** `--strict` stopped the run at a bad line. */
  readonly stoppedAtBadLine: boolean;
  /** Writing the output failed (e.g. the reader of a pipe went away); nothing more was read. */
  readonly outputError: NodeJS.ErrnoException | undefined;
}

interface Batch {
  readonly results: Promise<string>;
  readonly reviews: number;
  readonly endByte: number;
}

/**
 * Classifies `items` to `output` (see the module). Throws only what is unexpected (a worker that failed);
 * the workers are stopped either way.
 */
export async function classifyItems(options: ClassifyRunOptions): Promise<ClassifyRunResult> {
  const { output, progress, strict } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const outputFailure = watchOutput(output);
  const outputFailed = (): boolean => outputFailure() !== undefined;

  let pool: ScoringPool | undefined;
  const inFlight: Batch[] = [];
  let reviews: string[] = [];
  let chars = 0;
  let endByte = 0;
  let written = 0;
  let badLines = 0;
  let stoppedAtBadLine = false;

  const writeOldest = async (): Promise<void> => {
    const batch = inFlight.shift() as Batch;
    const results = await batch.results;
    if (outputFailed()) return;
    if (!output.write(results)) await drained(output);
    written += batch.reviews;
    progress.advance(batch.reviews, batch.endByte);
  };
  const send = async (last: boolean): Promise<void> => {
    if (reviews.length === 0) return;
    let results: Promise<string>;
    if (pool === undefined && last) {
      results = Promise.resolve(options.scoreHere(reviews));
    } else {
      pool ??= options.startPool();
      results = pool.score(reviews);
      // Awaited in order by writeOldest; this only keeps a failure behind an earlier one from going unhandled.
      results.catch(() => {});
    }
    inFlight.push({ results, reviews: reviews.length, endByte });
    reviews = [];
    chars = 0;
    while (inFlight.length >= (last ? 1 : options.batchesInFlight)) await writeOldest();
  };

  try {
    for await (const item of options.items) {
      if (isBadItem(item)) {
        badLines += 1;
        progress.log(`${options.messagePrefix}: ${linesOf(item)}: ${item.problem}\n`);
        if (strict) {
          stoppedAtBadLine = true;
          break;
        }
        continue;
      }
      reviews.push(item.review);
      chars += item.review.length;
      endByte = item.endByte;
      if (reviews.length >= batchSize || chars >= MAX_BATCH_CHARS) await send(false);
      if (outputFailed()) break;
    }
    if (!outputFailed()) await send(true);
    while (inFlight.length > 0 && !outputFailed()) await writeOldest();
  } finally {
    await pool?.close();
  }
  return {
    reviews: written,
    badLines,
    stoppedAtBadLine,
    outputError: outputFailure(),
  };
}
