/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion and Lee, arXiv 1706.06060, Algorithm 2) over a model's
 * {@link Forest}: each feature's contribution to a row's margin, as xgboost's `predict(pred_contribs=True)`
 * computes it up to 3.2 (1.7.4 `src/tree/tree_model.cc`, 2.1 and 3.0 `src/predictor/cpu_treeshap.cc`, 3.2
 * `src/predictor/treeshap.cc`: the same code), float32 operation for operation:
 *
 * - per tree, `CalculateContributions`: the bias column gets the tree's root mean value, the cover-weighted mean
 *   of its leaves (`FillNodeMeanValues`), and `TreeShap` walks every node from the root, the hot child (the one
 *   the row goes to: the prediction rule, `GetNextNode`) before the cold one (the other of left and right as
 *   xgboost takes it), each with zero fraction = child cover / node cover, unwinding a feature met again on the
 *   path before splitting on it anew; each leaf adds its share to the features on its path;
 * - `PredictContribution` adds each tree's float32 vector into the row's, tree by tree, then `base_score` in
 *   margin space ({@link XGBoostModel.baseMargin}) into the bias once.
 *
 * Every value is a float32, rounded after each operation as xgboost's `float` code rounds it (`Math.fround`,
 * or a store into a `Float32Array`): a double holding a float32 is exact, and the double result of one `+ - * /`
 * of two floats rounds to the same float32 the float operation gives (53 >= 2 x 24 + 2 bits). Doubles hold
 * float32 values or integers (depths, indices), with one exception kept on purpose: a column listed twice in a
 * sparse row is summed in double, then rounded, as {@link XGBoostModel.marginSparse} reads it (SciPy's CSR
 * matrix sums float64 values). The bias and the contributions sum to the margin to float32 rounding, not
 * exactly (each is rounded on its own).
 *
 * Covers: a model without them cannot be explained; a split node's cover of 0 is refused (xgboost up to 3.2
 * divides by it, and its output is NaN or infinite for every row); a leaf's cover of 0 divides nothing and is
 * explained as xgboost explains it (see {@link prepare}).
 *
 * Speed, with the same floats: a leaf's path depends on the row only through the decisions (hot or cold) of its
 * ancestors, and a tree's walk only through its nodes' decisions. So the walk of the empty row (every column 0,
 * or every column missing) is kept per model, and a row only walks the subtrees under the nodes whose
 * decision it changes; everything else adds the kept floats, in the order xgboost adds them.
 *
 * From xgboost 3.3, `pred_contribs` computes the same values another way (quadrature, bias in double): expect
 * differences of a few float32 units, not other values.
 */
import { ModelFormatProblem } from './errors.ts';
import type { Forest } from './forest.ts';
import type { XGBoostModel } from './model.ts';

/** A row as {@link XGBoostModel.marginCounts} (or, with `absentIsMissing`, `marginSparse`) takes it. */
export interface ExplainedRow {
  /** 0-based columns. */
  readonly indices: ArrayLike<number>;
  /** The value of each column in `indices`. */
  readonly counts: ArrayLike<number>;
}

/** A row's margin, split into a bias and one contribution per feature (xgboost's `pred_contribs` columns). */
export interface MarginSplit {
  /**
   * The expected margin: each tree's cover-weighted mean leaf value, plus `base_score` in margin space (the
   * last column of xgboost's `pred_contribs`).
   */
  readonly bias: number;
  /** One contribution per feature, `featureCount` long: what each column moved the margin from the bias. */
  readonly contributions: Float64Array;
  /** The row's margin, as the model scores it: bias + the contributions, to float32 rounding. */
  readonly margin: number;
}

const fround = Math.fround;

/**
 * The row's explanation in margin (log-odds) space: `row` as {@link XGBoostModel.marginCounts} takes it (every
 * column not listed is 0, a value), or with `absentIsMissing` as {@link XGBoostModel.marginSparse} reads it
 * (every column not listed is missing; a column listed twice gets the sum). `margin` is the model's own
 * score of the row, exactly. The first explanation of a model prepares it (the trees' means and indexes),
 * and the first of each kind of row walks the empty row to keep: once per model, work that
 * `npm run bench:explain` leaves out of its figures, which time rows after the first.
 * @throws {ModelFormatProblem} when the model cannot be explained: no node covers in its file, or a zero or
 *   non-finite cover where TreeSHAP divides by it (named by tree and node).
 * @throws {RangeError} for a column outside `0..featureCount-1`.
 */
