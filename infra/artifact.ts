/**
 * The layout of the deployable Lambda artifact, shared by the build (`build.mjs`, which writes it)
 * and the CDK construct (which deploys it), so the two can never disagree about a file name.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BUNDLED_MODEL_SOURCE, DEFAULT_VOCABULARY_SOURCE } from '../src/config.ts';

/**
 * Where the build puts the Lambda bundle and what the bundle contains. Every path is relative to
 * the package root; use {@link lambdaArtifactPath} for an absolute one.
 */
export const LAMBDA_ARTIFACT = {
  /** The directory that becomes the function root (`/var/task`): the bundle, its source map and the vocabulary. */
  directory: 'dist/lambda',
  /** The ES module inside {@link LAMBDA_ARTIFACT.directory} that exports `handler`. */
  entryFile: 'index.mjs',
  /** The Lambda handler setting: `<entryFile without extension>.<exported name>`. */
  handler: 'index.handler',
  /** The bundled vocabulary inside {@link LAMBDA_ARTIFACT.directory}; the default `VOCABULARY_SOURCE`. */
  vocabularyFile: DEFAULT_VOCABULARY_SOURCE,
  /**
   * The bundled model, packed (`npm run build -- --model FILE`), inside {@link LAMBDA_ARTIFACT.directory}
   * when the artifact holds one; the default `MODEL_SOURCE`.
   */
  modelFile: BUNDLED_MODEL_SOURCE,
  /**
   * What the build bundled (`{ vocabulary, model? }`: file, size, sha256, and whether it is the demo one),
   * for the CDK construct and the reader of the artifact. Not loaded by the function.
   */
  manifestFile: 'artifact.json',
} as const;

/** {@link LAMBDA_ARTIFACT.manifestFile}'s content. */
export interface ArtifactManifest {
  readonly vocabulary: {
    readonly from: string;
    readonly words: number;
    readonly sha256: string;
    readonly demo: boolean;
  };
  readonly model?: {
    readonly from: string;
    readonly features: number;
    readonly trees: number;
    readonly description: string;
    readonly sha256: string;
    readonly demo: boolean;
  };
}

/**
 * The root of the sentiment-lambda package: this repository, or `node_modules/sentiment-lambda` where it
 * is installed. Found through the package's own name (its `./package.json` export), so it is the same
 * from the TypeScript sources and from the built `lib/`.
 */
export const PACKAGE_ROOT: string = path.dirname(
  createRequire(import.meta.url).resolve('sentiment-lambda/package.json'),
);

/**
 * Resolves a path of the artifact layout against the package root.
 *
 * @param relative - A path relative to the package root, such as `LAMBDA_ARTIFACT.directory`.
 * @returns The absolute path.
 *
 * @example
 * ```ts
 * Code.fromAsset(lambdaArtifactPath(LAMBDA_ARTIFACT.directory));
 * ```
 */
export function lambdaArtifactPath(relative: string): string {
  return path.resolve(PACKAGE_ROOT, relative);
}

/**
 * What the artifact in `directory` bundles, from its {@link LAMBDA_ARTIFACT.manifestFile}; `undefined` when it has
 * none (code built another way): then nothing is known of its vocabulary or model.
 *
 * @param directory - An artifact directory, such as `lambdaArtifactPath(LAMBDA_ARTIFACT.directory)`.
 * @throws Error when the manifest is there but is not one `npm run build` writes.
 */
export function readArtifactManifest(directory: string): ArtifactManifest | undefined {
  const file = path.join(directory, LAMBDA_ARTIFACT.manifestFile);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    manifest = undefined;
  }
  const { vocabulary, model } = (manifest ?? {}) as Partial<Record<keyof ArtifactManifest, { demo?: unknown }>>;
  if (typeof vocabulary?.demo !== 'boolean' || (model !== undefined && typeof model.demo !== 'boolean')) {
    throw new Error(`${file} is not the manifest \`npm run build\` writes: build the artifact again.`);
  }
  return manifest as ArtifactManifest;
}
