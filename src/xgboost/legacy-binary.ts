/**
 * xgboost's legacy binary model format: what `save_model('xgboost-model')` writes without a `.json` or
 * `.ubj` extension (SageMaker's XGBoost containers 1.3-1 to 1.7-1 save it as `xgboost-model`), and what a
 * Booster pickled by xgboost before 1.0 holds. Little-endian, laid out as xgboost 1.7's `learner.cc`,
 * `gbtree_model.cc` and `tree_model.cc` read it:
 *
 * ```text
 * ["binf"]                         4 bytes, written from xgboost 1.0 on
 * LearnerModelParamLegacy          136 bytes: base_score f32, num_feature u32, num_class i32,
 *                                  contain_extra_attrs i32, contain_eval_metrics i32, major_version u32,
 *                                  minor_version u32, num_target u32, boost_from_average i32, reserved[25]
 * objective, booster name          each u64 length + bytes
 * GBTreeModelParam                 160 bytes: num_trees i32, num_parallel_tree i32, ..., size_leaf_vector i32 @28
 * num_trees x tree:  TreeParam     148 bytes: num_roots i32, num_nodes i32, num_deleted i32, max_depth i32,
 *                                  num_feature i32, size_leaf_vector i32, reserved[31]
 *                    nodes         num_nodes x 20: parent i32, left i32, right i32, sindex u32
 *                                  (bit 31 = default left), split condition or leaf value f32
 *                    stats         num_nodes x 16 (loss_chg, sum_hess, base_weight, leaf_child_cnt)
 * tree_info                        num_trees x i32
 * [attributes]                     if contain_extra_attrs: u64 count, then count x (key, value) strings
 * ```
 *
 * Before xgboost 1.0 (`major_version` 0) `base_score` was stored as a margin; xgboost 1.7 converts it on
 * load, and so does the model (see {@link BoosterSpec.baseScoreIsMargin}).
 */
import type { BoosterSpec, TreeSpec } from './booster-spec.ts';
import { ByteReader } from './byte-reader.ts';
import { hasBinfHeader } from './forms.ts';

const LEARNER_PARAM_BYTES = 136;
const GBTREE_PARAM_BYTES = 160;
const TREE_PARAM_BYTES = 148;
const NODE_BYTES = 20;
const STAT_BYTES = 16;
const DELETED_NODE = 0xffffffff;
/** A tree of one node: its parameters, the node, its statistics, its tree_info entry. */
const MIN_TREE_BYTES = TREE_PARAM_BYTES + NODE_BYTES + STAT_BYTES + 4;
const MAX_NAME_BYTES = 256;
const latin1 = new TextDecoder('latin1');

/**
 * Reads a legacy binary model (with or without the `binf` header).
 * @param source What holds the bytes, for messages.
 * @throws {ModelFormatProblem} on truncation (naming the field, offset and size) or implausible contents.
 */
export function readLegacyBinary(bytes: Uint8Array, source = 'the file'): BoosterSpec {
  const reader = new ByteReader(bytes, 'legacy binary model', source, hasBinfHeader(bytes) ? 4 : 0);
  const view = reader.view();
  const paramAt = reader.offset;
  reader.need(LEARNER_PARAM_BYTES, 'the learner parameters (LearnerModelParamLegacy)');
  const baseScore = view.getFloat32(paramAt, true);
  const numFeature = view.getUint32(paramAt + 4, true);
  const numClass = view.getInt32(paramAt + 8, true);
  const containExtraAttrs = view.getInt32(paramAt + 12, true);
  const majorVersion = view.getUint32(paramAt + 20, true);
  const minorVersion = view.getUint32(paramAt + 24, true);
  const numTarget = view.getUint32(paramAt + 28, true) || 1; // 0 before xgboost 1.6
  reader.offset += LEARNER_PARAM_BYTES;

  const objective = readName(reader, 'the objective name');
  const booster = readName(reader, 'the booster name');
  const common = {
    booster,
    objective,
    baseScore,
    baseScoreIsMargin: majorVersion < 1,
    numFeature,
    numClass,
    numTarget,
    writtenBy: majorVersion < 1 ? '0.x' : `${majorVersion}.${minorVersion}`,
  };
  // Other boosters are refused by the model's checks; their bodies (dart weights, linear weights) are not read.
  if (booster !== 'gbtree') return { ...common, numParallelTree: 1, trees: [], treeInfo: [], attributes: {} };

  const gbtreeAt = reader.offset;
  reader.need(GBTREE_PARAM_BYTES, 'the tree booster parameters (GBTreeModelParam)');
  const numTrees = view.getInt32(gbtreeAt, true);
  const numParallelTree = view.getInt32(gbtreeAt + 4, true) || 1; // num_roots (1) before xgboost 1.0
  reader.offset += GBTREE_PARAM_BYTES;
  if (numTrees < 0) throw reader.problem(`the tree count is ${numTrees}`, gbtreeAt);
  // A count beyond the file's length in bytes is corrupt, not truncated: said before any tree is read, or it
  // would be met as garbage where the trees end. (A truncated file names the tree it stops in; nothing is
  // allocated per tree before its bytes are there, whatever the count.)
  if (numTrees > bytes.length) {
    throw reader.problem(
      `the tree count ${numTrees} cannot fit in ${source}'s ${bytes.length} bytes (a tree takes at least ${MIN_TREE_BYTES})`,
      gbtreeAt,
    );
  }

  const trees: TreeSpec[] = [];
  for (let t = 0; t < numTrees; t++) trees.push(readTree(reader, t));
  const treeInfo = new Int32Array(numTrees);
  if (numTrees > 0) {
    reader.need(4 * numTrees, `tree_info (${numTrees} tree groups)`);
    for (let t = 0; t < numTrees; t++) treeInfo[t] = view.getInt32(reader.offset + 4 * t, true);
    reader.offset += 4 * numTrees;
  }
  const attributes: Record<string, string> = {};
  if (containExtraAttrs !== 0) {
    const count = reader.u64('the attribute count', true);
    for (let i = 0; i < count; i++) {
      const key = readString(reader, `attribute ${i}'s name`);
      attributes[key] = readString(reader, `attribute "${key}"'s value`);
    }
  }
  return { ...common, numParallelTree, trees, treeInfo, attributes };
}