export function treeShap(model: XGBoostModel, row: ExplainedRow, absentIsMissing = false): MarginSplit {
  let explainer = explainers.get(model);
  if (explainer === undefined) {
    explainer = explainerOf(model);
    explainers.set(model, explainer);
  }
  if (typeof explainer === 'string') throw new ModelFormatProblem(explainer);
  const { indices, counts } = row;
  // The model's own margin first: it checks every column, and the explanation must add up to exactly it.
  const margin = absentIsMissing
    ? model.marginSparse({ indices, values: counts })
    : model.marginCounts(indices, counts);
  return explainer(indices, counts, absentIsMissing, margin);
}

type Explainer = (
  indices: ArrayLike<number>,
  counts: ArrayLike<number>,
  absentIsMissing: boolean,
  margin: number,
) => MarginSplit;

/** One explainer per model (its means, kept walks and scratch arrays), or why the model cannot be explained. */
const explainers = new WeakMap<XGBoostModel, Explainer | string>();

/** What a model's trees hold for TreeSHAP beyond scoring, computed once: see {@link prepare}. */
interface Prepared {
  /** Each tree's root mean value (`FillNodeMeanValues`), float32. */
  readonly rootMean: Float64Array;
  /** Tree `t`'s distinct split features are `treeFeatures[featureStart[t] .. featureStart[t + 1] - 1]`. */
  readonly treeFeatures: Int32Array;
  readonly featureStart: Int32Array;
  /** The split nodes on feature `f` are `featureNodes[nodesStart[f] .. nodesStart[f + 1] - 1]`. */
  readonly featureNodes: Int32Array;
  readonly nodesStart: Int32Array;
  /** Each node's tree. */
  readonly treeOf: Int32Array;
  /** Each node's parent (-1 for a root): valid in the trees marked {@link Prepared.shaped}. */
  readonly parent: Int32Array;
  /**
   * 1 for a tree as xgboost grows them (every split's children `left` and `left + 1 = right`, each node reached
   * once): where a kept walk's subtrees can be reused. 0 for another (a hand-made file): walked whole.
   */
  readonly shaped: Uint8Array;
  /** The deepest path over every edge TreeSHAP can take (left, left + 1, right), in splits. */
  readonly maxDepth: number;
}

/**
 * Checks the covers and indexes the trees. The rule for covers, from xgboost up to 3.2: a split node's
 * cover divides in `FillNodeMeanValues` (the node's mean) and in `TreeShap` (its children's zero
 * fractions), so a zero there makes xgboost's bias NaN or infinite for every row, and its contributions with
 * it: no result is defined, and the model is refused, naming the node. (xgboost 3.3's quadrature method
 * defines one instead: both branches weigh 0.5.) A leaf's zero cover divides nothing: its zero fraction is 0,
 * and the result is defined and computed as xgboost computes it. A cover that is not finite is refused
 * wherever it is. Returns the reason for a refusal.
 */
