/**
 * `classify`'s progress bar on stderr (drawn by `cli-progress`): reviews done, reviews per second and the
 * time left, estimated from the input bytes read when the input's size is known (a file, or stdin
 * redirected from one). It appears only once a run has lasted {@link DEFAULT_PROGRESS_DELAY_MS}, so a
 * short input never shows one; whether to show one at all (a terminal, not `--quiet`) is the caller's call.
 * Messages about bad lines go through it too, so that they are not drawn over.
 */
import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';

/** What the run reports to the progress display, and how it writes messages to stderr. */
export interface Progress {
  /** `reviews` more are written; the input has been read up to byte `inputBytes`. */
  advance(reviews: number, inputBytes: number): void;
  /** Writes a message line (ending in `\n`) to stderr, above the bar when one is shown. */
  log(message: string): void;
  /** Draws the bar a last time, and lets go of the terminal. */
  stop(): void;
}

/** How long a run goes before a bar is shown. */
export const DEFAULT_PROGRESS_DELAY_MS = 1000;

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Show a bar (stderr is a terminal, and not `--quiet`); otherwise messages are only written. */
  readonly show: boolean;
  /** Size of the input in bytes, when known: gives the bar, its percentage and the time left. */
  readonly totalBytes?: number | undefined;
  /** Default {@link DEFAULT_PROGRESS_DELAY_MS}. */
  readonly delayMs?: number;
}

/** A progress display on `stream` (stderr). */
export function createProgress(stream: Writable, options: ProgressOptions): Progress {
  if (!options.show) {
    return { advance() {}, log: (message) => void stream.write(message), stop() {} };
  }
  return new ProgressBar(stream, options.totalBytes, options.delayMs ?? DEFAULT_PROGRESS_DELAY_MS);
}

class ProgressBar implements Progress {
  readonly #stream: Writable;
  readonly #totalBytes: number | undefined;
  readonly #delayMs: number;
  readonly #started = performance.now();
  // A MultiBar of one bar: its log() writes messages above the bar (a SingleBar's would be drawn over).
  #bars: cliProgress.MultiBar | undefined;
  #bar: cliProgress.SingleBar | undefined;
  #reviews = 0;
  #bytes = 0;
  #stopped = false;

  constructor(stream: Writable, totalBytes: number | undefined, delayMs: number) {
    this.#stream = stream;
    this.#totalBytes = totalBytes;
    this.#delayMs = delayMs;
  }

  advance(reviews: number, inputBytes: number): void {
    this.#reviews += reviews;
    this.#bytes = inputBytes;
    if (this.#stopped) return;
    if (this.#bar === undefined) {
      if (performance.now() - this.#started < this.#delayMs) return;
      this.#bars = new cliProgress.MultiBar({
        stream: this.#stream,
        format: (options, params) => this.#format(options, params),
        // Redrawn on every tick, not only on change: messages written above it clear its line.
        forceRedraw: true,
        // Long messages wrap as usual; the bar itself is cut at the terminal's width.
        linewrap: true,
        etaBuffer: 50,
        barsize: 20,
      });
      this.#bar = this.#bars.create(this.#totalBytes ?? 0, this.#bytes);
    } else {
      this.#bar.update(this.#bytes);
    }
  }

  log(message: string): void {
    if (this.#bars === undefined || this.#stopped) this.#stream.write(message);
    else this.#bars.log(message);
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#bars === undefined) return;
    this.#bars.update(); // writes the messages still held, then the bar
    this.#bars.stop();
  }

  #format(options: cliProgress.Options, params: cliProgress.Params): string {
    const seconds = (performance.now() - this.#started) / 1000;
    const done = `${count(this.#reviews)} done | ${count(seconds > 0 ? this.#reviews / seconds : 0)} reviews/s`;
    if (this.#totalBytes === undefined || this.#totalBytes === 0) {
      return `${done} | time left unknown (input of unknown size)`;
    }
    const bar = cliProgress.Format.BarFormat(params.progress, options);
    const percent = Math.floor(params.progress * 100);
    const left = this.#bytes >= this.#totalBytes ? '0s' : timeLeft(params.eta);
    // Within 80 columns up to a billion reviews: `[bar] 100% | 20,000 done | 14,424 reviews/s | 1m05s left`.
    return `${bar} ${percent}% | ${done} | ${left} left`;
  }
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** cli-progress's estimate (seconds, or `NULL`/`INF` before it has one) as `1h02m`, `3m05s`, `42s`. */
function timeLeft(eta: number | string): string {
  const seconds = typeof eta === 'number' ? eta : Number(eta);
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}