function readTree(reader: ByteReader, t: number): TreeSpec {
  const view = reader.view();
  const at = reader.offset;
  reader.need(TREE_PARAM_BYTES, `tree ${t}'s parameters (TreeParam)`);
  const numNodes = view.getInt32(at + 4, true);
  const sizeLeafVector = view.getInt32(at + 20, true);
  reader.offset += TREE_PARAM_BYTES;
  if (numNodes < 1) throw reader.problem(`tree ${t} has ${numNodes} nodes`, at + 4);
  const nodesAt = reader.offset;
  reader.need(NODE_BYTES * numNodes, `tree ${t}'s ${numNodes} nodes`);
  const left = new Int32Array(numNodes);
  const right = new Int32Array(numNodes);
  const splitIndex = new Uint32Array(numNodes);
  const splitCondition = new Float32Array(numNodes);
  const defaultLeft = new Uint8Array(numNodes);
  const deleted = new Uint8Array(numNodes);
  for (let n = 0, o = nodesAt; n < numNodes; n++, o += NODE_BYTES) {
    left[n] = view.getInt32(o + 4, true);
    right[n] = view.getInt32(o + 8, true);
    const sindex = view.getUint32(o + 12, true);
    if (sindex === DELETED_NODE) deleted[n] = 1;
    splitIndex[n] = sindex & 0x7fffffff;
    defaultLeft[n] = sindex >>> 31;
    splitCondition[n] = view.getFloat32(o + 16, true);
  }
  reader.offset += NODE_BYTES * numNodes;
  const statsAt = reader.offset;
  reader.need(STAT_BYTES * numNodes, `tree ${t}'s ${numNodes} node statistics`);
  // RTreeNodeStat: loss_chg f32, sum_hess f32, base_weight f32, leaf_child_cnt i32. The cover is sum_hess.
  const cover = new Float32Array(numNodes);
  for (let n = 0, o = statsAt + 4; n < numNodes; n++, o += STAT_BYTES) cover[n] = view.getFloat32(o, true);
  reader.offset += STAT_BYTES * numNodes;
  return { left, right, splitIndex, splitCondition, defaultLeft, cover, deleted, sizeLeafVector };
}

/** A dmlc string: u64 length, then the bytes. */
function readString(reader: ByteReader, item: string): string {
  const length = reader.u64(`the length of ${item}`, true);
  return latin1.decode(reader.take(length, item));
}

/** An objective or booster name: short and printable, or the bytes are not a legacy binary model at all. */
function readName(reader: ByteReader, item: string): string {
  const at = reader.offset;
  reader.need(8, `the length of ${item}`);
  const length = reader.view().getBigUint64(at, true);
  if (length > BigInt(MAX_NAME_BYTES)) {
    throw reader.problem(`${item} would be ${length} bytes long: this is not a legacy binary model`, at);
  }
  reader.offset += 8;
  const name = latin1.decode(reader.take(Number(length), item));
  if (!/^[\x21-\x7e]+$/.test(name)) {
    throw reader.problem(`${item} is ${JSON.stringify(name)}: this is not a legacy binary model`, at);
  }
  return name;
}
