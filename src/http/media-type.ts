/**
 * The one parser of media types (`Content-Type`, RFC 9110 section 8.3.1) in the project: its essence
 * (`type/subtype`) and its parameters, such as `charset`.
 *
 * Lenient as browsers are (WHATWG MIME Sniffing): a malformed parameter is skipped rather than failing
 * the whole header, so `text/plain;;charset=utf-8` still declares UTF-8 and a stray `;` costs nothing.
 */

/** A parsed media type. */
export interface MediaType {
  /** `type/subtype`, lower case, without parameters: `text/plain;charset=UTF-8` gives `text/plain`. */
  readonly essence: string;
  /**
   * The parameters by lower-case name, values unquoted (case kept: only the recipient knows whether a
   * value is case-insensitive, as `charset` is). The first of a repeated name wins, as in WHATWG's parser.
   */
  readonly parameters: ReadonlyMap<string, string>;
}

const NO_PARAMETERS: ReadonlyMap<string, string> = new Map();

/** HTTP's optional whitespace around parameters (RFC 9110 OWS, plus the line breaks WHATWG allows). */
const isHttpWhitespace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/**
 * Parses a `Content-Type` (or one media range of `Accept`) header value.
 *
 * @returns `undefined` for an absent header, or one whose essence is empty (`""`, `"; charset=utf-8"`):
 * such a header says nothing a recipient can use.
 */
export function parseMediaType(header: string | null | undefined): MediaType | undefined {
  if (typeof header !== 'string') return undefined;
  const end = header.indexOf(';');
  const essence = (end === -1 ? header : header.slice(0, end)).trim().toLowerCase();
  if (essence === '') return undefined;
  return { essence, parameters: end === -1 ? NO_PARAMETERS : parseParameters(header, end + 1) };
}

/** The essence alone (see {@link parseMediaType}), or `undefined`. */
export function mediaTypeEssence(header: string | null | undefined): string | undefined {
  return parseMediaType(header)?.essence;
}

/** `name=value` pairs separated by `;`, from `start`; a value may be a quoted-string with `\` escapes. */
function parseParameters(header: string, start: number): ReadonlyMap<string, string> {
  const parameters = new Map<string, string>();
  let pos = start;
  while (pos < header.length) {
    while (isHttpWhitespace(header[pos])) pos++;
    let nameEnd = pos;
    while (nameEnd < header.length && header[nameEnd] !== ';' && header[nameEnd] !== '=') nameEnd++;
    const name = header.slice(pos, nameEnd).toLowerCase();
    pos = nameEnd;
    if (header[pos] !== '=') {
      // A name without a value (`;;`, `;flag`) is skipped.
      pos++;
      continue;
    }
    pos++;
    let value: string;
    if (header[pos] === '"') {
      value = '';
      pos++;
      while (pos < header.length && header[pos] !== '"') {
        if (header[pos] === '\\' && pos + 1 < header.length) pos++;
        value += header[pos];
        pos++;
      }
      // Whatever follows the closing quote up to the next `;` is junk, and skipped.
      while (pos < header.length && header[pos] !== ';') pos++;
    } else {
      const valueEnd = header.indexOf(';', pos);
      value = header.slice(pos, valueEnd === -1 ? header.length : valueEnd);
      pos = valueEnd === -1 ? header.length : valueEnd;
      let trimmed = value.length;
      while (trimmed > 0 && isHttpWhitespace(value[trimmed - 1])) trimmed--;
      value = value.slice(0, trimmed);
      if (value === '') {
        pos++;
        continue;
      }
    }
    pos++;
    if (name !== '' && !parameters.has(name)) parameters.set(name, value);
  }
  return parameters;
}
