/**
 * The packed form of a model: what `npm run build -- --model FILE` bundles into the Lambda artifact. A
 * model file in any of xgboost's forms takes tens of milliseconds to parse on a cold process (the default
 * model: `npm run bench:model-load`); its packed form is the model as compiled for scoring (`CompiledModel`: the
 * forest's node arrays, the objective and `base_score`), which a cold start views in place and checks as
 * it checks any model, so a packed model scores as the file it was packed from: bit for bit, as xgboost.
 *
 * ```text
 * "XGBPACK\x01"                     8 bytes
 * header length                     u32, little-endian
 * header                            UTF-8 JSON: objective, baseScore, featureCount, treesInModel, the
 *                                   description and forms of the file it was packed from, the counts
 * padding                           zeros, to a multiple of 4
 * roots[trees]                      i32: each tree's first node
 * feature, left, right, missing     i32 per node, all trees end to end (global node indices)
 * value, cover?                     f32 per node
 * ```
 */
import { ModelFormatProblem } from './errors.ts';
import type { Forest } from './forest.ts';
import { PACKED_MAGIC } from './forms.ts';
import type { CompiledModel, XGBoostModel } from './model.ts';

/** What a packed file holds besides the arrays. */
interface PackedHeader {
  readonly objective: string;
  readonly baseScore: number;
  readonly featureCount: number;
  readonly treesInModel: number;
  /** The model's description when it was packed (`XGBoost gbtree binary:logistic, 329 trees, ...`). */
  readonly description: string;
  /** The forms of the file it was packed from, outermost first. */
  readonly forms: readonly string[];
  readonly trees: number;
  readonly nodes: number;
  readonly hasCover: boolean;
}

/** A model read from its packed form. */
export interface UnpackedModel {
  readonly compiled: CompiledModel;
  /** The description of the file it was packed from. */
  readonly description: string;
  /** The forms of the file it was packed from. */
  readonly forms: readonly string[];
}

const MAGIC_BYTES = PACKED_MAGIC.length;
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Bytes of the arrays of `trees` trees of `nodes` nodes in all. */
const arrayBytes = (trees: number, nodes: number, hasCover: boolean): number =>
  4 * (trees + 4 * nodes + nodes + (hasCover ? nodes : 0));

/** Packs a model; `forms` are those of the file it was read from (what its description ends with). */
export function packModel(model: XGBoostModel, forms: readonly string[]): Uint8Array {
  const { forest } = model;
  const nodes = forest.feature.length;
  const hasCover = forest.cover !== undefined;
  const header: PackedHeader = {
    objective: model.objective,
    baseScore: model.baseScore,
    featureCount: model.featureCount,
    treesInModel: model.treesInModel,
    description: model.description,
    forms,
    trees: forest.roots.length,
    nodes,
    hasCover,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const arraysAt = align4(MAGIC_BYTES + 4 + headerBytes.length);
  const bytes = new Uint8Array(arraysAt + arrayBytes(forest.roots.length, nodes, hasCover));
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < MAGIC_BYTES; i++) bytes[i] = PACKED_MAGIC.charCodeAt(i);
  view.setUint32(MAGIC_BYTES, headerBytes.length, true);
  bytes.set(headerBytes, MAGIC_BYTES + 4);
  let at = arraysAt;
  for (const array of [forest.roots, forest.feature, forest.left, forest.right, forest.missing]) {
    for (let i = 0; i < array.length; i++, at += 4) view.setInt32(at, array[i] as number, true);
  }
  for (const array of hasCover ? [forest.value, forest.cover as Float32Array] : [forest.value]) {
    for (let i = 0; i < array.length; i++, at += 4) view.setFloat32(at, array[i] as number, true);
  }
  return bytes;
}

/**
 * Reads a packed model. The arrays are views of `bytes` where they are aligned (the usual case: a file
 * read whole), so `bytes` must not change afterwards. `XGBoostModel.fromCompiled` checks what it holds.
 * @throws {ModelFormatProblem} for a truncated or inconsistent packed file.
 */
export function unpackModel(bytes: Uint8Array): UnpackedModel {
  if (bytes.length < MAGIC_BYTES + 4) throw new ModelFormatProblem('the packed model is truncated: no header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC_BYTES, true);
  if (MAGIC_BYTES + 4 + headerLength > bytes.length) {
    throw new ModelFormatProblem(`the packed model is truncated: a ${headerLength}-byte header does not fit`);
  }
  let header: PackedHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC_BYTES + 4, MAGIC_BYTES + 4 + headerLength)));
  } catch (error) {
    throw new ModelFormatProblem(`the packed model's header is not JSON (${(error as Error).message})`);
  }
  const { trees, nodes, hasCover } = header ?? {};
  if (!isCount(trees) || !isCount(nodes) || typeof hasCover !== 'boolean') {
    throw new ModelFormatProblem('the packed model has no valid tree and node counts in its header');
  }
  const arraysAt = align4(MAGIC_BYTES + 4 + headerLength);
  const expected = arraysAt + arrayBytes(trees, nodes, hasCover);
  if (bytes.length !== expected) {
    throw new ModelFormatProblem(
      `the packed model is truncated or padded: ${bytes.length} bytes, where ${trees} trees of ${nodes} nodes take ${expected}`,
    );
  }
  // Aligned little-endian bytes are viewed in place; anything else is copied into aligned memory first.
  const source =
    littleEndian && (bytes.byteOffset + arraysAt) % 4 === 0 ? bytes : alignedCopy(bytes.subarray(arraysAt), arraysAt);
  let at = source.byteOffset + arraysAt;
  const i32 = (count: number): Int32Array => {
    const array = new Int32Array(source.buffer, at, count);
    at += 4 * count;
    return array;
  };
  const f32 = (count: number): Float32Array => {
    const array = new Float32Array(source.buffer, at, count);
    at += 4 * count;
    return array;
  };
  const forest: Forest = {
    roots: i32(trees),
    feature: i32(nodes),
    left: i32(nodes),
    right: i32(nodes),
    missing: i32(nodes),
    value: f32(nodes),
    cover: hasCover ? f32(nodes) : undefined,
  };
  return {
    compiled: {
      objective: String(header.objective),
      baseScore: Number(header.baseScore),
      featureCount: Number(header.featureCount),
      forest,
      treesInModel: isCount(header.treesInModel) ? header.treesInModel : trees,
    },
    description: String(header.description ?? ''),
    forms: Array.isArray(header.forms) ? header.forms.map(String) : [],
  };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function align4(offset: number): number {
  return (offset + 3) & ~3;
}

/**
 * `arrays` in fresh memory that is aligned, and little-endian whatever the machine: placed `offset` bytes
 * into the buffer, as the arrays are in the file.
 */
function alignedCopy(arrays: Uint8Array, offset: number): Uint8Array {
  const copy = new Uint8Array(offset + arrays.length);
  copy.set(arrays, offset);
  if (!littleEndian) {
    // Every array is of 4-byte elements: swap each one's bytes into the machine's order.
    for (let i = offset; i < copy.length; i += 4) {
      const [a, b, c, d] = [copy[i], copy[i + 1], copy[i + 2], copy[i + 3]] as number[];
      copy.set([d as number, c as number, b as number, a as number], i);
    }
  }
  return copy;
}
