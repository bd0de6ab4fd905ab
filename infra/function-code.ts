/**
 * The function's code: the artifact `npm run build` writes (or another directory holding one), what its
 * `artifact.json` says it bundles, and, with `modelFile`, that artifact with the model file added.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { FileSystem } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type ArtifactManifest, LAMBDA_ARTIFACT, lambdaArtifactPath, readArtifactManifest } from './artifact.ts';
import { SENTIMENT_API_DEFAULTS } from './sentiment-api-props.ts';
import type { PropsValidator } from './validators.ts';

/** A local model file to ship with the function: as given, resolved, and the sha256 of its bytes. */
export interface LocalModelFile {
  readonly given: string;
  readonly path: string;
  readonly sha256: string;
}

/** The folder of the function root a `modelFile` is shipped in, apart from the artifact's own files. */
export const SHIPPED_MODEL_DIRECTORY = 'model';

/** The function's code as the construct knows it. */
export type FunctionArtifact =
  /** An artifact directory, and what its manifest says it bundles (`undefined`: it has no manifest). */
  | { readonly kind: 'directory'; readonly directory: string; readonly manifest: ArtifactManifest | undefined }
  /** Code given as a `lambda.Code`, which the construct cannot look into. */
  | { readonly kind: 'opaque'; readonly code: lambda.Code; readonly manifest?: undefined };

/**
 * The artifact directory `artifactDirectory` names, absolute; without it, the package's own
 * (`SENTIMENT_API_DEFAULTS.artifactDirectory`, `dist/lambda`).
 */
export function artifactDirectoryPath(artifactDirectory: string | undefined): string {
  return artifactDirectory === undefined
    ? lambdaArtifactPath(SENTIMENT_API_DEFAULTS.artifactDirectory)
    : path.resolve(artifactDirectory);
}

/**
 * The artifact the props name: `code`, `artifactDirectory`, or the package's `dist/lambda`.
 *
 * @throws Error when the directory holds no built artifact (with the fix).
 */
export function locateArtifact(
  check: PropsValidator,
  props: { readonly code?: lambda.Code | undefined; readonly artifactDirectory?: string | undefined },
): FunctionArtifact {
  if (props.code !== undefined) return { kind: 'opaque', code: props.code };
  const given = props.artifactDirectory;
  const directory = artifactDirectoryPath(given);
  const entry = path.join(directory, LAMBDA_ARTIFACT.entryFile);
  // Refused here with the fix in the message, rather than with CDK's bare "Cannot find asset" later.
  if (!existsSync(entry)) {
    check.fail(
      given === undefined
        ? `the Lambda artifact is missing (${entry}): run \`npm run build\` first, or pass the function code as the \`code\` property.`
        : `artifactDirectory '${given}' holds no built artifact (${entry}): build one with \`npm run build -- --outdir ${given}\`.`,
    );
  }
  return { kind: 'directory', directory, manifest: readArtifactManifest(directory) };
}

/**
 * Where a model file is shipped, relative to the function root (`MODEL_SOURCE`): `model/<its name>`, the name
 * kept for the logs (and `GET /_stats`), which name the model by it; the form is told by the bytes, not the name.
 */
export function shippedModelPath(file: LocalModelFile): string {
  return `${SHIPPED_MODEL_DIRECTORY}/${path.basename(file.path).replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/**
 * The function code: the artifact as it is, or, with `modelFile`, a copy of it with the model file added at
 * {@link shippedModelPath} (and without the model the artifact bundles, which `MODEL_SOURCE` then overrides).
 */
export function functionCode(artifact: FunctionArtifact, modelFile: LocalModelFile | undefined): lambda.Code {
  if (artifact.kind === 'opaque') return artifact.code;
  const { directory } = artifact;
  if (modelFile === undefined) return lambda.Code.fromAsset(directory);
  const bundledModel = path.join(directory, LAMBDA_ARTIFACT.modelFile);
  return lambda.Code.fromAsset(directory, {
    // The artifact's fingerprint and the model's bytes: a source hash would only cover the directory and miss a
    // new model file. The hash also keys CDK's per-process cache of staged assets, which cannot see into
    // tryBundle: two APIs shipping two models from one artifact directory would otherwise share one asset.
    assetHash: createHash('sha256').update(FileSystem.fingerprint(directory)).update(modelFile.sha256).digest('hex'),
    bundling: {
      // Never run: the copy is done locally, without Docker. CDK requires an image all the same.
      image: lambda.Runtime.NODEJS_24_X.bundlingImage,
      local: {
        tryBundle(outputDir: string): boolean {
          cpSync(directory, outputDir, { recursive: true, filter: (source) => source !== bundledModel });
          const target = path.join(outputDir, shippedModelPath(modelFile));
          mkdirSync(path.dirname(target), { recursive: true });
          copyFileSync(modelFile.path, target);
          return true;
        },
      },
    },
  });
}
