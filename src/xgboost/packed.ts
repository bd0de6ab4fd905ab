/**
 * The packed form of a model: what `npm run build -- --model FILE` bundles into the Lambda artifact. A
 * model file in any of xgboost's forms takes tens of milliseconds to parse on a cold process (the default
 * model's UBJSON about 35 ms); its packed form is the trees' node arrays as they lie in memory, which a
 * cold start views in place, and the loader then checks and compiles exactly as it does any other form,
 * so a packed model scores as the file it was packed from: bit for bit, as xgboost.
 *
 * ```text
 * "XGBPACK\x01"                     8 bytes
 * header length                     u32, little-endian
 * header                            UTF-8 JSON: the learner's parameters, the forms the model was packed
 *                                   from, which optional arrays follow, the total node count
 * padding                           zeros, to a multiple of 4
 * nodeCount[trees], treeInfo[trees] i32 each
 * left, right, splitIndex           i32 per node, all trees end to end
 * splitCondition, cover?            f32 per node
 * defaultLeft, deleted?             u8 per node
 * ```
 */
import type { BoosterSpec, TreeSpec } from './booster-spec.ts';
import { ModelFormatProblem } from './errors.ts';
import { PACKED_MAGIC } from './forms.ts';

/** What a packed file holds besides the trees. */
interface PackedHeader {
  readonly booster: string;
  readonly objective: string;
  readonly baseScore: number;
  readonly baseScoreIsMargin: boolean;
  readonly numFeature: number;
  readonly numClass: number;
  readonly numTarget: number;
  readonly numParallelTree: number;
  readonly attributes: Readonly<Record<string, string>>;
  readonly writtenBy: string | null;
  /** The forms of the file it was packed from, outermost first. */
  readonly forms: readonly string[];
  readonly bestNtreeLimit: number | null;
  readonly trees: number;
  readonly nodes: number;
  readonly hasCover: boolean;
  readonly hasDeleted: boolean;
}

/** A model read from its packed form. */
export interface UnpackedModel {
  readonly spec: BoosterSpec;
  /** The forms of the file it was packed from. */
  readonly forms: readonly string[];
  readonly bestNtreeLimit: number | undefined;
}

const MAGIC_BYTES = PACKED_MAGIC.length;
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Packs a model's booster. Every tree must already have passed the model's checks (pack what
 * `readXGBoostModel` returned), so that only a model that scores can be packed.
 */
export function packModel(spec: BoosterSpec, forms: readonly string[], bestNtreeLimit?: number): Uint8Array {
  const trees = spec.trees;
  const nodes = trees.reduce((sum, tree) => sum + tree.left.length, 0);
  const hasCover = trees.every((tree) => tree.cover !== undefined);
  const hasDeleted = trees.some((tree) => tree.deleted !== undefined);
  const header: PackedHeader = {
    booster: spec.booster,
    objective: spec.objective,
    baseScore: spec.baseScore,
    baseScoreIsMargin: spec.baseScoreIsMargin,
    numFeature: spec.numFeature,
    numClass: spec.numClass,
    numTarget: spec.numTarget,
    numParallelTree: spec.numParallelTree,
    attributes: spec.attributes,
    writtenBy: spec.writtenBy ?? null,
    forms,
    bestNtreeLimit: bestNtreeLimit ?? null,
    trees: trees.length,
    nodes,
    hasCover,
    hasDeleted,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const arraysAt = align4(MAGIC_BYTES + 4 + headerBytes.length);
  const size = arraysAt + 4 * (2 * trees.length + 4 * nodes + (hasCover ? nodes : 0)) + nodes * (hasDeleted ? 2 : 1);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < MAGIC_BYTES; i++) bytes[i] = PACKED_MAGIC.charCodeAt(i);
  view.setUint32(MAGIC_BYTES, headerBytes.length, true);
  bytes.set(headerBytes, MAGIC_BYTES + 4);
  let at = arraysAt;
  const putI32 = (value: number) => {
    view.setInt32(at, value, true);
    at += 4;
  };
  const putF32 = (value: number) => {
    view.setFloat32(at, value, true);
    at += 4;
  };
  for (const tree of trees) putI32(tree.left.length);
  for (let t = 0; t < trees.length; t++) putI32(spec.treeInfo[t] as number);
  const eachNode = (read: (tree: TreeSpec) => ArrayLike<number>, put: (value: number) => void) => {
    for (const tree of trees) {
      const values = read(tree);
      for (let n = 0; n < tree.left.length; n++) put(values[n] as number);
    }
  };
  eachNode((tree) => tree.left, putI32);
  eachNode((tree) => tree.right, putI32);
  eachNode((tree) => tree.splitIndex, putI32);
  eachNode((tree) => tree.splitCondition, putF32);
  if (hasCover) eachNode((tree) => tree.cover as ArrayLike<number>, putF32);
  const putU8 = (value: number) => {
    bytes[at++] = value ? 1 : 0;
  };
  eachNode((tree) => tree.defaultLeft, putU8);
  if (hasDeleted) eachNode((tree) => tree.deleted ?? new Uint8Array(tree.left.length), putU8);
  return bytes;
}

