/**
 * Decoders for the charset a request declares: the labels of the WHATWG Encoding Standard, the ones
 * browsers and `TextDecoder` know (`utf-8`, `latin1`, `iso-8859-1`, `windows-1252`, `utf-16le`,
 * `shift_jis`, `gbk`, `euc-kr`, ...; Node with full ICU, as Lambda's runtimes are, knows all of them).
 *
 * Strict: a byte sequence that is not valid in the charset throws instead of becoming U+FFFD, so a
 * client that declared the wrong charset is told so rather than classified on replacement characters.
 * A byte order mark is kept as text (U+FEFF), as Python's `bytes.decode('utf-8')` keeps it: the reference
 * preprocessing (scripts/original_preprocessing.py) then counts it as part of the word it precedes.
 */

/** A strict decoder of one charset (Node's global `TextDecoder`; this project does not load the DOM types). */
export type CharsetDecoder = InstanceType<typeof TextDecoder>;

/** What a label becomes once normalized as the Encoding Standard does: ASCII whitespace trimmed, ASCII lower case. */
function normalizeLabel(label: string): string {
  return label.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '').replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
}

// Keyed by normalized label, and only for labels TextDecoder accepted: the key set is bounded by the
// Encoding Standard's list (about 220 labels), whatever clients send.
const decoders = new Map<string, CharsetDecoder>();

/**
 * A strict decoder for a charset label, made once per label and reused (a `TextDecoder` keeps no state
 * between non-streaming `decode` calls).
 *
 * @returns `undefined` for a label the Encoding Standard does not define, or one it maps to its
 * "replacement" encoding (`iso-2022-kr`, `hz-gb-2312`, ...), which decodes nothing.
 */
export function charsetDecoder(label: string): CharsetDecoder | undefined {
  const key = normalizeLabel(label);
  let decoder = decoders.get(key);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(key, { fatal: true, ignoreBOM: true });
    } catch {
      return undefined;
    }
    decoders.set(key, decoder);
  }
  return decoder;
}

/** The strict UTF-8 decoder: HTTP's and JSON's text. */
export const UTF8_DECODER: CharsetDecoder = charsetDecoder('utf-8') as CharsetDecoder;
