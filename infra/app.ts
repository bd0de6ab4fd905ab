/**
 * The CDK app (`cdk.json`: `node infra/app.ts`): the sentiment stack, checked by cdk-nag's AwsSolutions pack.
 *
 * Deploy with `npx cdk deploy -c endpointName=<endpoint-name>`; see {@link CONTEXT_KEYS} for the other settings.
 *
 * @module
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SentimentStack } from './sentiment-stack.ts';

const app = new App();
new SentimentStack(app, 'SentimentApi');
// cdk-nag 3 is a CDK validation plugin (v2's Aspect and NagSuppressions are gone): any unacknowledged
// AwsSolutions finding fails `cdk synth` / `cdk deploy`. The acknowledged rules and their reasons are also
// written into each resource's `cdk_nag` template metadata, as an audit trail next to the resource.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));
app.synth();
