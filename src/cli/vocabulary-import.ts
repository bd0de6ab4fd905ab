/**
 * `sentiment-lambda vocabulary import FILE [--out OUT] [--force]`: turns the vocabulary as users have
 * it — `str(vectorizer.vocabulary_)` pasted into a Python handler's source — into the canonical JSON the
 * Lambda reads.
 *
 * The input is parsed by a small recursive-descent parser for exactly the Python a printed
 * `CountVectorizer.vocabulary_` contains (never evaluated):
 *
 * ```text
 * file     := [name '='] dict [';']            name := identifier ('.' identifier)*
 * dict     := '{' [entry (',' entry)* [',']] '}'
 * entry    := string ':' integer
 * string   := piece+                           adjacent pieces concatenate, as in Python
 * piece    := [r|u|R|U] ( '…' | "…" )          escapes \\ \' \" \a \b \f \n \r \t \v \ooo \xHH \uHHHH \UHHHHHHHH
 * integer  := ['+'|'-'] digits | numpy '(' integer ')'      numpy := (np|numpy).int64 and the other integer types
 * ```
 *
 * Whitespace, newlines, `#` comments and backslash line continuations may appear between tokens.
 * A file that already is JSON is read as JSON, in either form the Lambda reads: `{"word": index, ...}`
 * or the words in column order, `["word0", "word1", ...]`.
 */

import { writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { Vocabulary, VocabularyError } from '../encoder/index.ts';
import { type CliIO, ExitCode, FileReadError, isParseArgsError, PROGRAM, readTextFile } from './io.ts';

/** Help text of `vocabulary import`. */
export const VOCABULARY_IMPORT_USAGE = `Usage: ${PROGRAM} vocabulary import FILE [--out OUT] [--force]

Converts a vocabulary into the canonical JSON {"word": index, ...} (one entry per line, in index
order) that '${PROGRAM} encode' and the Lambda read. FILE (or - for stdin) holds either
  - the Python dict literal printed by str(vocabulary), as pasted into a handler's code:
      {'movie': 3, "it's": 0, 'caf\\xe9': 1, 'good': np.int64(2)}
    optionally as the whole assignment line (vocab = {...}), or
  - JSON: {"word": index, ...}, or the words in column order ["word0", "word1", ...].

Options:
  -o, --out OUT   write the JSON to OUT (default: stdout); an existing OUT is refused
  -f, --force     overwrite OUT if it exists
  -h, --help      show this help

Exit codes: 0 ok, 1 bad input data (unreadable file, syntax error, invalid vocabulary) or OUT not
written (it exists without --force, or cannot be written), 2 usage error.
`;

/** A syntax error in a Python dict literal, at a 1-based line and column (columns count code points). */
export class PythonLiteralError extends Error {
  override readonly name = 'PythonLiteralError';
  /** 1-based line of the error. */
  readonly line: number;
  /** 1-based column of the error, in characters (code points). */
  readonly column: number;
  /** What was expected and what was found, without the position. */
  readonly reason: string;

  constructor(reason: string, line: number, column: number) {
    super(`${line}:${column}: ${reason}`);
    this.reason = reason;
    this.line = line;
    this.column = column;
  }
}

/** Integer types whose numpy 2 repr is `np.int64(12)`: what `str()` prints for a dict of numpy scalars. */
const NUMPY_INTEGER_TYPES = new Set(
  [
    'int8',
    'int16',
    'int32',
    'int64',
    'uint8',
    'uint16',
    'uint32',
    'uint64',
    'intc',
    'uintc',
    'intp',
    'uintp',
    'int_',
    'uint',
    'longlong',
    'ulonglong',
    'short',
    'ushort',
    'byte',
    'ubyte',
  ].flatMap((type) => [`np.${type}`, `numpy.${type}`]),
);

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

const HEX_ESCAPE_LENGTHS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isNameStart = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z_]$/.test(c);
const isNameChar = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9_]$/.test(c);

