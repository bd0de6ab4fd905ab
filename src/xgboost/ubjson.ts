/**
 * A reader for UBJSON (https://ubjson.org) as xgboost writes it: `save_model('m.ubj')`, the default model
 * format from xgboost 2.1, and the `{"Config", "Model"}` snapshot a Booster pickled by xgboost 1.6 or later
 * holds. xgboost's writer emits every container with a count (`[#L<n>`), the node arrays as strongly typed
 * arrays (`[$d#L<n>` float32, `[$l#L<n>` int32, `[$U#L<n>` uint8, `[$L#L<n>` int64), big-endian, and every
 * string with an `L` length. The reader also takes the rest of the spec a writer may use: other integer
 * markers for lengths and counts, uncounted containers, `D` (float64), `C` and the no-op `N`.
 */
import { ByteReader } from './byte-reader.ts';
import { ModelFormatProblem } from './errors.ts';
import { emptyJsonObject, type JsonValue, type NumericArray } from './json-value.ts';

const MAX_DEPTH = 256;
const textDecoder = new TextDecoder('utf-8');

/**
 * Parses one UBJSON value from `bytes` (trailing bytes are an error).
 * @param source What holds the bytes, for messages (`the file`, `the pickle's Booster handle`).
 * @throws {ModelFormatProblem} on truncation (naming what was being read and where) or a bad marker.
 */
export function parseUbjson(bytes: Uint8Array, source = 'the file'): JsonValue {
  const reader = new ByteReader(bytes, 'UBJSON', source);
  const value = readValue(reader, reader.u8('the first marker'), 0);
  if (reader.remaining > 0) throw reader.problem(`${reader.remaining} bytes after the end of the document`);
  return value;
}

function markerName(marker: number): string {
  return marker >= 0x20 && marker < 0x7f ? `"${String.fromCharCode(marker)}"` : `0x${marker.toString(16)}`;
}

function readValue(reader: ByteReader, marker: number, depth: number): JsonValue {
  if (depth > MAX_DEPTH) throw reader.problem(`nested deeper than ${MAX_DEPTH} levels`);
  switch (marker) {
    case 0x7b: // {
      return readObject(reader, depth);
    case 0x5b: // [
      return readArray(reader, depth);
    case 0x5a: // Z
      return null;
    case 0x54: // T
      return true;
    case 0x46: // F
      return false;
    case 0x53: // S
      return readString(reader, 'a string');
    case 0x43: // C: xgboost reads a char as an integer
      return reader.i8('a char');
    case 0x48: // H
      throw reader.problem('high-precision numbers (H) are not part of an xgboost model', reader.offset - 1);
    default: {
      const number = readNumber(reader, marker, 'a number');
      if (number === undefined) {
        throw reader.problem(`unknown marker ${markerName(marker)}`, reader.offset - 1);
      }
      return number;
    }
  }
}

/** A scalar number for `marker`, or `undefined` when the marker is not a number type. */
function readNumber(reader: ByteReader, marker: number, item: string): number | undefined {
  switch (marker) {
    case 0x69: // i
      return reader.i8(item);
    case 0x55: // U
      return reader.u8(item);
    case 0x49: // I
      return reader.i16(item, false);
    case 0x6c: // l
      return reader.i32(item, false);
    case 0x4c: // L
      return reader.i64(item, false);
    case 0x64: // d
      return reader.f32(item, false);
    case 0x44: // D
      return reader.f64(item, false);
    default:
      return undefined;
  }
}

/** A length or count: an integer marker, then a non-negative integer. */
function readLength(reader: ByteReader, item: string): number {
  const at = reader.offset;
  const marker = reader.u8(`the type of ${item}`);
  if (marker !== 0x69 && marker !== 0x55 && marker !== 0x49 && marker !== 0x6c && marker !== 0x4c) {
    throw reader.problem(`${item} has type ${markerName(marker)}, not an integer`, at);
  }
  const length = readNumber(reader, marker, item) as number;
  if (length < 0) throw reader.problem(`${item} is negative (${length})`, at);
  return length;
}

function readString(reader: ByteReader, item: string): string {
  const length = readLength(reader, `the length of ${item}`);
  return textDecoder.decode(reader.take(length, item));
}

/** Skips no-op markers (`N`) and returns the next marker. */
function nextMarker(reader: ByteReader, item: string): number {
  let marker = reader.u8(item);
  while (marker === 0x4e) marker = reader.u8(item);
  return marker;
}

