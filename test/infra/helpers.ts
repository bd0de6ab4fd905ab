/** Shared fixtures of the infrastructure tests: a stub function bundle and a way to read acknowledgments. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { SentimentApi, type SentimentApiProps } from '../../infra/sentiment-api.ts';

/** A directory holding a minimal `index.mjs`, standing in for `dist/lambda` (which tests must not need). */
export function createStubCodeDirectory(): { readonly directory: string; readonly cleanup: () => void } {
  const directory = mkdtempSync(path.join(tmpdir(), 'sentiment-lambda-stub-'));
  writeFileSync(
    path.join(directory, 'index.mjs'),
    "export const handler = async () => ({ statusCode: 200, body: '1' });\n",
  );
  return { directory, cleanup: () => rmSync(directory, { recursive: true, force: true }) };
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
