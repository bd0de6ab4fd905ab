/**
 * The two errors of reading a model file: readers (the XGBoost forms here, and the linear model of
 * local/model/model.ts) throw {@link ModelFormatProblem} (what is wrong, where in the bytes), and the loader
 * turns it into a {@link ModelLoadError} that also names the file, so a start-up failure reads
 * `model.tar.gz: the gzip stream is truncated`, never a stack trace.
 */

/** What a reader found wrong with the model it was given; the loader adds the file name. */
export class ModelFormatProblem extends Error {
  override readonly name = 'ModelFormatProblem';
}

/**
 * A model file that cannot be served. `message` is `<file>: <reason>`, meant for the person who chose the file.
 *
 * @example
 * ```ts
 * import { loadXGBoostModel, ModelLoadError } from 'sentiment-lambda';
 * try {
 *   await loadXGBoostModel('model.tar.gz');
 * } catch (error) {
 *   if (error instanceof ModelLoadError) console.error(error.file, error.reason); // model.tar.gz the gzip stream is truncated
 * }
 * ```
 */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
  /** The file as the user named it. */
  readonly file: string;
  /** What is wrong with it, without the file name. */
  readonly reason: string;

  constructor(file: string, reason: string, options?: ErrorOptions) {
    super(`${file}: ${reason}`, options);
    this.file = file;
    this.reason = reason;
  }
}