function prepare(forest: Forest, cover: Float32Array, featureCount: number): Prepared | string {
  const { roots, feature, value, left, right } = forest;
  const trees = roots.length;
  const nodes = feature.length;
  const rootMean = new Float64Array(trees);
  const featureStart = new Int32Array(trees + 1);
  const treeFeatures: number[] = [];
  const splits: number[] = [];
  const seenFeature = new Int32Array(featureCount).fill(-1);
  const treeOf = new Int32Array(nodes).fill(-1);
  const parent = new Int32Array(nodes).fill(-1);
  const shaped = new Uint8Array(trees).fill(1);
  const height = new Int32Array(nodes).fill(-1);
  let maxDepth = 0;
  const stack: number[] = [];
  for (let t = 0; t < trees; t++) {
    featureStart[t] = treeFeatures.length;
    const root = roots[t] as number;
    const problem = (k: number, what: string): string => `tree ${t}, node ${k - root}: ${what}`;
    // Every node TreeShap can reach (left, left + 1 and right), each once.
    treeOf[root] = t;
    stack.push(root);
    while (stack.length > 0) {
      const k = stack.pop() as number;
      const c = cover[k] as number;
      if (!Number.isFinite(c)) return problem(k, `its cover is ${c}: explanations need finite covers`);
      const f = feature[k] as number;
      if (f < 0) continue;
      if (c === 0) {
        return problem(
          k,
          'a split node with cover 0: TreeSHAP divides by it (xgboost up to 3.2 gives NaN or infinite values for every ' +
            'row), ' +
            'so no explanation is defined',
        );
      }
      if (seenFeature[f] !== t) {
        seenFeature[f] = t;
        treeFeatures.push(f);
      }
      splits.push(k);
      const l = left[k] as number;
      const r = right[k] as number;
      if (r !== l + 1) shaped[t] = 0;
      for (const child of r === l + 1 ? [l, r] : [l, l + 1, r]) {
        if (treeOf[child] === t) {
          shaped[t] = 0; // reached twice: a DAG, not a tree
          continue;
        }
        treeOf[child] = t;
        parent[child] = k;
        stack.push(child);
      }
    }
    const depth = nodeHeight(root, feature, left, right, height);
    if (depth > maxDepth) maxDepth = depth;
    const mean = nodeMean(root, feature, value, left, right, cover);
    if (!Number.isFinite(mean)) {
      return `tree ${t}: its mean value is ${mean} (FillNodeMeanValues overflows float32 with these covers)`;
    }
    rootMean[t] = mean;
  }
  featureStart[trees] = treeFeatures.length;
  // The split nodes by feature (a counting sort).
  const nodesStart = new Int32Array(featureCount + 1);
  for (const k of splits) {
    const f = feature[k] as number;
    nodesStart[f + 1] = (nodesStart[f + 1] as number) + 1;
  }
  for (let f = 0; f < featureCount; f++) nodesStart[f + 1] = (nodesStart[f + 1] as number) + (nodesStart[f] as number);
  const featureNodes = new Int32Array(splits.length);
  const next = nodesStart.slice(0, featureCount);
  for (const k of splits) {
    const f = feature[k] as number;
    featureNodes[next[f] as number] = k;
    next[f] = (next[f] as number) + 1;
  }
  return {
    rootMean,
    treeFeatures: Int32Array.from(treeFeatures),
    featureStart,
    featureNodes,
    nodesStart,
    treeOf,
    parent,
    shaped,
    maxDepth,
  };
}

/** The longest path below node `k` in splits, over every edge TreeSHAP can take (memoised in `height`). */
function nodeHeight(k: number, feature: Int32Array, left: Int32Array, right: Int32Array, height: Int32Array): number {
  const known = height[k] as number;
  if (known >= 0) return known;
  let h = 0;
  if ((feature[k] as number) >= 0) {
    const l = left[k] as number;
    h =
      1 +
      Math.max(
        nodeHeight(l, feature, left, right, height),
        nodeHeight(l + 1, feature, left, right, height),
        nodeHeight(right[k] as number, feature, left, right, height),
      );
  }
  height[k] = h;
  return h;
}

/**
 * `FillNodeMeanValues`: a leaf's value, or the children's means weighted by their covers over the node's
 * cover, in float32 (left then right, as xgboost adds them; `RightChild`, not `left + 1`).
 */
function nodeMean(
  k: number,
  feature: Int32Array,
  value: Float32Array,
  left: Int32Array,
  right: Int32Array,
  cover: Float32Array,
): number {
  if ((feature[k] as number) < 0) return value[k] as number;
  const l = left[k] as number;
  const r = right[k] as number;
  let result = fround(nodeMean(l, feature, value, left, right, cover) * (cover[l] as number));
  result = fround(result + fround(nodeMean(r, feature, value, left, right, cover) * (cover[r] as number)));
  return fround(result / (cover[k] as number));
}

