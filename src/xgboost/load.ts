/**
 * `loadXGBoostModel(file)`: an XGBoost model in any form a user holds, told apart by its bytes (never its
 * name), read without running any of it, validated completely, and served only if all of that succeeds:
 *
 * | Form | Recognised by |
 * | --- | --- |
 * | packed (`npm run build -- --model FILE`: src/xgboost/packed.ts) | `XGBPACK\x01` |
 * | `model.tar.gz` (SageMaker): its one top-level file (`xgboost-model`), in any form below | gzip magic `1f 8b`, then a tar header |
 * | pickled `Booster` (SageMaker 0.90-1 to 1.2-2) | `PROTO` 2-5 (`80 02`..`80 05`) |
 * | JSON (`save_model('m.json')`) | `{` then `"` |
 * | UBJSON (`save_model('m.ubj')`, xgboost 2.1's default) | `{` then a UBJSON marker |
 * | legacy binary (SageMaker 1.3-1 to 1.7-1) | `binf` |
 * | legacy binary before xgboost 1.0 (inside old pickles) | anything else that parses as one |
 *
 * A pickle's `handle` is sniffed the same way, plus xgboost 1.0-1.2's `CONFIG-offset:` serialisation.
 * Each reader is imported when a model in its form is met (src/xgboost/forms.ts tells the form): a
 * function serving a packed model loads none of them, nor `node:zlib`, at cold start.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileErrorReason } from '../source/file-errors.ts';
import type { BoosterSpec } from './booster-spec.ts';
import { ModelFormatProblem, ModelLoadError } from './errors.ts';
import {
  documentKind,
  hasBinfHeader,
  isGzip,
  isTar,
  looksLikePickle,
  looksLikeUnframedPickle,
  PACKED_MAGIC,
  SERIALISATION_HEADER,
  startsWithText,
} from './forms.ts';
import { treesForLimit, XGBoostModel } from './model.ts';
import { unpackModel } from './packed.ts';

/** A model read from bytes, and the forms it was wrapped in, outermost first. */
export interface ReadModel {
  readonly model: XGBoostModel;
  /** E.g. `['model.tar.gz', 'pickled Booster (protocol 3)', 'legacy binary (xgboost 0.x)']`. */
  readonly forms: readonly string[];
}

/** Options of {@link readXGBoostModel}. */
export interface LoadXGBoostOptions {
  /** The model's name in logs and `GET /_stats`. Default: the file name. */
  readonly name?: string;
}

/**
 * Reads, validates and compiles the XGBoost model in `file`.
 * @throws {ModelLoadError} naming the file and what is wrong, for an unreadable, truncated, corrupt or
 *   unsupported model; no model is returned half-loaded.
 *
 * @example
 * ```ts
 * import { loadXGBoostModel, modelMiddleware } from 'sentiment-lambda';
 * const model = await loadXGBoostModel('model.ubj'); // JSON, UBJSON, the legacy binary, a pickle or model.tar.gz
 * console.log(model.description, model.featureCount);
 * const middleware = modelMiddleware({ source: model }); // a model loaded in code serves as it is
 * ```
 */
export async function loadXGBoostModel(file: string | URL): Promise<XGBoostModel> {
  const { bytes, label } = readModelFile(file);
  return (await readXGBoostModel(bytes, label, { name: basename(label) })).model;
}

/**
 * The bytes of the model file `file`, and its path as messages name it.
 * @throws {ModelLoadError} naming the file and why it cannot be read.
 */
export function readModelFile(file: string | URL): { readonly bytes: Buffer; readonly label: string } {
  const label = file instanceof URL ? fileURLToPath(file) : file;
  try {
    return { bytes: readFileSync(file), label };
  } catch (error) {
    throw new ModelLoadError(label, `cannot read the model: ${fileErrorReason(error)}`, { cause: error });
  }
}

/**
 * Reads, validates and compiles an XGBoost model from its bytes.
 * @param label How to name the bytes in messages (the file name).
 * @throws {ModelLoadError} as {@link loadXGBoostModel}.
 */
