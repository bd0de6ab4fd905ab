/**
 * A forest compiled for scoring: every node of every tree in one index space, as flat typed arrays, so
 * that a row walks the trees without an object per node. Built from the trees a reader found, after
 * checking every node the predictor can reach, so that a forest that exists can score any row.
 */
import type { TreeSpec } from './booster-spec.ts';
import { ModelFormatProblem } from './errors.ts';

/** The nodes of every tree, one index space; tree `t`'s nodes start at `roots[t]`. */
export interface Forest {
  /** The root of each tree. */
  readonly roots: Int32Array;
  /** Feature an internal node splits on; -1 marks a leaf. */
  readonly feature: Int32Array;
  /** Split condition of an internal node (`x < value` goes left); a leaf's value. */
  readonly value: Float32Array;
  /** Left child; the predictor takes `left + 1` for a value that is not below the condition. */
  readonly left: Int32Array;
  /** Right child as the model states it (what TreeSHAP takes as the other branch of the left child). */
  readonly right: Int32Array;
  /** Where a missing value goes: the left or the right child, as the node's default direction says. */
  readonly missing: Int32Array;
  /** Each node's cover ({@link TreeSpec.cover}); undefined when a tree of the forest has none. */
  readonly cover: Float32Array | undefined;
}

/**
 * The forest of `trees`, each checked first (see {@link checkTree}).
 * @throws {ModelFormatProblem} naming the tree and node that cannot be scored.
 */
export function forestFromTrees(trees: readonly TreeSpec[], numFeature: number): Forest {
  let totalNodes = 0;
  trees.forEach((tree, t) => {
    checkTree(tree, t, numFeature);
    totalNodes += tree.left.length;
  });
  const roots = new Int32Array(trees.length);
  const feature = new Int32Array(totalNodes);
  const value = new Float32Array(totalNodes);
  const left = new Int32Array(totalNodes);
  const right = new Int32Array(totalNodes);
  const missing = new Int32Array(totalNodes);
  const cover = trees.every((tree) => tree.cover !== undefined) ? new Float32Array(totalNodes) : undefined;
  let base = 0;
  trees.forEach((tree, t) => {
    roots[t] = base;
    if (cover !== undefined) cover.set(tree.cover as ArrayLike<number>, base);
    value.set(tree.splitCondition, base);
    for (let n = 0; n < tree.left.length; n++) {
      const k = base + n;
      const leftChild = tree.left[n] as number;
      if (leftChild === -1) {
        feature[k] = -1;
        left[k] = -1;
        right[k] = -1;
        missing[k] = -1;
        continue;
      }
      const rightChild = tree.right[n] as number;
      feature[k] = tree.splitIndex[n] as number;
      left[k] = base + leftChild;
      right[k] = base + rightChild;
      missing[k] = base + (tree.defaultLeft[n] ? leftChild : rightChild);
    }
    base += tree.left.length;
  });
  return { roots, feature, value, left, right, missing, cover };
}

/**
 * Checks a forest read back as it was compiled (the packed form): the trees tile the node arrays from node
 * 0, and each passes the same checks as a tree read from a model file.
 * @throws {ModelFormatProblem} naming the tree and node that cannot be scored.
 */
export function checkForest(forest: Forest, numFeature: number): void {
  const { roots, feature, value, left, right, missing, cover } = forest;
  const nodes = feature.length;
  for (const [name, array] of [
    ['values', value],
    ['left children', left],
    ['right children', right],
    ['default children', missing],
    ['covers', cover ?? feature],
  ] as const) {
    if (array.length !== nodes)
      throw new ModelFormatProblem(`the forest has ${nodes} nodes but ${array.length} ${name}`);
  }
  for (let t = 0; t < roots.length; t++) {
    const start = roots[t] as number;
    const end = t + 1 < roots.length ? (roots[t + 1] as number) : nodes;
    // Tree 0 starts at node 0, and each tree ends where the next starts (the last at the end): no gaps, no overlaps.
    if ((t === 0 && start !== 0) || !(start < end && end <= nodes)) {
      throw new ModelFormatProblem(
        `tree ${t} spans nodes ${start} to ${end - 1} of ${nodes}: the trees do not tile the nodes`,
      );
    }
    if (!forestTreeFollowsParents(forest, start, end, numFeature))
      checkTree(treeOfForest(forest, t, start, end), t, numFeature);
  }
}

/**
 * {@link childrenFollowParents} of the forest's nodes `start..end-1`, and each default child one of the two:
 * on the compiled arrays as they are, so that a packed model's cold start converts no tree to check it.
 */
function forestTreeFollowsParents(forest: Forest, start: number, end: number, numFeature: number): boolean {
  const { feature, left, right, missing } = forest;
  for (let k = start; k < end; k++) {
    const f = feature[k] as number;
    if (f === -1) continue;
    const l = left[k] as number;
    const r = right[k] as number;
    const m = missing[k] as number;
    if (!(l > k && l + 1 < end && r > k && r < end && f >= 0 && f < numFeature && (m === l || m === r))) return false;
  }
  return true;
}

