/**
 * The CDK app (`cdk.json`'s `app`, which `npm run cdk` runs): the sentiment stack, checked by cdk-nag's
 * AwsSolutions pack.
 *
 * Deploy with `npm run cdk -- deploy -c endpointName=<endpoint-name>`; see {@link CONTEXT_KEYS} for the other
 * settings.
 *
 * A stack that cannot be built (a missing `-c endpointName`, a malformed context value) prints its
 * message alone and exits 1: the message says what to pass, and a stack trace around it only buries it.
 * `npm run cdk -- synth --debug` (the CLI then sets `CDK_DEBUG`) prints the stack trace as well.
 *
 * @module
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SentimentStack } from './sentiment-stack.ts';

try {
  // No synthesis at process exit (autoSynth): after a failure it would write a half-built stack.
  const app = new App({ autoSynth: false });
  new SentimentStack(app, 'SentimentApi');
  // cdk-nag 3 is a CDK validation plugin (v2's Aspect and NagSuppressions are gone): any unacknowledged
  // AwsSolutions finding fails `cdk synth` / `cdk deploy`. The acknowledged rules and their reasons are also
  // written into each resource's `cdk_nag` template metadata, as an audit trail next to the resource.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );
  app.synth();
} catch (error) {
  const debug = /^(1|true)$/i.test(process.env.CDK_DEBUG ?? '');
  console.error(debug && error instanceof Error ? (error.stack ?? error.message) : messageOf(error));
  // exitCode rather than exit(): stderr is flushed before the process ends, even when it is a pipe.
  process.exitCode = 1;
}

/** The message of whatever was thrown. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
