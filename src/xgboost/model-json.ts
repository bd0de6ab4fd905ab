/**
 * Reads a booster out of an xgboost model document (xgboost's `doc/model.schema`), from JSON text or
 * UBJSON alike: `{"version", "learner": {"learner_model_param", "objective", "gradient_booster",
 * "attributes"}}`, or the `{"Config", "Model"}` snapshot a pickled Booster holds (its `Model` is read).
 * Written by xgboost 1.0 to 3.x: `base_score` may be `"5E-1"` or `"[5E-1]"`, `default_left` booleans or
 * 0/1, arrays plain or typed.
 */
import type { BoosterSpec, TreeSpec } from './booster-spec.ts';
import { ModelFormatProblem } from './errors.ts';
import { parseFloat32 } from './float32-math.ts';
import { isJsonObject, type JsonObject, type JsonValue } from './json-value.ts';

/**
 * The booster of a model document.
 * @throws {ModelFormatProblem} naming the first missing or malformed field by its path.
 */
export function boosterFromDocument(document: JsonValue): BoosterSpec {
  if (!isJsonObject(document)) throw new ModelFormatProblem(`the document is ${kind(document)}, not an object`);
  let model: JsonObject = document;
  if (!('learner' in document) && 'Model' in document) {
    // A memory snapshot {"Config": ..., "Model": ...}, as Booster.__getstate__ writes it.
    model = objectAt(document.Model, 'Model');
  }
  if (!('learner' in model)) {
    throw new ModelFormatProblem(
      `not an xgboost model document: no "learner" (keys: ${Object.keys(model).slice(0, 8).join(', ') || 'none'})`,
    );
  }
  const writtenBy = versionOf(model.version);
  const learner = objectAt(model.learner, 'learner');
  const param = objectAt(field(learner, 'learner_model_param', 'learner'), 'learner.learner_model_param');
  const numFeature = integerText(field(param, 'num_feature', 'learner.learner_model_param'), 'num_feature');
  const numClass = integerText(field(param, 'num_class', 'learner.learner_model_param'), 'num_class');
  const numTarget = 'num_target' in param ? integerText(param.num_target, 'num_target') : 1;
  const baseScores = baseScoresOf(field(param, 'base_score', 'learner.learner_model_param'));
  const objectiveObject = objectAt(field(learner, 'objective', 'learner'), 'learner.objective');
  const objective = stringAt(field(objectiveObject, 'name', 'learner.objective'), 'learner.objective.name');
  // From 3.1 a multi-class or multi-output model stores one base score per output ("[a,b,c]"): the model's
  // checks then refuse it, naming the objective; a list beside a single output is a broken document.
  const multiOutput = objective.startsWith('multi:') || numClass > 1 || numTarget > 1;
  if (baseScores.length !== 1 && !multiOutput) {
    throw new ModelFormatProblem(
      `learner_model_param.base_score has ${baseScores.length} values for a model with one output (${objective})`,
    );
  }
  const baseScore = baseScores[0] as number;
  const attributes = attributesOf(learner.attributes);
  const boosterObject = objectAt(field(learner, 'gradient_booster', 'learner'), 'learner.gradient_booster');
  const booster = stringAt(field(boosterObject, 'name', 'learner.gradient_booster'), 'learner.gradient_booster.name');
  const common = {
    booster,
    objective,
    baseScore,
    baseScoreIsMargin: false,
    numFeature,
    numClass,
    numTarget,
    attributes,
    writtenBy,
  };
  // Other boosters are refused by the model's checks; their trees (dart) or weights (gblinear) are not read.
  if (booster !== 'gbtree') return { ...common, numParallelTree: 1, trees: [], treeInfo: [] };

  const path = 'learner.gradient_booster.model';
  const gbtree = objectAt(field(boosterObject, 'model', 'learner.gradient_booster'), path);
  const gbtreeParam = objectAt(field(gbtree, 'gbtree_model_param', path), `${path}.gbtree_model_param`);
  const numTrees = integerText(field(gbtreeParam, 'num_trees', `${path}.gbtree_model_param`), 'num_trees');
  const numParallelTree =
    'num_parallel_tree' in gbtreeParam ? integerText(gbtreeParam.num_parallel_tree, 'num_parallel_tree') : 1;
  const treesJson = field(gbtree, 'trees', path);
  if (!Array.isArray(treesJson)) throw new ModelFormatProblem(`${path}.trees is ${kind(treesJson)}, not an array`);
  if (treesJson.length !== numTrees) {
    throw new ModelFormatProblem(
      `${path}.trees has ${treesJson.length} trees, but gbtree_model_param.num_trees says ${numTrees}`,
    );
  }
  const trees: TreeSpec[] = new Array(numTrees);
  treesJson.forEach((treeJson, position) => {
    const tree = objectAt(treeJson, `${path}.trees[${position}]`);
    // xgboost places each tree by its "id" (GBTreeModel::LoadModel), not by its position.
    const id = 'id' in tree ? integerValue(tree.id, `${path}.trees[${position}].id`) : position;
    if (id < 0 || id >= numTrees || trees[id] !== undefined) {
      throw new ModelFormatProblem(
        `${path}.trees[${position}].id is ${id}: tree ids must be 0..${numTrees - 1}, once each`,
      );
    }
    trees[id] = treeOf(tree, `${path}.trees[${position}]`);
  });
  const treeInfo = numbers(field(gbtree, 'tree_info', path), `${path}.tree_info`);
  if (treeInfo.length !== numTrees) {
    throw new ModelFormatProblem(`${path}.tree_info has ${treeInfo.length} entries for ${numTrees} trees`);
  }
  return { ...common, numParallelTree, trees, treeInfo };
}

