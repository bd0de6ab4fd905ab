/**
 * Which form a model's bytes are in, told by their first bytes (never by a file name). Kept apart from
 * the readers so that the loader can tell a form without loading the reader of every other one: a
 * function whose model is packed loads none of them at cold start.
 */

/** The first bytes of a packed model (`src/xgboost/packed.ts`). */
export const PACKED_MAGIC = 'XGBPACK\u0001';

/** xgboost 1.0 to 1.2 serialise a Booster for pickling as this, an int64 offset, the binary model, the config. */
export const SERIALISATION_HEADER = 'CONFIG-offset:';

/** Whether `bytes` start with the ASCII `text`. */
export function startsWithText(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Whether `bytes` start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Whether `bytes` start with a ustar or GNU tar header (`ustar` at offset 257). */
export function isTar(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 512 &&
    bytes[257] === 0x75 &&
    bytes[258] === 0x73 &&
    bytes[259] === 0x74 &&
    bytes[260] === 0x61 &&
    bytes[261] === 0x72
  );
}

/** Whether `bytes` look like a pickle: `PROTO` 2 to 5, as every pickle of the last 20 years starts. */
export function looksLikePickle(bytes: Uint8Array): boolean {
  return bytes[0] === 0x80 && (bytes[1] as number) >= 2 && (bytes[1] as number) <= 5;
}

/** Whether `bytes` start with the `binf` header xgboost 1.0 and later write in a legacy binary model. */
export function hasBinfHeader(bytes: Uint8Array): boolean {
  return bytes[0] === 0x62 && bytes[1] === 0x69 && bytes[2] === 0x6e && bytes[3] === 0x66;
}

/**
 * `json` for a JSON model document, `ubjson` for a UBJSON one, `undefined` for neither: both start with
 * `{`, then JSON has a quote (or whitespace, or the `}` of an empty object) and UBJSON a type marker.
 */
export function documentKind(bytes: Uint8Array): 'json' | 'ubjson' | undefined {
  const first = firstNonSpace(bytes, 0);
  if (bytes[first] !== 0x7b) return undefined;
  const second = firstNonSpace(bytes, first + 1);
  const next = bytes[second];
  return second > first + 1 || next === 0x22 || next === 0x7d ? 'json' : 'ubjson';
}

/**
 * Whether `bytes` look like a pickle without the PROTO header of protocol 2 and later: one that starts
 * with an opcode such pickles start with (MARK, GLOBAL, an empty dict, list or tuple, None) and ends with
 * STOP. Asked only once the bytes are nothing the loader serves, to say what they are.
 */
export function looksLikeUnframedPickle(bytes: Uint8Array): boolean {
  return bytes.at(-1) === 0x2e && '(c}])N'.includes(String.fromCharCode(bytes[0] as number));
}

function firstNonSpace(bytes: Uint8Array, from: number): number {
  let i = from;
  // UTF-8 byte order mark
  if (i === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return i;
}