/** The walk of the empty row of one kind (every column 0, or every column missing), kept for every row. */
interface KeptWalk {
  /** Each split node's hot child in the empty row. */
  readonly hot: Int32Array;
  /** Each tree's contributions, aligned with `treeFeatures`: for a tree whose decisions the row leaves alone. */
  readonly tree: Float32Array;
  /**
   * The shares its leaves added, in the order the walk met them (`feature`, `share`); node `k`'s subtree's are
   * `from[k] .. to[k] - 1`: for a subtree below no changed decision, with none inside.
   */
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly feature: Int32Array;
  readonly share: Float32Array;
}

/** The explainer of a model, or the reason it has none. */
function explainerOf(model: XGBoostModel): Explainer | string {
  const { forest, featureCount, baseMargin } = model;
  const { roots, feature, value, left, right, missing, cover } = forest;
  if (cover === undefined) return 'explanations need node covers: this model file has none';
  const prepared = prepare(forest, cover, featureCount);
  if (typeof prepared === 'string') return prepared;
  const { rootMean, treeFeatures, featureStart, featureNodes, nodesStart, treeOf, parent, shaped, maxDepth } = prepared;
  const trees = roots.length;
  const nodes = feature.length;

  // The path of unique features, as xgboost's PathElement array: one segment per depth of the recursion,
  // `(maxd * (maxd + 1)) / 2` elements with maxd = depth + 2 (`CalculateContributions`), allocated once.
  // zero_fraction, one_fraction and pweight are floats in xgboost: float32 values held in doubles here.
  const maxd = maxDepth + 2;
  const size = (maxd * (maxd + 1)) / 2;
  const pathFeature = new Int32Array(size);
  const pathZero = new Float64Array(size);
  const pathOne = new Float64Array(size);
  const pathWeight = new Float64Array(size);
  /** One tree's contributions (xgboost's `this_tree_contribs`), zero between trees. */
  const treePhi = new Float32Array(featureCount);
  /** The row as xgboost's `FVec` holds it: absent columns 0 (counts) or NaN, i.e. missing (sparse). */
  const zeros = new Float32Array(featureCount);
  const absent = new Float64Array(featureCount).fill(Number.NaN);
  const listed = new Uint8Array(featureCount);
  let x: Float32Array | Float64Array = zeros;
  let useMissing = false;
  /** The child the row's value `v` sends split node `k` to, as the predictor goes (`GetNextNode`): its hot child. */
  const hotChild = (k: number, v: number): number => {
    const l = left[k] as number;
    return useMissing && Number.isNaN(v) ? (missing[k] as number) : v < (value[k] as number) ? l : l + 1;
  };

  /**
   * The parent's path at `from` (elements `0..depth-1`), copied to `at` and extended there by element `depth`
   * (`ExtendPath`: feature, zero and one fractions). xgboost copies, then updates each weight twice, from the
   * last element down: `w[i + 1] += one * w[i] * (i + 1) / (depth + 1)`, then `w[i] = zero * w[i] * (depth - i)
   * / (depth + 1)`. Here each element's final weight is written once, the second update of `w[i]` carried
   * to the next step in a local: the same operations on the same floats, without a chain through memory.
   */
  const extendPath = (from: number, at: number, depth: number, zero: number, one: number, f: number): void => {
    for (let i = 0; i < depth; i++) {
      pathFeature[at + i] = pathFeature[from + i] as number;
      pathZero[at + i] = pathZero[from + i] as number;
      pathOne[at + i] = pathOne[from + i] as number;
    }
    pathFeature[at + depth] = f;
    pathZero[at + depth] = zero;
    pathOne[at + depth] = one;
    const d1 = depth + 1;
    // unique_path[depth].pweight = (depth == 0 ? 1 : 0), before the updates
    let upper = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      const w = pathWeight[from + i] as number;
      pathWeight[at + i + 1] = fround(upper + fround(fround(fround(one * w) * (i + 1)) / d1));
      upper = fround(fround(fround(zero * w) * (depth - i)) / d1);
    }
    pathWeight[at] = upper;
  };

  /** `UnwindPath`: removes element `index` from the path at `at` (length `depth + 1`). */
  const unwindPath = (at: number, depth: number, index: number): void => {
    const one = pathOne[at + index] as number;
    const zero = pathZero[at + index] as number;
    const d1 = depth + 1;
    let next = pathWeight[at + depth] as number;
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = pathWeight[at + i] as number;
        const w = fround(fround(next * d1) / fround((i + 1) * one));
        pathWeight[at + i] = w;
        next = fround(tmp - fround(fround(fround(w * zero) * (depth - i)) / d1));
      } else {
        pathWeight[at + i] = fround(fround((pathWeight[at + i] as number) * d1) / fround(zero * (depth - i)));
      }
    }
    for (let i = index; i < depth; i++) {
      pathFeature[at + i] = pathFeature[at + i + 1] as number;
      pathZero[at + i] = pathZero[at + i + 1] as number;
      pathOne[at + i] = pathOne[at + i + 1] as number;
    }
  };

  /** Per element of a leaf's path: `UnwoundPathSum`'s running `next_one_portion` and `total`. */
  const nextPortion = new Float64Array(maxd + 1);
  const total = new Float64Array(maxd + 1);
  const hotElements = new Int32Array(maxd + 1);
  const coldElements = new Int32Array(maxd + 1);
  /** The kept walk being recorded (the empty row's: see {@link KeptWalk}), or undefined. */
  let recording: { from: Int32Array; to: Int32Array; feature: number[]; share: number[] } | undefined;

  /**
   * A leaf's shares, `phi[feature] += UnwoundPathSum(path, depth, e) * (one - zero) * leaf` for each element
   * `e` of its path but the root's. `UnwoundPathSum` of every element at once, step `i` of all of them before
   * step `i - 1`: each element's operations are xgboost's, in its order (the same floats), but the elements'
   * chains of dependent operations run side by side instead of one after another.
   */
  const leafShares = (at: number, depth: number, leaf: number): void => {
    const d1 = depth + 1;
    const last = pathWeight[at + depth] as number;
    // The elements by UnwoundPathSum's branch: one_fraction not 0 (the row's side of every split on the
    // feature; it is then 1: one fractions are 0 or 1 in pred_contribs), or 0 with a zero_fraction not 0. An
    // element of two zero fractions sums to 0 (xgboost CHECKs that its weights are 0).
    let hotCount = 0;
    let coldCount = 0;
    for (let e = 1; e <= depth; e++) {
      total[e] = 0;
      if ((pathOne[at + e] as number) !== 0) {
        hotElements[hotCount++] = e;
        nextPortion[e] = last;
      } else if ((pathZero[at + e] as number) !== 0) coldElements[coldCount++] = e;
    }
    for (let i = depth - 1; i >= 0; i--) {
      const weight = pathWeight[at + i] as number;
      // (unique_depth - i) / static_cast<float>(unique_depth + 1)
      const part = fround((depth - i) / d1);
      const i1 = i + 1;
      for (let h = 0; h < hotCount; h++) {
        const e = hotElements[h] as number;
        // next_one_portion * (unique_depth + 1) / static_cast<float>((i + 1) * one_fraction), one_fraction 1
        const tmp = fround(fround((nextPortion[e] as number) * d1) / i1);
        total[e] = fround((total[e] as number) + tmp);
        nextPortion[e] = fround(weight - fround(fround(tmp * (pathZero[at + e] as number)) * part));
      }
      for (let c = 0; c < coldCount; c++) {
        const e = coldElements[c] as number;
        total[e] = fround((total[e] as number) + fround(fround(weight / (pathZero[at + e] as number)) / part));
      }
    }
    for (let e = 1; e <= depth; e++) {
      const f = pathFeature[at + e] as number;
      // w * (one - zero) * leaf * condition_fraction, the last 1 in pred_contribs.
      const difference = fround((pathOne[at + e] as number) - (pathZero[at + e] as number));
      const share = fround(fround((total[e] as number) * difference) * leaf);
      treePhi[f] = (treePhi[f] as number) + share;
      if (recording !== undefined) {
        recording.feature.push(f);
        recording.share.push(share);
      }
    }
  };

  /** The kept walk of the current row's kind (see {@link KeptWalk}). */
  let kept: KeptWalk | undefined;
  /** Per row: `flipped[k] === stamp` where the row changes node k's decision; `affected`: k or a node below. */
  const flipped = new Int32Array(nodes);
  const affected = new Int32Array(nodes);
  /** `dirty[t] === stamp`: the row changes a decision of tree `t`. */
  const dirty = new Int32Array(trees);
  let stamp = 0;

  /**
   * `TreeShap` with `condition` 0 (pred_contribs): node `k`, reached with `depth` unique features above it, the
   * parent's path at `parentAt`, and the fractions and feature of the edge that led here. `clean`: no decision
   * above `k` is changed by the row, so a subtree without a changed one adds what the kept walk's added.
   */
  const walk = (
    k: number,
    depth: number,
    parentAt: number,
    zero: number,
    one: number,
    parentFeature: number,
    clean: boolean,
  ): void => {
    if (clean && affected[k] !== stamp) {
      // The leaves' shares depend on their ancestors' decisions only, and the order on the subtree's: the
      // kept walk's, unchanged.
      const { from, to, feature: keptFeature, share } = kept as KeptWalk;
      for (let j = from[k] as number; j < (to[k] as number); j++) {
        const f = keptFeature[j] as number;
        treePhi[f] = (treePhi[f] as number) + (share[j] as number);
      }
      return;
    }
    if (recording !== undefined) recording.from[k] = recording.feature.length;
    const at = parentAt + depth + 1;
    // The parent's path, copied and extended: both children extend it from the same state.
    extendPath(parentAt, at, depth, zero, one, parentFeature);
    const split = feature[k] as number;
    if (split < 0) {
      leafShares(at, depth, value[k] as number);
    } else {
      // The hot child; the cold one, the other of left and right.
      const l = left[k] as number;
      const hot = hotChild(k, x[split] as number);
      const cold = hot === l ? (right[k] as number) : l;
      const w = cover[k] as number;
      const hotZero = fround((cover[hot] as number) / w);
      const coldZero = fround((cover[cold] as number) / w);
      let incomingZero = 1;
      let incomingOne = 1;
      // A feature already on the path is unwound, to be split on again here.
      let index = 0;
      while (index <= depth && pathFeature[at + index] !== split) index++;
      let below = depth;
      if (index <= depth) {
        incomingZero = pathZero[at + index] as number;
        incomingOne = pathOne[at + index] as number;
        unwindPath(at, depth, index);
        below -= 1;
      }
      const cleanBelow = clean && flipped[k] !== stamp;
      walk(hot, below + 1, at, fround(hotZero * incomingZero), incomingOne, split, cleanBelow);
      walk(cold, below + 1, at, fround(coldZero * incomingZero), 0, split, cleanBelow);
    }
    if (recording !== undefined) recording.to[k] = recording.feature.length;
  };

  /**
   * Tree `t`'s contributions to the row in `x` (`CalculateContributions` but for the bias), left in `treePhi`.
   * @throws {ModelFormatProblem} when they are not finite (and leaves `treePhi` zero).
   */
  const explainTree = (t: number, clean: boolean): void => {
    walk(roots[t] as number, 0, 0, 1, 1, -1, clean);
    let check = 0;
    for (let j = featureStart[t] as number; j < (featureStart[t + 1] as number); j++) {
      check += treePhi[treeFeatures[j] as number] as number;
    }
    if (check - check !== 0) {
      treePhi.fill(0);
      throw new ModelFormatProblem(
        `tree ${t}: TreeSHAP is not finite for this row (its covers' ratios leave float32's range): ` +
          'no explanation is defined',
      );
    }
  };

  /** The kept walks, computed by the first row of each kind: [counts (absent 0), sparse (absent missing)]. */
  const keptWalks: [KeptWalk | undefined, KeptWalk | undefined] = [undefined, undefined];
  /** The walk of the empty row in `x` (set by the caller), recorded. */
  const keepWalk = (): KeptWalk => {
    const hot = new Int32Array(nodes);
    for (let k = 0; k < nodes; k++) {
      const split = feature[k] as number;
      if (split >= 0) hot[k] = hotChild(k, x[split] as number);
    }
    const from = new Int32Array(nodes);
    const to = new Int32Array(nodes);
    const tree = new Float32Array(treeFeatures.length);
    recording = { from, to, feature: [], share: [] };
    try {
      for (let t = 0; t < trees; t++) {
        explainTree(t, false);
        for (let j = featureStart[t] as number; j < (featureStart[t + 1] as number); j++) {
          const f = treeFeatures[j] as number;
          tree[j] = treePhi[f] as number;
          treePhi[f] = 0;
        }
      }
      const { feature: keptFeature, share } = recording;
      return { hot, tree, from, to, feature: Int32Array.from(keptFeature), share: Float32Array.from(share) };
    } finally {
      recording = undefined;
    }
  };

  return (indices, counts, absentIsMissing, margin) => {
    const n = indices.length;
    const kind = absentIsMissing ? 1 : 0;
    // Before the row is written: the kept walk is the empty row's.
    x = absentIsMissing ? absent : zeros;
    useMissing = absentIsMissing;
    let keptWalk = keptWalks[kind];
    if (keptWalk === undefined) {
      keptWalk = keepWalk();
      keptWalks[kind] = keptWalk;
    }
    kept = keptWalk;
    if (stamp === 0x7fffffff) {
      flipped.fill(0);
      affected.fill(0);
      dirty.fill(0);
      stamp = 0;
    }
    stamp++;
    // The row's values, as xgboost's FVec holds them (float32); the model's margin already checked the columns.
    if (absentIsMissing) {
      // marginSparse's reading: a column listed twice gets the sum (in double, then float32).
      for (let i = 0; i < n; i++) {
        const column = indices[i] as number;
        const v = counts[i] as number;
        absent[column] = listed[column] === 1 ? (absent[column] as number) + v : v;
        listed[column] = 1;
      }
      for (let i = 0; i < n; i++) absent[indices[i] as number] = fround(absent[indices[i] as number] as number);
    } else {
      // marginCounts's: the last value of a column listed twice.
      for (let i = 0; i < n; i++) zeros[indices[i] as number] = counts[i] as number;
    }
    // The decisions the row changes, on the columns it lists: their nodes, their subtrees' ancestors, their trees.
    const keptHot = keptWalk.hot;
    for (let i = 0; i < n; i++) {
      const column = indices[i] as number;
      const v = x[column] as number;
      for (let j = nodesStart[column] as number; j < (nodesStart[column + 1] as number); j++) {
        const k = featureNodes[j] as number;
        if (hotChild(k, v) === keptHot[k] || flipped[k] === stamp) continue;
        flipped[k] = stamp;
        dirty[treeOf[k] as number] = stamp;
        for (let a = k; a !== -1 && affected[a] !== stamp; a = parent[a] as number) affected[a] = stamp;
      }
    }
    const contributions = new Float64Array(featureCount);
    let bias = 0;
    try {
      for (let t = 0; t < trees; t++) {
        // PredictContribution: this_tree_contribs (the root mean in the bias, TreeShap in the features) added
        // into the row's, column by column in float32; only the tree's own features can be other than 0.
        bias = fround(bias + (rootMean[t] as number));
        const end = featureStart[t + 1] as number;
        if (dirty[t] === stamp) {
          explainTree(t, shaped[t] === 1);
          for (let j = featureStart[t] as number; j < end; j++) {
            const f = treeFeatures[j] as number;
            contributions[f] = fround((contributions[f] as number) + (treePhi[f] as number));
            treePhi[f] = 0;
          }
        } else {
          const tree = keptWalk.tree;
          for (let j = featureStart[t] as number; j < end; j++) {
            const f = treeFeatures[j] as number;
            contributions[f] = fround((contributions[f] as number) + (tree[j] as number));
          }
        }
      }
    } finally {
      for (let i = 0; i < n; i++) {
        const column = indices[i] as number;
        zeros[column] = 0;
        absent[column] = Number.NaN;
        listed[column] = 0;
      }
    }
    return { bias: fround(bias + baseMargin), contributions, margin };
  };
}