/** One tree of the forest in a reader's terms (local indices), for the full check when the quick one fails. */
function treeOfForest(forest: Forest, t: number, start: number, end: number): TreeSpec {
  const n = end - start;
  const local = (child: number): number => (child === -1 ? -1 : child - start);
  const left = new Int32Array(n);
  const right = new Int32Array(n);
  const defaultLeft = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = start + i;
    const leaf = forest.feature[k] === -1;
    left[i] = leaf ? -1 : local(forest.left[k] as number);
    right[i] = leaf ? -1 : local(forest.right[k] as number);
    if (!leaf && forest.missing[k] !== forest.left[k] && forest.missing[k] !== forest.right[k]) {
      throw new ModelFormatProblem(`tree ${t}, node ${i}: its default child is neither its left nor its right child`);
    }
    defaultLeft[i] = !leaf && forest.missing[k] === forest.left[k] ? 1 : 0;
  }
  return {
    left,
    right,
    splitIndex: forest.feature.subarray(start, end),
    splitCondition: forest.value.subarray(start, end),
    defaultLeft,
    sizeLeafVector: 0,
  };
}

/**
 * Checks what the predictor will walk in tree `t`: every node reachable from the root has children inside
 * the tree and a feature inside the model, and no path leads back to an ancestor.
 */
function checkTree(tree: TreeSpec, t: number, numFeature: number): void {
  const n = tree.left.length;
  if (n < 1) throw new ModelFormatProblem(`tree ${t} has no nodes`);
  for (const [name, array] of [
    ['right children', tree.right],
    ['split indices', tree.splitIndex],
    ['split conditions', tree.splitCondition],
    ['default directions', tree.defaultLeft],
  ] as const) {
    if (array.length !== n) {
      throw new ModelFormatProblem(`tree ${t} has ${n} left children but ${array.length} ${name}`);
    }
  }
  if (tree.sizeLeafVector > 1) {
    throw new ModelFormatProblem(
      `tree ${t} has vector leaves (size_leaf_vector ${tree.sizeLeafVector}, multi-target): not supported`,
    );
  }
  if (tree.splitType !== undefined) {
    for (let i = 0; i < n; i++) {
      if (tree.splitType[i] !== 0) {
        throw new ModelFormatProblem(
          `categorical splits are not supported (tree ${t}, node ${i} splits feature ${tree.splitIndex[i]} by category): ` +
            'the endpoint scores numerical splits only',
        );
      }
    }
  }
  if (childrenFollowParents(tree, numFeature)) return;
  // Depth-first from the root over every edge the predictor or TreeSHAP can take: left, left + 1 and right.
  const state = new Uint8Array(n); // 0 unseen, 1 on the current path, 2 done
  const stack: number[] = [0];
  const childIndex: number[] = [0];
  const node = (i: number, what: string): never => {
    throw new ModelFormatProblem(`tree ${t}, node ${i}: ${what}`);
  };
  state[0] = 1;
  while (stack.length > 0) {
    const i = stack[stack.length - 1] as number;
    const left = tree.left[i] as number;
    if (left === -1) {
      state[i] = 2;
      stack.pop();
      childIndex.pop();
      continue;
    }
    if (tree.deleted?.[i]) node(i, 'a deleted node is reachable from the root');
    const feature = tree.splitIndex[i] as number;
    if (!Number.isInteger(feature) || feature < 0 || feature >= numFeature) {
      node(i, `splits on feature ${feature}, but the model has ${numFeature} features`);
    }
    if (!Number.isInteger(left) || left < 0 || left + 1 >= n) {
      node(
        i,
        `left child ${left} (and the right child the predictor takes, ${left + 1}) must be within the tree's ${n} nodes`,
      );
    }
    // The right child is the default one when the default is right, and TreeSHAP's other branch.
    const right = tree.right[i] as number;
    if (!Number.isInteger(right) || right < 0 || right >= n) {
      node(i, `right child ${right} is outside the tree's ${n} nodes`);
    }
    const children = [left, left + 1, right];
    const next = childIndex[childIndex.length - 1] as number;
    if (next === children.length) {
      state[i] = 2;
      stack.pop();
      childIndex.pop();
      continue;
    }
    childIndex[childIndex.length - 1] = next + 1;
    const child = children[next] as number;
    if (state[child] === 1) node(i, `child ${child} leads back to an ancestor: the tree has a cycle`);
    if (state[child] === 0) {
      state[child] = 1;
      stack.push(child);
      childIndex.push(0);
    }
  }
}

/**
 * The quick check, which every tree xgboost grows passes: each split node's children come after it and
 * inside the tree, and its feature inside the model. Then no path can lead back to an ancestor, and every
 * node the predictor reaches is sound, without a walk. A tree that fails it (a pruned legacy binary whose
 * deleted slots were reused, a broken file) gets the walk, which names what is wrong.
 */
function childrenFollowParents(tree: TreeSpec, numFeature: number): boolean {
  const { left, right, splitIndex, deleted } = tree;
  const n = left.length;
  for (let i = 0; i < n; i++) {
    const leftChild = left[i] as number;
    if (leftChild === -1) continue;
    const rightChild = right[i] as number;
    const feature = splitIndex[i] as number;
    if (
      !(
        leftChild > i &&
        leftChild + 1 < n &&
        rightChild > i &&
        rightChild < n &&
        feature >= 0 &&
        feature < numFeature
      ) ||
      !Number.isInteger(leftChild) ||
      !Number.isInteger(rightChild) ||
      !Number.isInteger(feature) ||
      deleted?.[i] === 1
    ) {
      return false;
    }
  }
  return true;
}