export async function readXGBoostModel(
  bytes: Uint8Array,
  label: string,
  options: LoadXGBoostOptions = {},
): Promise<ReadModel> {
  try {
    if (startsWithText(bytes, PACKED_MAGIC)) {
      const { compiled, description, forms } = unpackModel(bytes);
      const model = XGBoostModel.fromCompiled(compiled, { name: options.name ?? label, description });
      return { model, forms: ['packed', ...forms] };
    }
    const read = await readForms(bytes, 'the file', 0);
    const booster = read.spec;
    const limit = read.bestNtreeLimit ?? attributeLimit(booster);
    const model = XGBoostModel.fromBooster(booster, {
      name: options.name ?? label,
      ...(limit === undefined ? {} : { bestNtreeLimit: limit }),
      description: describe(booster, read.forms, limit),
    });
    return { model, forms: read.forms };
  } catch (error) {
    if (error instanceof ModelFormatProblem) throw new ModelLoadError(label, error.message, { cause: error });
    throw new ModelLoadError(label, `cannot read the model: ${(error as Error).message}`, { cause: error });
  }
}

interface ReadForms {
  readonly spec: BoosterSpec;
  readonly forms: readonly string[];
  /**
   * `best_ntree_limit` of a pickled Booster's `__dict__`, which wins over the model's attributes, counted in
   * trees as xgboost 1.x's `ntree_limit` counts them. SageMaker's 3.0-5 container passes it to xgboost 2.0+
   * as `iteration_range=(0, limit)`, in rounds: for a Booster pickled by xgboost 2.0 or later it is that
   * many rounds times `num_parallel_tree`.
   */
  readonly bestNtreeLimit?: number;
}

async function readForms(bytes: Uint8Array, source: string, depth: number): Promise<ReadForms> {
  if (bytes.length === 0) throw new ModelFormatProblem(`${source} is empty`);
  if (depth > 3) throw new ModelFormatProblem('models nested more than three deep (archive, pickle, ...)');
  if (isGzip(bytes) || isTar(bytes)) {
    const { gunzip, modelMember, readTar } = await import('./tar-gz.ts');
    const archive = isGzip(bytes) ? gunzip(bytes) : bytes;
    if (!isTar(archive)) {
      throw new ModelFormatProblem(`gzip data that is not a tar archive: expected SageMaker's model.tar.gz`);
    }
    const member = modelMember(readTar(archive));
    const inner = await readForms(member.data, `the archive's ${member.name}`, depth + 1);
    return { ...inner, forms: [isGzip(bytes) ? 'model.tar.gz' : 'tar archive', ...inner.forms] };
  }
  if (looksLikePickle(bytes)) {
    const { readBoosterPickle } = await import('./pickle.ts');
    let pickled: ReturnType<typeof readBoosterPickle>;
    try {
      pickled = readBoosterPickle(bytes, source);
    } catch (problem) {
      // SageMaker's container tries pickle first, then load_model: a pre-1.0 binary may start like a pickle.
      try {
        const spec = (await import('./legacy-binary.ts')).readLegacyBinary(bytes, source);
        return { spec, forms: [legacyForm(spec)] };
      } catch {
        throw problem;
      }
    }
    const inner = await readForms(pickled.handle, "the pickled Booster's handle", depth + 1);
    const limit = pickled.bestNtreeLimit === undefined ? undefined : dictLimit(inner.spec, pickled.bestNtreeLimit);
    return {
      spec: inner.spec,
      forms: [`pickled Booster (protocol ${pickled.protocol})`, ...inner.forms],
      ...(limit === undefined ? {} : { bestNtreeLimit: limit }),
    };
  }
  if (startsWithText(bytes, SERIALISATION_HEADER)) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerEnd = SERIALISATION_HEADER.length;
    if (bytes.length < headerEnd + 8) {
      throw new ModelFormatProblem(`truncated ${SERIALISATION_HEADER} serialisation: no model length in ${source}`);
    }
    const declared = view.getBigInt64(headerEnd, true);
    if (!(declared > 0n && BigInt(headerEnd + 8) + declared <= BigInt(bytes.length))) {
      throw new ModelFormatProblem(
        `truncated ${SERIALISATION_HEADER} serialisation: a model of ${declared} bytes does not fit in ${source} (${bytes.length} bytes)`,
      );
    }
    const length = Number(declared);
    const binary = bytes.subarray(headerEnd + 8, headerEnd + 8 + length);
    const spec = (await import('./legacy-binary.ts')).readLegacyBinary(binary, source);
    return { spec, forms: [`xgboost 1.0-1.2 serialisation`, legacyForm(spec)] };
  }
  const document = documentKind(bytes);
  if (document !== undefined) {
    const { boosterFromDocument } = await import('./model-json.ts');
    if (document === 'json') {
      const { parseJsonText } = await import('./json.ts');
      return { spec: boosterFromDocument(parseJsonText(new TextDecoder('utf-8').decode(bytes))), forms: ['JSON'] };
    }
    const { parseUbjson } = await import('./ubjson.ts');
    return { spec: boosterFromDocument(parseUbjson(bytes, source)), forms: ['UBJSON'] };
  }
  const { readLegacyBinary } = await import('./legacy-binary.ts');
  if (hasBinfHeader(bytes)) {
    const spec = readLegacyBinary(bytes, source);
    return { spec, forms: [legacyForm(spec)] };
  }
  try {
    const spec = readLegacyBinary(bytes, source);
    return { spec, forms: [legacyForm(spec)] };
  } catch (problem) {
    if (looksLikeUnframedPickle(bytes)) {
      throw new ModelFormatProblem(
        'a pickle of protocol 0 or 1, which this reader does not read: pickle the Booster with protocol 2 or later',
      );
    }
    throw new ModelFormatProblem(
      'not an XGBoost model: not JSON, UBJSON, a pickle, a model.tar.gz or a legacy binary model ' +
        `(read as a legacy binary: ${(problem as Error).message})`,
    );
  }
}

