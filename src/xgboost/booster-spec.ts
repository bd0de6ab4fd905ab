/**
 * What every reader (JSON, UBJSON, legacy binary) takes out of a model file: the learner's parameters and
 * each tree's node arrays, as xgboost holds them after loading. Nothing here is checked yet; `XGBoostModel`
 * validates it all before a model can answer.
 */

/** One regression tree, node-indexed arrays as in xgboost's JSON model (`RegTree::SaveModel`). */
export interface TreeSpec {
  /** Left child of each node, -1 for a leaf. */
  readonly left: ArrayLike<number>;
  /** Right child of each node (a leaf's is -1). */
  readonly right: ArrayLike<number>;
  /** Feature index each internal node splits on. */
  readonly splitIndex: ArrayLike<number>;
  /** Split threshold of an internal node (`x < condition` goes left); a leaf's value. */
  readonly splitCondition: ArrayLike<number>;
  /** 1 where a missing value goes to the left child. */
  readonly defaultLeft: ArrayLike<number>;
  /** Per node: 0 numerical split, 1 categorical split (JSON `split_type`; absent means all numerical). */
  readonly splitType?: ArrayLike<number>;
  /**
   * Each node's cover, the sum of the training rows' hessians that reached it (JSON `sum_hessian`, the
   * legacy binary's `RTreeNodeStat.sum_hess`): what TreeSHAP weighs the branches by. Absent when the
   * file has none.
   */
  readonly cover?: ArrayLike<number>;
  /** Nodes marked deleted by a pruner (legacy binary), never reachable from the root. */
  readonly deleted?: ArrayLike<number>;
  /** `tree_param.size_leaf_vector`: above 1 for vector-leaf (multi-target) trees. */
  readonly sizeLeafVector: number;
}

/** A model as read from its file. */
export interface BoosterSpec {
  /** `gbtree`, `dart`, `gblinear`. */
  readonly booster: string;
  /** The objective's name, e.g. `binary:logistic`. */
  readonly objective: string;
  /**
   * `base_score` as a float32. From xgboost 1.0 on, the user's value in the objective's output space
   * (a probability for `binary:logistic`); see {@link BoosterSpec.baseScoreIsMargin}.
   */
  readonly baseScore: number;
  /** True for a legacy binary written before xgboost 1.0, which stored `base_score` as a margin. */
  readonly baseScoreIsMargin: boolean;
  /** Number of features (columns) the model was trained on. */
  readonly numFeature: number;
  /** `num_class` (0 or 1 unless multi-class). */
  readonly numClass: number;
  /** `num_target` (1 unless multi-output). */
  readonly numTarget: number;
  /** Trees per boosting round and output group (a random forest has several). */
  readonly numParallelTree: number;
  /** The trees, in the order they were boosted. */
  readonly trees: readonly TreeSpec[];
  /** Output group of each tree (all 0 for a single-output model). */
  readonly treeInfo: ArrayLike<number>;
  /** The learner's attributes (`best_iteration`, `best_ntree_limit`, ...). */
  readonly attributes: Readonly<Record<string, string>>;
  /** The xgboost version that wrote the model, when the file says (`1.7.4`, `0.x`). */
  readonly writtenBy: string | undefined;
}
