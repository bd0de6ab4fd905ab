/**
 * SageMaker's `model.tar.gz`: a gzip-compressed tar archive (`node:zlib`), the model its one top-level file
 * (`xgboost-model`, as training saves it; see {@link modelMember}). Reads ustar, GNU (`././@LongLink`) and pax (`path=`) long names; checks each header's
 * checksum, so a corrupt archive is reported as such rather than read as garbage.
 */
import { gunzipSync } from 'node:zlib';
import { ModelFormatProblem } from './errors.ts';
import { isTar } from './forms.ts';

/** The member SageMaker's XGBoost training saves the model as. */
export const MODEL_MEMBER = 'xgboost-model';
/** Larger than any model a local endpoint should hold; a guard against a decompression bomb. */
const MAX_UNCOMPRESSED_BYTES = 1024 ** 3;
const BLOCK = 512;
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** One regular file of a tar archive. */
export interface TarMember {
  /** Path in the archive, without a leading `./`. */
  readonly name: string;
  readonly data: Uint8Array;
}

/**
 * Decompresses gzip bytes.
 * @throws {ModelFormatProblem} when they are truncated or corrupt.
 */
export function gunzip(bytes: Uint8Array): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_UNCOMPRESSED_BYTES });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'Z_BUF_ERROR'
        ? 'the gzip stream is truncated'
        : code === 'ERR_BUFFER_TOO_LARGE'
          ? 'it decompresses to more than 1 GB, more than any model the local endpoint should hold'
          : `the gzip stream is corrupt (${(error as Error).message})`;
    throw new ModelFormatProblem(reason);
  }
}

/**
 * The regular files of a tar archive, in archive order.
 * @throws {ModelFormatProblem} on a bad header checksum or a member that runs past the end.
 */
export function readTar(bytes: Uint8Array): TarMember[] {
  const members: TarMember[] = [];
  let longName: string | undefined;
  let offset = 0;
  while (offset + BLOCK <= bytes.length) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break; // end of archive
    if (!checksumMatches(header)) {
      throw new ModelFormatProblem(`the tar archive is corrupt: bad header checksum at offset ${offset}`);
    }
    const declared = octalOrBase256(header.subarray(124, 136), offset);
    const type = String.fromCharCode(header[156] as number);
    const dataStart = offset + BLOCK;
    // Compared as declared (base-256 sizes reach 2^88): nothing is allocated for a member, it is a view.
    if (BigInt(dataStart) + declared > BigInt(bytes.length)) {
      throw new ModelFormatProblem(
        `the tar archive is truncated: a member of ${declared} bytes at offset ${dataStart} runs past its end (${bytes.length} bytes)`,
      );
    }
    const size = Number(declared);
    const data = bytes.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = cString(data, utf8);
      continue;
    }
    if (type === 'x') {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === 'g') continue; // global pax header
    let name = longName ?? headerName(header);
    longName = undefined;
    if (type !== '0' && type !== '\0' && type !== '7') continue; // directories, links, devices
    name = name.replace(/^(\.\/)+/, '');
    members.push({ name, data });
  }
  return members;
}

/**
 * The model of a SageMaker archive, chosen as SageMaker's XGBoost container chooses (1.7-1 and 3.0-5,
 * `serve_utils.get_loaded_booster`): SageMaker extracts the archive into the model directory, and the
 * container loads every regular file at its top level but dotfiles, whatever their names. One such file is
 * the model (`xgboost-model` as training saves it, or any other name). Several are loaded together and, in
 * the container's default ensemble mode, their predictions averaged (k-fold training saves
 * `xgboost-model-0`, `-1`, ...); the endpoint serves one model, so it refuses them rather than serve one
 * of them as if it were the ensemble.
 * @throws {ModelFormatProblem} naming the members when there is no model file, or several.
 */
export function modelMember(members: readonly TarMember[]): TarMember {
  const loaded = members.filter((m) => !m.name.includes('/') && !m.name.startsWith('.'));
  if (loaded.length === 1) return loaded[0] as TarMember;
  const list = (names: readonly string[]): string =>
    `${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''}`;
  const names = members.map((m) => m.name);
  // Several models: xgboost-model beside other files, or k-fold training's xgboost-model-<fold>.
  const ensemble = loaded.some((m) => m.name === MODEL_MEMBER || /^xgboost-model-\d+$/.test(m.name));
  if (loaded.length === 0 || !ensemble) {
    throw new ModelFormatProblem(
      `no member ${MODEL_MEMBER} (${names.length === 0 ? 'the archive is empty' : `members: ${list(names)}`})`,
    );
  }
  const missing = loaded.some((m) => m.name === MODEL_MEMBER) ? '' : `no member ${MODEL_MEMBER}, and `;
  throw new ModelFormatProblem(
    `${missing}${loaded.length} files that SageMaker's XGBoost container would load together and average ` +
      `(ensemble mode): ${list(loaded.map((m) => m.name))}; the endpoint serves one model: archive ${MODEL_MEMBER} alone`,
  );
}

function checksumMatches(header: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] as number);
  const stored = Number.parseInt(cString(header.subarray(148, 156), latin1).trim() || 'x', 8);
  return stored === sum;
}

/** A header's size field: octal digits, or GNU's base-256 (high bit set) for sizes of 8 GB and more. */
function octalOrBase256(field: Uint8Array, at: number): bigint {
  if (((field[0] as number) & 0x80) !== 0) {
    if (((field[0] as number) & 0x40) !== 0) {
      throw new ModelFormatProblem(`the tar archive is corrupt: negative size at offset ${at}`);
    }
    let value = 0n;
    for (let i = 1; i < field.length; i++) value = (value << 8n) | BigInt(field[i] as number);
    return value;
  }
  const text = cString(field, latin1).trim();
  if (!/^[0-7]+$/.test(text)) throw new ModelFormatProblem(`the tar archive is corrupt: bad size at offset ${at}`);
  return BigInt(`0o${text}`);
}

function headerName(header: Uint8Array): string {
  const name = cString(header.subarray(0, 100), utf8);
  // A ustar header (`ustar` at 257, what isTar looks for) has a name prefix; an old-style one has none.
  const prefix = isTar(header) ? cString(header.subarray(345, 500), utf8) : '';
  return prefix === '' ? name : `${prefix}/${name}`;
}

function paxPath(data: Uint8Array): string | undefined {
  // Records: "<length> <key>=<value>\n"
  const text = utf8.decode(data);
  for (const record of text.split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match !== null) return match[1];
  }
  return undefined;
}

function cString(bytes: Uint8Array, decoder: { decode(input: Uint8Array): string }): string {
  const end = bytes.indexOf(0);
  return decoder.decode(end < 0 ? bytes : bytes.subarray(0, end));
}