/**
 * Reads a packed model. The trees are views of `bytes` where they are aligned (the usual case: a file
 * read whole), so `bytes` must not change afterwards.
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
  const { trees, nodes, hasCover, hasDeleted } = header ?? {};
  if (!isCount(trees) || !isCount(nodes) || typeof hasCover !== 'boolean' || typeof hasDeleted !== 'boolean') {
    throw new ModelFormatProblem('the packed model has no valid tree and node counts in its header');
  }
  const arraysAt = align4(MAGIC_BYTES + 4 + headerLength);
  const expected = arraysAt + 4 * (2 * trees + 4 * nodes + (hasCover ? nodes : 0)) + nodes * (hasDeleted ? 2 : 1);
  if (bytes.length !== expected) {
    throw new ModelFormatProblem(
      `the packed model is ${bytes.length} bytes, but ${trees} trees of ${nodes} nodes in all take ${expected}`,
    );
  }
  // Aligned little-endian bytes are viewed in place; anything else is copied into aligned memory first.
  const aligned = littleEndian && (bytes.byteOffset + arraysAt) % 4 === 0 ? bytes : new Uint8Array(bytes).subarray(0);
  const buffer = aligned.buffer;
  let at = aligned.byteOffset + arraysAt;
  const i32 = (count: number): Int32Array => {
    const array = littleEndian ? new Int32Array(buffer, at, count) : readI32(bytes, at - aligned.byteOffset, count);
    at += 4 * count;
    return array;
  };
  const f32 = (count: number): Float32Array => {
    const array = littleEndian ? new Float32Array(buffer, at, count) : readF32(bytes, at - aligned.byteOffset, count);
    at += 4 * count;
    return array;
  };
  const u8 = (count: number): Uint8Array => {
    const array = new Uint8Array(buffer, at, count);
    at += count;
    return array;
  };
  const nodeCounts = i32(trees);
  const treeInfo = i32(trees);
  const left = i32(nodes);
  const right = i32(nodes);
  const splitIndex = i32(nodes);
  const splitCondition = f32(nodes);
  const cover = hasCover ? f32(nodes) : undefined;
  const defaultLeft = u8(nodes);
  const deleted = hasDeleted ? u8(nodes) : undefined;

  const treeSpecs: TreeSpec[] = [];
  let start = 0;
  for (let t = 0; t < trees; t++) {
    const count = nodeCounts[t] as number;
    if (!(count >= 1 && start + count <= nodes)) {
      throw new ModelFormatProblem(`the packed model's tree ${t} has ${count} nodes, more than the file holds`);
    }
    const end = start + count;
    treeSpecs.push({
      left: left.subarray(start, end),
      right: right.subarray(start, end),
      splitIndex: splitIndex.subarray(start, end),
      splitCondition: splitCondition.subarray(start, end),
      defaultLeft: defaultLeft.subarray(start, end),
      ...(cover === undefined ? {} : { cover: cover.subarray(start, end) }),
      ...(deleted === undefined ? {} : { deleted: deleted.subarray(start, end) }),
      sizeLeafVector: 0,
    });
    start = end;
  }
  if (start !== nodes) throw new ModelFormatProblem(`the packed model's trees hold ${start} of its ${nodes} nodes`);
  return {
    spec: {
      booster: String(header.booster),
      objective: String(header.objective),
      baseScore: Number(header.baseScore),
      baseScoreIsMargin: header.baseScoreIsMargin === true,
      numFeature: Number(header.numFeature),
      numClass: Number(header.numClass),
      numTarget: Number(header.numTarget),
      numParallelTree: Number(header.numParallelTree),
      trees: treeSpecs,
      treeInfo,
      attributes: header.attributes ?? {},
      writtenBy: header.writtenBy ?? undefined,
    },
    forms: Array.isArray(header.forms) ? header.forms.map(String) : [],
    bestNtreeLimit: isCount(header.bestNtreeLimit) ? header.bestNtreeLimit : undefined,
  };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function align4(offset: number): number {
  return (offset + 3) & ~3;
}

function readI32(bytes: Uint8Array, at: number, count: number): Int32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Int32Array.from({ length: count }, (_, i) => view.getInt32(at + 4 * i, true));
}

function readF32(bytes: Uint8Array, at: number, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: count }, (_, i) => view.getFloat32(at + 4 * i, true));
}
