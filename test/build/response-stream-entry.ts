/**
 * Bundled by test/build/bundle.test.ts exactly as build.mjs bundles the handler, then run in a fresh
 * process: response streaming must still work with the lazy event-streams stand-in. Prints the
 * payload parts of one InvokeEndpointWithResponseStream call as a JSON array of strings.
 */
import { InvokeEndpointWithResponseStreamCommand } from '@aws-sdk/client-sagemaker-runtime';
import { createSageMakerClient } from '../../src/sagemaker/client.ts';

const client = createSageMakerClient();
const reply = await client.send(
  new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'streaming-model', Body: Buffer.from('1,0,2') }),
);
const parts: string[] = [];
for await (const event of reply.Body ?? []) {
  if (event.PayloadPart?.Bytes) parts.push(Buffer.from(event.PayloadPart.Bytes).toString('utf8'));
}
process.stdout.write(JSON.stringify(parts));
