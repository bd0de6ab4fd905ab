/**
 * Shared fixtures of the infrastructure tests: stub function bundles, stacks, the template's one function role,
 * the real `cdk synth` CLI and a way to read acknowledgments.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { expect } from 'vitest';
import { type ArtifactManifest, LAMBDA_ARTIFACT, PACKAGE_ROOT } from '../../infra/artifact.ts';
import { SentimentApi, type SentimentApiProps } from '../../infra/sentiment-api.ts';

type Json = Record<string, unknown>;

/** A directory holding a minimal `index.mjs`, standing in for `dist/lambda` (which tests must not need). */
export function createStubCodeDirectory(): { readonly directory: string; readonly cleanup: () => void } {
  const directory = mkdtempSync(path.join(tmpdir(), 'sentiment-lambda-stub-'));
  writeFileSync(
    path.join(directory, 'index.mjs'),
    "export const handler = async () => ({ statusCode: 200, body: '1' });\n",
  );
  return { directory, cleanup: () => rmSync(directory, { recursive: true, force: true }) };
}

/** What {@link createArtifactDirectory} puts in its artifact.json. */
export interface StubArtifact {
  /** Whether the vocabulary is the demo one. */
  readonly demoVocabulary: boolean;
  /** A bundled model (`model.packed`, with these bytes), and whether it is the demo one. */
  readonly model?: { readonly demo: boolean; readonly bytes?: string };
  /** Write no artifact.json at all (an artifact built another way). */
  readonly noManifest?: boolean;
}

/**
 * A directory laid out as `npm run build` lays out dist/lambda: `index.mjs`, `vocabulary.json`, `artifact.json`
 * (as {@link StubArtifact} says) and, with a model, `model.packed`. Removed by `cleanup`.
 */
export function createArtifactDirectory(artifact: StubArtifact): {
  readonly directory: string;
  readonly manifest: ArtifactManifest | undefined;
  readonly cleanup: () => void;
} {
  const { directory, cleanup } = createStubCodeDirectory();
  writeFileSync(path.join(directory, LAMBDA_ARTIFACT.vocabularyFile), '["good","bad"]');
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const vocabulary = {
    from: artifact.demoVocabulary ? 'default-model/vocabulary.json' : 'models/vocabulary.json',
    words: 2,
    sha256: sha256('["good","bad"]'),
    demo: artifact.demoVocabulary,
  };
  let manifest: ArtifactManifest = { vocabulary };
  if (artifact.model !== undefined) {
    const bytes = artifact.model.bytes ?? 'XGBPACK stub';
    writeFileSync(path.join(directory, LAMBDA_ARTIFACT.modelFile), bytes);
    manifest = {
      vocabulary,
      model: {
        from: artifact.model.demo ? 'default-model/model.ubj' : 'models/xgboost-model',
        features: 2,
        trees: 10,
        description: 'XGBoost binary:logistic, 10 trees, 2 features',
        sha256: sha256(bytes),
        demo: artifact.model.demo,
      },
    };
  }
  if (artifact.noManifest === true) return { directory, manifest: undefined, cleanup };
  writeFileSync(path.join(directory, LAMBDA_ARTIFACT.manifestFile), JSON.stringify(manifest));
  return { directory, manifest, cleanup };
}

/** Builds a stack holding one `SentimentApi` with stub code (unless the props bring their own). */
export function buildApiStack(props: Partial<SentimentApiProps> = {}): {
  readonly app: App;
  readonly stack: Stack;
  readonly api: SentimentApi;
} {
  const app = new App();
  const stack = new Stack(app, 'TestStack');
  const api = new SentimentApi(stack, 'Sentiment', {
    endpointName: 'sentiment-xgboost',
    code: lambda.Code.fromInline("exports.handler = async () => ({ statusCode: 200, body: '1' });"),
    ...props,
  });
  return { app, stack, api };
}

/** {@link buildApiStack} without its endpoint and inline code: the API scores in the function unless the props say. */
export function buildModelStack(props: Partial<SentimentApiProps> = {}): ReturnType<typeof buildApiStack> {
  return buildApiStack({ endpointName: undefined, code: undefined, ...props });
}

/** The only resource of a type in the template, with its properties. */
export function onlyResource(template: Template, type: string): Json {
  const resources = Object.values(template.findResources(type)) as Json[];
  expect(resources).toHaveLength(1);
  return resources[0] as Json;
}

/** The statements of the function role's one inline policy, tokens resolved to CloudFormation. */
export function roleStatements(template: Template): Json[] {
  const role = onlyResource(template, 'AWS::IAM::Role');
  const policies = (role.Properties as Json).Policies as Json[];
  expect(policies).toHaveLength(1);
  return ((policies[0] as Json).PolicyDocument as Json).Statement as Json[];
}

/** What a {@link cdkSynth} run printed and wrote (its output directory is gone once it returns). */
export interface CdkSynthRun {
  readonly status: number | null;
  readonly stderr: string;
  /** The names in the output directory. */
  readonly written: readonly string[];
  /** Its `.json` files, parsed, by name (`SentimentApi.template.json`, `validation-report.json`). */
  readonly json: Readonly<Record<string, unknown>>;
}

const CDK_CLI = path.join(PACKAGE_ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const CDK_ENV = {
  ...process.env,
  // `node infra/app.ts` needs Node 24 (type stripping): the one running the tests.
  PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
  CDK_DEFAULT_ACCOUNT: '123456789012',
  CDK_DEFAULT_REGION: 'us-east-1',
  CDK_DISABLE_VERSION_CHECK: '1',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  CDK_DEBUG: '',
};

/**
 * Runs `npm run cdk -- synth` as the app is deployed (the real CLI, offline, `cdk.json`'s app), with `-c` values
 * and extra CLI flags, into a fresh output directory, removed afterwards.
 */
export function cdkSynth(context: readonly string[], flags: readonly string[] = []): CdkSynthRun {
  const outdir = mkdtempSync(path.join(tmpdir(), 'sentiment-cdk-out-'));
  try {
    const result = spawnSync(
      process.execPath,
      [
        CDK_CLI,
        'synth',
        '--app',
        'node infra/app.ts',
        ...context.flatMap((value) => ['-c', value]),
        '--no-notices',
        '--no-version-reporting',
        '--quiet',
        ...flags,
        '-o',
        outdir,
      ],
      { cwd: PACKAGE_ROOT, env: CDK_ENV, encoding: 'utf8', timeout: 60_000 },
    );
    const written = readdirSync(outdir);
    const json = Object.fromEntries(
      written
        .filter((file) => file.endsWith('.json'))
        .map((file) => [file, JSON.parse(readFileSync(path.join(outdir, file), 'utf8')) as unknown]),
    );
    return { status: result.status, stderr: result.stderr, written, json };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** One rule acknowledged somewhere in a construct tree. */
export interface Acknowledgment {
  /** The construct path the acknowledgment is attached to. */
  readonly path: string;
  /** The rule id without CDK's `Annotation::` namespace, e.g. `AwsSolutions-APIG4`. */
  readonly id: string;
  /** Why the rule does not apply. */
  readonly reason: string;
}

/** Every `Validations.of(...).acknowledge()` recorded in the tree under `root`. */
export function acknowledgmentsIn(root: IConstruct): Acknowledgment[] {
  const found: Acknowledgment[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return found;
}