function legacyForm(spec: BoosterSpec): string {
  return `legacy binary (xgboost ${spec.writtenBy ?? 'unknown version'})`;
}

/** The major version of the xgboost that wrote the model; 1 when the file does not say (1.0 to 1.2 documents). */
function writerMajor(spec: BoosterSpec): number {
  const major = Number.parseInt(spec.writtenBy ?? '1', 10);
  return Number.isNaN(major) ? 1 : major;
}

/**
 * `best_ntree_limit` from the model's attributes, as xgboost 1.x's `Booster.load_model` sets it on the
 * Python object. xgboost 2.0 and later neither set nor read it: SageMaker's 3.0-5 container finds no
 * `best_ntree_limit` on a Booster they load and predicts with every tree, even when the attribute is in the
 * file (a model trained by 1.x and saved again).
 */
function attributeLimit(spec: BoosterSpec): number | undefined {
  if (writerMajor(spec) >= 2) return undefined;
  const text = spec.attributes.best_ntree_limit;
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/**
 * The tree limit of a pickled Booster whose `__dict__` holds `best_ntree_limit` `limit`. xgboost 1.x (the
 * 1.7-1 container's `predict(ntree_limit=limit)`) counts it in trees. For a Booster pickled by xgboost 2.0
 * or later (one trained by 1.x and pickled again keeps that `__dict__`), the 3.0-5 container predicts with
 * `iteration_range=(0, limit)`: `limit` rounds, each of `num_parallel_tree` trees, and xgboost fails every
 * prediction when the model has fewer rounds.
 */
function dictLimit(spec: BoosterSpec, limit: number): number | undefined {
  if (writerMajor(spec) < 2 || limit <= 0) return limit;
  const parallel = Math.max(spec.numParallelTree, 1);
  const rounds = Math.floor(spec.trees.length / parallel);
  if (limit > rounds) {
    throw new ModelFormatProblem(
      `the pickled Booster's best_ntree_limit ${limit} is read by xgboost ${spec.writtenBy} (SageMaker's 3.0-5 ` +
        `container) as iteration_range=(0, ${limit}), but the model has ${rounds} boosting rounds: xgboost fails ` +
        'every prediction with it ("Out of range for tree layers")',
    );
  }
  return limit * parallel;
}

function describe(spec: BoosterSpec, forms: readonly string[], limit: number | undefined): string {
  const trees = spec.trees.length;
  const used = treesForLimit(spec, limit);
  const limited = used < trees ? `, predicting with its first ${used} trees (best_ntree_limit)` : '';
  // A legacy binary's form already names the version that wrote it.
  const version =
    spec.writtenBy === undefined || forms.at(-1)?.startsWith('legacy') ? '' : `, xgboost ${spec.writtenBy}`;
  return `XGBoost ${spec.booster} ${spec.objective}, ${trees} trees${limited}, ${spec.numFeature} features (${forms.join(' > ')}${version})`;
}
