/**
 * Bounds-checked reads over model bytes. Every read names what it reads, so a short file fails with
 * "truncated legacy binary model: expected 20 bytes for tree 3's node 7 at offset 1234, the file has 1200"
 * instead of reading past the end or returning garbage.
 */
import { ModelFormatProblem } from './errors.ts';

/** A cursor over bytes, reading little- or big-endian values and failing clearly at the end. */
export class ByteReader {
  /** The bytes read. */
  readonly bytes: Uint8Array;
  /** Offset of the next read. */
  offset: number;
  /** What the bytes are, for messages: `legacy binary model`, `UBJSON`, ... */
  readonly what: string;
  /** What holds the bytes, for messages: `the file`, `the pickle's Booster handle`, ... */
  readonly source: string;
  readonly #view: DataView;

  constructor(bytes: Uint8Array, what: string, source = 'the file', offset = 0) {
    this.bytes = bytes;
    this.what = what;
    this.source = source;
    this.offset = offset;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes left after the cursor. */
  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /**
   * Checks that `count` bytes can be read for `item`.
   * @throws {ModelFormatProblem} naming the item, the offset and the size when they cannot.
   */
  need(count: number, item: string): void {
    if (count > this.remaining) {
      throw new ModelFormatProblem(
        `truncated ${this.what}: expected ${count} byte${count === 1 ? '' : 's'} for ${item} at offset ${this.offset}, ` +
          `${this.source} has ${this.bytes.length}`,
      );
    }
  }

  /** A failure at the current offset: `<what> at offset N: <message>`. */
  problem(message: string, at = this.offset): ModelFormatProblem {
    return new ModelFormatProblem(`${this.what} at offset ${at}: ${message}`);
  }

  /** An unsigned byte; `item` names it in a truncation message. */
  u8(item: string): number {
    this.need(1, item);
    return this.bytes[this.offset++] as number;
  }

  /** `count` bytes as a view (no copy). */
  take(count: number, item: string): Uint8Array {
    this.need(count, item);
    const slice = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }

  /** A signed byte. */
  i8(item: string): number {
    this.need(1, item);
    return this.#view.getInt8(this.offset++);
  }

  /** A signed 16-bit integer. */
  i16(item: string, littleEndian: boolean): number {
    this.need(2, item);
    const value = this.#view.getInt16(this.offset, littleEndian);
    this.offset += 2;
    return value;
  }

  /** An unsigned 16-bit integer. */
  u16(item: string, littleEndian: boolean): number {
    this.need(2, item);
    const value = this.#view.getUint16(this.offset, littleEndian);
    this.offset += 2;
    return value;
  }

  /** A signed 32-bit integer. */
  i32(item: string, littleEndian: boolean): number {
    this.need(4, item);
    const value = this.#view.getInt32(this.offset, littleEndian);
    this.offset += 4;
    return value;
  }

  /** An unsigned 32-bit integer. */
  u32(item: string, littleEndian: boolean): number {
    this.need(4, item);
    const value = this.#view.getUint32(this.offset, littleEndian);
    this.offset += 4;
    return value;
  }

  /** A float32, as a number (exactly). */
  f32(item: string, littleEndian: boolean): number {
    this.need(4, item);
    const value = this.#view.getFloat32(this.offset, littleEndian);
    this.offset += 4;
    return value;
  }

  /** A float64. */
  f64(item: string, littleEndian: boolean): number {
    this.need(8, item);
    const value = this.#view.getFloat64(this.offset, littleEndian);
    this.offset += 8;
    return value;
  }

  /**
   * A 64-bit integer as a number.
   * @throws {ModelFormatProblem} when it is beyond 2^53, which no count or length in a model can be.
   */
  i64(item: string, littleEndian: boolean): number {
    this.need(8, item);
    const at = this.offset;
    const value = this.#view.getBigInt64(this.offset, littleEndian);
    this.offset += 8;
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw this.problem(`${item} is ${value}, not a plausible count or length`, at);
    }
    return Number(value);
  }

  /** An unsigned 64-bit integer as a number; see {@link ByteReader.i64}. */
  u64(item: string, littleEndian: boolean): number {
    this.need(8, item);
    const at = this.offset;
    const value = this.#view.getBigUint64(this.offset, littleEndian);
    this.offset += 8;
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw this.problem(`${item} is ${value}, not a plausible count or length`, at);
    }
    return Number(value);
  }

  /** A view of the bytes for reads at computed offsets (no cursor, no bounds messages: call `need` first). */
  view(): DataView {
    return this.#view;
  }
}