function treeOf(tree: JsonObject, path: string): TreeSpec {
  const treeParam = objectAt(field(tree, 'tree_param', path), `${path}.tree_param`);
  const numNodes = integerText(field(treeParam, 'num_nodes', `${path}.tree_param`), `${path}.tree_param.num_nodes`);
  if (numNodes < 1) throw new ModelFormatProblem(`${path}.tree_param.num_nodes is ${numNodes}: a tree has a root`);
  const sizeLeafVector =
    'size_leaf_vector' in treeParam
      ? integerText(treeParam.size_leaf_vector, `${path}.tree_param.size_leaf_vector`)
      : 0;
  const nodeArray = (key: string): ArrayLike<number> => {
    const values = numbers(field(tree, key, path), `${path}.${key}`);
    if (values.length !== numNodes) {
      throw new ModelFormatProblem(
        `${path}.${key} has ${values.length} entries, tree_param.num_nodes says ${numNodes}`,
      );
    }
    return values;
  };
  return {
    left: nodeArray('left_children'),
    right: nodeArray('right_children'),
    splitIndex: nodeArray('split_indices'),
    splitCondition: nodeArray('split_conditions'),
    defaultLeft: nodeArray('default_left'),
    ...('split_type' in tree ? { splitType: nodeArray('split_type') } : {}),
    ...('sum_hessian' in tree ? { cover: nodeArray('sum_hessian') } : {}),
    sizeLeafVector,
  };
}

/** `base_score`: a float string (`"5E-1"`), or from xgboost 3.1 a JSON list, one per output (`"[5E-1]"`). */
function baseScoresOf(value: JsonValue): number[] {
  const text = stringAt(value, 'learner.learner_model_param.base_score').trim();
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1).trim() : text;
  return inner.split(',').map((part) => {
    const score = parseFloat32(part.trim());
    if (score === undefined) {
      throw new ModelFormatProblem(
        `learner_model_param.base_score is ${JSON.stringify(text.slice(0, 80))}, not a number`,
      );
    }
    return score;
  });
}

function versionOf(value: JsonValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parts = Array.isArray(value) || ArrayBuffer.isView(value) ? Array.from(value as ArrayLike<JsonValue>) : [];
  return parts.length > 0 && parts.every((part) => typeof part === 'number') ? parts.join('.') : undefined;
}

function attributesOf(value: JsonValue | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (!isJsonObject(value)) return attributes;
  for (const [key, attribute] of Object.entries(value)) if (typeof attribute === 'string') attributes[key] = attribute;
  return attributes;
}

function kind(value: JsonValue | undefined): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function field(object: JsonObject, key: string, path: string): JsonValue {
  const value = object[key];
  if (value === undefined) throw new ModelFormatProblem(`${path}.${key} is missing`);
  return value;
}

function objectAt(value: JsonValue | undefined, path: string): JsonObject {
  if (!isJsonObject(value)) throw new ModelFormatProblem(`${path} is ${kind(value)}, not an object`);
  return value;
}

function stringAt(value: JsonValue, path: string): string {
  if (typeof value !== 'string') throw new ModelFormatProblem(`${path} is ${kind(value)}, not a string`);
  return value;
}

/** A count stored as a decimal string (`"15"`), as xgboost writes its parameters; a plain integer is taken too. */
function integerText(value: JsonValue | undefined, path: string): number {
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) {
    const number = Number(value.trim());
    if (Number.isSafeInteger(number)) return number;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw new ModelFormatProblem(`${path} is ${kind(value)}, not an integer`);
}

function integerValue(value: JsonValue, path: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw new ModelFormatProblem(`${path} is ${kind(value)}, not an integer`);
}

/** An array of numbers: a typed array as is, a plain array of numbers or booleans (as 0/1) copied. */
function numbers(value: JsonValue, path: string): ArrayLike<number> {
  if (ArrayBuffer.isView(value)) return value;
  if (!Array.isArray(value)) throw new ModelFormatProblem(`${path} is ${kind(value)}, not an array`);
  const result = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const element = value[i];
    if (typeof element === 'number') result[i] = element;
    else if (typeof element === 'boolean') result[i] = element ? 1 : 0;
    else throw new ModelFormatProblem(`${path}[${i}] is ${kind(element)}, not a number`);
  }
  return result;
}
