/**
 * The layout of the deployable Lambda artifact, shared by the build (`build.mjs`, which writes it)
 * and the CDK stack (which deploys it), so the two can never disagree about a file name.
 *
 * @module
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the build puts the Lambda bundle and what the bundle contains. Every path is relative to
 * the repository root; use {@link lambdaArtifactPath} for an absolute one.
 */
export const LAMBDA_ARTIFACT = {
  /** The directory that becomes the function root (`/var/task`): the bundle, its source map and the vocabulary. */
  directory: 'dist/lambda',
  /** The ES module inside {@link LAMBDA_ARTIFACT.directory} that exports `handler`. */
  entryFile: 'index.mjs',
  /** The Lambda handler setting: `<entryFile without extension>.<exported name>`. */
  handler: 'index.handler',
  /** The bundled vocabulary inside {@link LAMBDA_ARTIFACT.directory}; the default `VOCABULARY_SOURCE`. */
  vocabularyFile: 'vocabulary.json',
  /** A zip of {@link LAMBDA_ARTIFACT.directory}, for uploads that do not go through CDK. */
  zipFile: 'dist/lambda.zip',
} as const;

/** The repository root: this file lives in `<root>/infra/`. */
export const REPO_ROOT: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Resolves a path of the artifact layout against the repository root.
 *
 * @param relative - A path relative to the repository root, such as `LAMBDA_ARTIFACT.directory`.
 * @returns The absolute path.
 *
 * @example
 * ```ts
 * Code.fromAsset(lambdaArtifactPath(LAMBDA_ARTIFACT.directory));
 * ```
 */
export function lambdaArtifactPath(relative: string): string {
  return path.resolve(REPO_ROOT, relative);
}
