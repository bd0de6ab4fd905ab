/**
 * Reading the model's reply. The XGBoost container answers `text/csv` with one score per row: newer
 * versions end each with `\n` (`"0.87\n0.12\n"`), older ones join them with `,` (`"0.87,0.12"`).
 * `Accept: application/json` gives `{"predictions": [{"score": 0.87}, ...]}`. Anything that is not
 * exactly one finite number per review is refused: a `NaN` must never reach a client.
 */
import { mediaTypeEssence } from '../http/media-type.ts';

/**
 * Why a reply could not be read as scores; the message is for the log, not the client.
 *
 * @example
 * ```ts
 * import { ScoreParseError } from 'sentiment-lambda';
 * // invokeModel throws it for a reply that is not one finite score per review: the model, not the client, is at fault.
 * const statusFor = (error: unknown) => (error instanceof ScoreParseError ? 502 : 500);
 * ```
 */
export class ScoreParseError extends Error {
  override readonly name = 'ScoreParseError';
}

// What Python's float() accepts for a finite number, less its '_' separators and surrounding junk.
const FINITE_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseScore(text: string, position: number): number {
  const trimmed = text.trim();
  if (!FINITE_NUMBER.test(trimmed)) {
    throw new ScoreParseError(`score ${position} is not a finite number: ${JSON.stringify(trimmed.slice(0, 40))}`);
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) throw new ScoreParseError(`score ${position} overflows: ${trimmed.slice(0, 40)}`);
  return value;
}

function parseCsvScores(text: string): number[] {
  const body = text.replace(/[\r\n]+$/, '');
  if (body.trim() === '') return [];
  const parts = /[\r\n]/.test(body) ? body.split(/\r?\n/) : body.split(',');
  return parts.map((part, i) => parseScore(part, i + 1));
}

function parseJsonScores(text: string): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ScoreParseError('the JSON reply is not valid JSON');
  }
  const predictions = (parsed as { predictions?: unknown })?.predictions;
  if (!Array.isArray(predictions)) throw new ScoreParseError('the JSON reply has no "predictions" array');
  return predictions.map((prediction, i) => {
    const score = (prediction as { score?: unknown })?.score ?? prediction;
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw new ScoreParseError(`prediction ${i + 1} has no finite "score"`);
    }
    return score;
  });
}

/**
 * The scores in a model reply, exactly `expected` of them.
 * @throws {ScoreParseError} when the reply is not `expected` finite numbers.
 */
export function parseScores(body: string, contentType: string | undefined, expected: number): number[] {
  const scores = mediaTypeEssence(contentType)?.includes('json') ? parseJsonScores(body) : parseCsvScores(body);
  if (scores.length !== expected) {
    throw new ScoreParseError(`the model answered ${scores.length} score(s) for ${expected} review(s)`);
  }
  return scores;
}