class Parser {
  readonly #text: string;
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  parseFile(): Map<string, number> {
    if (this.#peek() === '\ufeff') this.#pos += 1;
    this.#skipBlank();
    if (isNameStart(this.#peek())) {
      const name = this.#readDottedName();
      this.#skipBlank();
      if (this.#peek() !== '=') {
        this.#fail(`expected '=' after the name ${name} (as in: vocab = {...}), found ${this.#found()}`);
      }
      this.#pos += 1;
      this.#skipBlank();
    }
    const dict = this.#parseDict();
    this.#skipBlank();
    if (this.#peek() === ';') {
      this.#pos += 1;
      this.#skipBlank();
    }
    if (this.#pos < this.#text.length) {
      this.#fail(`expected the end of the input after the dictionary's closing '}', found ${this.#found()}`);
    }
    return dict;
  }

  #parseDict(): Map<string, number> {
    if (this.#peek() !== '{') {
      this.#fail(`expected '{' to start the dictionary (or a name and '=' before it), found ${this.#found()}`);
    }
    this.#pos += 1;
    const entries = new Map<string, number>();
    const keyPositions = new Map<string, number>();
    this.#skipBlank();
    if (this.#peek() === '}') {
      this.#pos += 1;
      return entries;
    }
    for (;;) {
      const keyAt = this.#pos;
      const key = this.#parseKey();
      const firstAt = keyPositions.get(key);
      if (firstAt !== undefined) {
        const [line, column] = this.#lineColumn(firstAt);
        this.#fail(`the word ${pythonRepr(key)} appears a second time (first at ${line}:${column})`, keyAt);
      }
      keyPositions.set(key, keyAt);
      this.#skipBlank();
      if (this.#peek() !== ':') this.#fail(`expected ':' after the word ${pythonRepr(key)}, found ${this.#found()}`);
      this.#pos += 1;
      this.#skipBlank();
      entries.set(key, this.#parseInteger(key));
      this.#skipBlank();
      const next = this.#peek();
      if (next === '}') {
        this.#pos += 1;
        return entries;
      }
      if (next !== ',') {
        this.#fail(`expected ',' or '}' after the entry for ${pythonRepr(key)}, found ${this.#found()}`);
      }
      this.#pos += 1;
      this.#skipBlank();
      if (this.#peek() === '}') {
        this.#pos += 1;
        return entries;
      }
    }
  }

  #parseKey(): string {
    if (!this.#atStringStart()) {
      this.#fail(`expected a quoted word such as 'movie' as the key, found ${this.#found()}`);
    }
    let value = this.#parseStringPiece();
    for (;;) {
      const before = this.#pos;
      this.#skipBlank();
      if (!this.#atStringStart()) {
        this.#pos = before;
        return value;
      }
      value += this.#parseStringPiece();
    }
  }

  /** At a quote, or at string prefix letters followed by a quote. */
  #atStringStart(): boolean {
    let at = this.#pos;
    while (at < this.#pos + 2 && /^[rRuUbBfF]$/.test(this.#text[at] ?? '')) at += 1;
    const c = this.#text[at];
    return c === "'" || c === '"';
  }

  #parseStringPiece(): string {
    const start = this.#pos;
    let prefix = '';
    while (this.#peek() !== "'" && this.#peek() !== '"') prefix += this.#text[this.#pos++];
    const lower = prefix.toLowerCase();
    if (lower.includes('b')) this.#fail('a bytes literal (b"...") cannot be a word: words are str', start);
    if (lower.includes('f')) this.#fail('f-strings are not supported: write the word as a plain string', start);
    if (lower.includes('u') && lower.includes('r')) this.#fail(`invalid string prefix ${prefix}`, start);
    const raw = lower.includes('r');
    const quote = this.#text[this.#pos] as string;
    if (this.#text.startsWith(quote.repeat(3), this.#pos)) {
      this.#fail('triple-quoted strings are not supported: a printed dict never contains them', this.#pos);
    }
    this.#pos += 1;
    let value = '';
    for (;;) {
      const c = this.#text[this.#pos];
      if (c === undefined || c === '\n' || c === '\r') {
        this.#fail(`unterminated string: no closing ${quote} on this line`, start);
      }
      if (c === quote) {
        this.#pos += 1;
        return value;
      }
      if (c !== '\\') {
        value += c;
        this.#pos += 1;
      } else if (raw) {
        value += this.#readRawEscape(start, quote);
      } else {
        value += this.#readEscape(start, quote);
      }
    }
  }

  /** In a raw string a backslash keeps itself and the next character, which cannot end the string. */
  #readRawEscape(stringStart: number, quote: string): string {
    const next = this.#text[this.#pos + 1];
    if (next === undefined) this.#fail(`unterminated string: no closing ${quote}`, stringStart);
    const width = next === '\r' && this.#text[this.#pos + 2] === '\n' ? 2 : 1;
    const kept = this.#text.slice(this.#pos, this.#pos + 1 + width);
    this.#pos += 1 + width;
    return kept;
  }

  #readEscape(stringStart: number, quote: string): string {
    const escapeAt = this.#pos;
    const c = this.#text[this.#pos + 1];
    this.#pos += 2;
    if (c === undefined) this.#fail(`unterminated string: no closing ${quote}`, stringStart);
    // A backslash at the end of a line continues the string on the next one.
    if (c === '\n') return '';
    if (c === '\r') {
      if (this.#text[this.#pos] === '\n') this.#pos += 1;
      return '';
    }
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) return simple;
    if (isOctal(c)) {
      let digits = c;
      while (digits.length < 3 && isOctal(this.#text[this.#pos])) digits += this.#text[this.#pos++];
      return String.fromCodePoint(Number.parseInt(digits, 8));
    }
    const length = HEX_ESCAPE_LENGTHS[c];
    if (length !== undefined) {
      const digits = this.#text.slice(this.#pos, this.#pos + length);
      if (digits.length < length || ![...digits].every(isHex)) {
        this.#fail(`truncated \\${c} escape: it needs exactly ${length} hex digits`, escapeAt);
      }
      const code = Number.parseInt(digits, 16);
      if (code > 0x10ffff) this.#fail(`\\${c}${digits} is beyond U+10FFFF, the last Unicode character`, escapeAt);
      this.#pos += length;
      // fromCharCode keeps a lone surrogate (\ud800) as Python does; fromCodePoint does the rest.
      return code <= 0xffff ? String.fromCharCode(code) : String.fromCodePoint(code);
    }
    if (c === 'N') {
      this.#fail('\\N{...} named escapes are not supported: write the character itself or a \\u escape', escapeAt);
    }
    // Python keeps an unknown escape such as \d as it is (backslash included), with a warning.
    return `\\${c}`;
  }

  #parseInteger(key: string): number {
    const start = this.#pos;
    let sign = 1;
    const c = this.#peek();
    if (c === '-' || c === '+') {
      sign = c === '-' ? -1 : 1;
      this.#pos += 1;
      this.#skipBlank();
    }
    if (isNameStart(this.#peek())) {
      const nameAt = this.#pos;
      const name = this.#readDottedName();
      if (!NUMPY_INTEGER_TYPES.has(name)) {
        this.#fail(
          `expected an integer index for ${pythonRepr(key)} (such as 12, np.int64(12) or numpy.int64(12)), found ${name}`,
          nameAt,
        );
      }
      this.#skipBlank();
      if (this.#peek() !== '(') this.#fail(`expected '(' after ${name}, found ${this.#found()}`);
      this.#pos += 1;
      this.#skipBlank();
      const value = this.#parseInteger(key);
      this.#skipBlank();
      if (this.#peek() !== ')') this.#fail(`expected ')' to close ${name}(, found ${this.#found()}`);
      this.#pos += 1;
      return sign * value;
    }
    if (!isDigit(this.#peek())) {
      this.#fail(`expected an integer index for ${pythonRepr(key)}, found ${this.#found()}`);
    }
    const literal = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?[0-9])*|0(?:_?0)*)/.exec(
      this.#text.slice(this.#pos, this.#pos + 64),
    )?.[0];
    const after = this.#text[this.#pos + (literal?.length ?? 0)];
    if (literal === undefined || isNameChar(after) || after === '.') {
      const kind = after === '.' || after === 'e' || after === 'E' ? 'a float' : 'an invalid number';
      this.#fail(`expected an integer index for ${pythonRepr(key)}, found ${kind}`, start);
    }
    this.#pos += literal.length;
    const value = BigInt(literal.replaceAll('_', ''));
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.#fail(`the index of ${pythonRepr(key)} is too large: ${literal}`, start);
    }
    return sign * Number(value);
  }

  #readDottedName(): string {
    const start = this.#pos;
    for (;;) {
      while (isNameChar(this.#peek())) this.#pos += 1;
      if (this.#peek() !== '.' || !isNameStart(this.#text[this.#pos + 1])) break;
      this.#pos += 1;
    }
    return this.#text.slice(start, this.#pos);
  }

  /** Spaces, tabs, form feeds, newlines, `#` comments and backslash line continuations. */
  #skipBlank(): void {
    const text = this.#text;
    for (;;) {
      const c = text[this.#pos];
      if (c === ' ' || c === '\t' || c === '\f' || c === '\n' || c === '\r') {
        this.#pos += 1;
      } else if (c === '#') {
        while (this.#pos < text.length && text[this.#pos] !== '\n' && text[this.#pos] !== '\r') this.#pos += 1;
      } else if (c === '\\' && (text[this.#pos + 1] === '\n' || text[this.#pos + 1] === '\r')) {
        this.#pos += 2;
      } else {
        return;
      }
    }
  }

  #peek(): string | undefined {
    return this.#text[this.#pos];
  }

  /** The character at the current position, for messages. */
  #found(): string {
    const c = this.#text.codePointAt(this.#pos);
    if (c === undefined) return 'the end of the input';
    const char = String.fromCodePoint(c);
    const code = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
    return c > 0x20 && c < 0x7f ? `'${char}'` : `${code} (${JSON.stringify(char)})`;
  }

  #lineColumn(offset: number): [number, number] {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) {
      const c = this.#text[i];
      if (c === '\n' || (c === '\r' && this.#text[i + 1] !== '\n')) {
        line += 1;
        lineStart = i + 1;
      }
    }
    return [line, [...this.#text.slice(lineStart, offset)].length + 1];
  }

  #fail(reason: string, at = this.#pos): never {
    const [line, column] = this.#lineColumn(at);
    throw new PythonLiteralError(reason, line, column);
  }
}

/** A word as Python would print it, for messages: 'movie', "it's". */
function pythonRepr(word: string): string {
  const quote = word.includes("'") && !word.includes('"') ? '"' : "'";
  const body = JSON.stringify(word).slice(1, -1).replaceAll('\\"', '"').replaceAll(quote, `\\${quote}`);
  return `${quote}${body}${quote}`;
}

/**
 * Parses a Python dict literal of `str` keys and integer values, as `str(vocabulary)` prints it
 * (see the module comment for the grammar). Nothing is evaluated.
 *
 * @returns the entries in the order written; `__proto__` and friends are ordinary keys.
 * @throws {PythonLiteralError} at the first syntax error, naming line:column, what was expected and found.
 */
export function parsePythonDictLiteral(text: string): Map<string, number> {
  return new Parser(text).parseFile();
}

/**
 * How {@link parseVocabularyText} read its input: JSON `{"word": index}`, a JSON word list in column
 * order, or a Python dict literal.
 */
export type VocabularySource = 'json' | 'word-list' | 'python';

/**
 * Reads a vocabulary from text that is JSON in either form the Lambda reads (`{"word": index, ...}`
 * or `["word0", "word1", ...]`, see `Vocabulary.fromJSON`) or a Python dict literal (see
 * {@link parsePythonDictLiteral}), and validates it.
 *
 * @throws {PythonLiteralError} for a syntax error; {@link VocabularyError} for an invalid vocabulary.
 */
export function parseVocabularyText(text: string): { vocabulary: Vocabulary; source: VocabularySource } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { vocabulary: new Vocabulary(parsePythonDictLiteral(text)), source: 'python' };
  }
  if (Array.isArray(json)) return { vocabulary: Vocabulary.fromWords(json), source: 'word-list' };
  if (json === null || typeof json !== 'object') {
    throw new VocabularyError(
      'The vocabulary must be a JSON object {"word": index, ...} or an array of words in column order ["word0", ...].',
    );
  }
  return { vocabulary: new Vocabulary(json as Record<string, unknown>), source: 'json' };
}

/**
 * The canonical JSON of a vocabulary: `{"word": index}`, one entry per line, in index order, ending
 * with a newline. Written entry by entry, so `__proto__` stays an ordinary key.
 */
export function vocabularyToJSON(vocabulary: Vocabulary): string {
  return `{\n${vocabulary.wordsByColumn.map((word, index) => `  ${JSON.stringify(word)}: ${index}`).join(',\n')}\n}\n`;
}

/**
 * Runs `vocabulary import` from its arguments (what follows `vocabulary import`).
 * The output is written only once the whole vocabulary is read and valid.
 * @returns 0 ok, 1 bad input data (message naming the file, line:column or entry), 2 usage error.
 */
export async function vocabularyImportCommand(args: readonly string[], io: CliIO): Promise<ExitCode> {
  let values: { out?: string | undefined; force?: boolean | undefined; help?: boolean | undefined };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      options: {
        out: { type: 'string', short: 'o' },
        force: { type: 'boolean', short: 'f' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    return usageError(io.stderr, error.message);
  }
  if (values.help === true) {
    io.stdout.write(VOCABULARY_IMPORT_USAGE);
    return ExitCode.Ok;
  }
  const [file, ...extra] = positionals;
  if (file === undefined) return usageError(io.stderr, 'missing the vocabulary FILE to import');
  if (extra.length > 0) return usageError(io.stderr, `unexpected argument ${JSON.stringify(extra[0])}`);
  if (values.force === true && values.out === undefined) return usageError(io.stderr, '--force needs --out OUT');

  let json: string;
  let size: number;
  let source: VocabularySource;
  try {
    const parsed = parseVocabularyText(await readTextFile(file, 'vocabulary file', io.stdin));
    json = vocabularyToJSON(parsed.vocabulary);
    size = parsed.vocabulary.size;
    source = parsed.source;
  } catch (error) {
    if (error instanceof FileReadError) io.stderr.write(`${PROGRAM} vocabulary import: ${error.message}\n`);
    else if (error instanceof PythonLiteralError)
      io.stderr.write(`${PROGRAM} vocabulary import: ${file}:${error.message}\n`);
    else if (error instanceof VocabularyError)
      io.stderr.write(`${PROGRAM} vocabulary import: ${file}: ${error.message}\n`);
    else throw error;
    return ExitCode.BadInput;
  }

  if (values.out === undefined) {
    io.stdout.write(json);
    return ExitCode.Ok;
  }
  try {
    // 'wx' refuses an existing file in the same system call that creates it: no window in which a
    // file made after a check would be overwritten.
    await writeFile(values.out, json, { flag: values.force === true ? 'w' : 'wx' });
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'EEXIST'
        ? 'the file already exists: pass --force to overwrite it, or choose another --out'
        : (error as Error).message;
    io.stderr.write(`${PROGRAM} vocabulary import: cannot write ${JSON.stringify(values.out)}: ${reason}\n`);
    return ExitCode.BadInput;
  }
  const from = { python: 'a Python dict literal', json: 'JSON', 'word-list': 'a JSON word list' }[source];
  io.stderr.write(`Wrote ${size} ${size === 1 ? 'word' : 'words'} (read as ${from}) to ${values.out}\n`);
  return ExitCode.Ok;
}

function usageError(stderr: Writable, message: string): ExitCode {
  stderr.write(`${PROGRAM} vocabulary import: ${message}\nRun '${PROGRAM} vocabulary import --help' for usage.\n`);
  return ExitCode.Usage;
}
