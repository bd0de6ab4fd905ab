/**
 * A reader for the JSON text xgboost writes (`save_model('m.json')`), as xgboost's own `JsonReader` reads
 * it: a number with a fraction or an exponent is a float32 (rounded once, from the decimal), any other
 * number an integer, and the non-standard `NaN`, `Infinity` and `-Infinity` that xgboost writes for
 * non-finite floats are accepted. `JSON.parse` would round floats to double first and reject those words.
 */
import { ModelFormatProblem } from './errors.ts';
import { parseFloat32 } from './float32-math.ts';
import { emptyJsonObject, type JsonValue } from './json-value.ts';

/** Deeper than any model document (about 8 levels); a guard against hostile nesting, not a real limit. */
const MAX_DEPTH = 256;

/**
 * Parses xgboost-dialect JSON text.
 * @throws {ModelFormatProblem} naming the line and column of the first error.
 */
export function parseJsonText(text: string): JsonValue {
  const parser = new JsonTextParser(text);
  const value = parser.value(0);
  parser.skipSpaces();
  if (parser.at < text.length) throw parser.problem('unexpected text after the document');
  return value;
}

class JsonTextParser {
  readonly text: string;
  at = 0;

  constructor(text: string) {
    this.text = text;
  }

  problem(message: string, at = this.at): ModelFormatProblem {
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    return new ModelFormatProblem(`invalid JSON at line ${line}, column ${column}: ${message}`);
  }

  skipSpaces(): void {
    const text = this.text;
    let at = this.at;
    for (;;) {
      const code = text.charCodeAt(at);
      if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) at++;
      else break;
    }
    this.at = at;
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw this.problem(`nested deeper than ${MAX_DEPTH} levels`);
    this.skipSpaces();
    const char = this.text[this.at];
    switch (char) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.word('true', true);
      case 'f':
        return this.word('false', false);
      case 'n':
        return this.word('null', null);
      case undefined:
        throw this.problem('the document ends where a value was expected');
      default:
        return this.number();
    }
  }

  word<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.at)) throw this.problem(`expected ${word}`);
    this.at += word.length;
    return value;
  }

  object(depth: number): JsonValue {
    const result = emptyJsonObject();
    this.at++; // {
    this.skipSpaces();
    if (this.text[this.at] === '}') {
      this.at++;
      return result;
    }
    for (;;) {
      this.skipSpaces();
      if (this.text[this.at] !== '"') throw this.problem('expected a string key');
      const key = this.string();
      this.skipSpaces();
      if (this.text[this.at] !== ':') throw this.problem('expected ":" after a key');
      this.at++;
      result[key] = this.value(depth + 1);
      this.skipSpaces();
      const next = this.text[this.at++];
      if (next === '}') return result;
      if (next !== ',') throw this.problem('expected "," or "}" in an object', this.at - 1);
    }
  }

  array(depth: number): JsonValue {
    const result: JsonValue[] = [];
    this.at++; // [
    this.skipSpaces();
    if (this.text[this.at] === ']') {
      this.at++;
      return result;
    }
    for (;;) {
      result.push(this.value(depth + 1));
      this.skipSpaces();
      const next = this.text[this.at++];
      if (next === ']') return result;
      if (next !== ',') throw this.problem('expected "," or "]" in an array', this.at - 1);
    }
  }

  string(): string {
    const text = this.text;
    const start = ++this.at; // after the opening quote
    let at = start;
    // Fast path: no escapes.
    for (;;) {
      const code = text.charCodeAt(at);
      if (code === 0x22) {
        this.at = at + 1;
        return text.slice(start, at);
      }
      if (code === 0x5c) break;
      if (Number.isNaN(code)) throw this.problem('unterminated string', start - 1);
      at++;
    }
    let result = text.slice(start, at);
    for (;;) {
      const char = text[at];
      if (char === undefined) throw this.problem('unterminated string', start - 1);
      if (char === '"') {
        this.at = at + 1;
        return result;
      }
      if (char !== '\\') {
        result += char;
        at++;
        continue;
      }
      const escaped = text[at + 1];
      at += 2;
      switch (escaped) {
        case '"':
        case '\\':
        case '/':
          result += escaped;
          break;
        case 'b':
          result += '\b';
          break;
        case 'f':
          result += '\f';
          break;
        case 'n':
          result += '\n';
          break;
        case 'r':
          result += '\r';
          break;
        case 't':
          result += '\t';
          break;
        case 'u': {
          const hex = text.slice(at, at + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.problem('bad \\u escape', at - 2);
          result += String.fromCharCode(Number.parseInt(hex, 16));
          at += 4;
          break;
        }
        default:
          throw this.problem(`bad escape \\${escaped ?? ''}`, at - 2);
      }
    }
  }

  number(): number {
    const text = this.text;
    const start = this.at;
    let at = start;
    if (text[at] === '-' || text[at] === '+') at++;
    if (text.startsWith('NaN', at)) {
      this.at = at + 3;
      return Number.NaN;
    }
    if (text.startsWith('Infinity', at)) {
      this.at = at + 8;
      return text[start] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    }
    const digitsStart = at;
    while (isDigit(text.charCodeAt(at))) at++;
    if (at === digitsStart) throw this.problem('expected a value');
    let isFloat = false;
    if (text[at] === '.') {
      isFloat = true;
      at++;
      while (isDigit(text.charCodeAt(at))) at++;
    }
    if (text[at] === 'e' || text[at] === 'E') {
      isFloat = true;
      at++;
      if (text[at] === '-' || text[at] === '+') at++;
      const exponentStart = at;
      while (isDigit(text.charCodeAt(at))) at++;
      if (at === exponentStart) throw this.problem('expected digits in an exponent');
    }
    this.at = at;
    const literal = text.slice(start, at);
    if (isFloat) return parseFloat32(literal) as number; // the grammar above is a subset of parseFloat32's
    const integer = Number(literal);
    if (!Number.isSafeInteger(integer)) throw this.problem(`integer ${literal} is too large`, start);
    return integer;
  }
}

const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;