function peek(reader: ByteReader): number | undefined {
  return reader.bytes[reader.offset];
}

function readObject(reader: ByteReader, depth: number): JsonValue {
  const result = emptyJsonObject();
  if (peek(reader) === 0x24) throw reader.problem('typed objects ({$) are not part of an xgboost model');
  let count: number | undefined;
  if (peek(reader) === 0x23) {
    reader.offset++;
    count = readLength(reader, 'an object count');
    // Each entry takes at least three bytes (a key's length marker and length, a value's marker).
    reader.need(3 * count, `${count} object entries`);
  }
  for (let i = 0; count === undefined || i < count; i++) {
    if (count === undefined) {
      if (peek(reader) === 0x7d) {
        reader.offset++;
        return result;
      }
    }
    const key = readString(reader, 'an object key');
    result[key] = readValue(reader, nextMarker(reader, `the value of "${key}"`), depth + 1);
  }
  // A counted object: xgboost's writer still closes it with "}"; the spec leaves it out.
  if (peek(reader) === 0x7d) reader.offset++;
  return result;
}

function readArray(reader: ByteReader, depth: number): JsonValue {
  if (peek(reader) === 0x24) return readTypedArray(reader);
  let count: number | undefined;
  if (peek(reader) === 0x23) {
    reader.offset++;
    count = readLength(reader, 'an array count');
  }
  const result: JsonValue[] = [];
  if (count !== undefined) {
    // Each element takes at least one byte: a count beyond the bytes left is a truncated file.
    reader.need(count, `${count} array elements`);
    for (let i = 0; i < count; i++) result.push(readValue(reader, nextMarker(reader, 'an array element'), depth + 1));
    return result;
  }
  for (;;) {
    const marker = nextMarker(reader, 'an array element or "]"');
    if (marker === 0x5d) return result;
    result.push(readValue(reader, marker, depth + 1));
  }
}

const TYPED: Readonly<
  Record<number, { size: number; name: string; make: (n: number) => NumericArray; set: SetElement }>
> = {
  100: { size: 4, name: 'float32', make: (n) => new Float32Array(n), set: (a, i, v, o) => (a[i] = v.getFloat32(o)) },
  68: { size: 8, name: 'a float64', make: (n) => new Float64Array(n), set: (a, i, v, o) => (a[i] = v.getFloat64(o)) },
  105: { size: 1, name: 'an int8', make: (n) => new Int8Array(n), set: (a, i, v, o) => (a[i] = v.getInt8(o)) },
  85: { size: 1, name: 'a uint8', make: (n) => new Uint8Array(n), set: (a, i, v, o) => (a[i] = v.getUint8(o)) },
  73: { size: 2, name: 'an int16', make: (n) => new Int16Array(n), set: (a, i, v, o) => (a[i] = v.getInt16(o)) },
  108: { size: 4, name: 'an int32', make: (n) => new Int32Array(n), set: (a, i, v, o) => (a[i] = v.getInt32(o)) },
  76: { size: 8, name: 'an int64', make: (n) => new Float64Array(n), set: setInt64 },
};
type SetElement = (array: NumericArray, index: number, view: DataView, offset: number) => void;

/** int64 elements become exact doubles; one beyond 2^53 cannot be a node index, count or feature. */
function setInt64(array: NumericArray, index: number, view: DataView, offset: number): void {
  const value = view.getBigInt64(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new ModelFormatProblem(`UBJSON: int64 array element ${index} is ${value}, beyond 2^53`);
  }
  array[index] = Number(value);
}

function readTypedArray(reader: ByteReader): JsonValue {
  const start = reader.offset;
  reader.offset++; // $
  const type = reader.u8('the element type of a typed array');
  const spec = TYPED[type];
  if (spec === undefined) {
    throw reader.problem(`typed arrays of ${markerName(type)} are not part of an xgboost model`, start);
  }
  if (reader.u8('the count of a typed array') !== 0x23) throw reader.problem('a typed array without a count', start);
  const count = readLength(reader, `the count of ${spec.name} array`);
  const bytes = reader.take(count * spec.size, `${spec.name} array of ${count} elements`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const result = spec.make(count);
  for (let i = 0, offset = 0; i < count; i++, offset += spec.size) spec.set(result, i, view, offset);
  return result;
}
