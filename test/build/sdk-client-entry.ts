/**
 * Bundled by test/build/bundle.test.ts as build.mjs bundles the handler (or without one of its
 * plugins), then run in a fresh process: the SDK's own client, with none of createSageMakerClient's
 * settings, makes one InvokeEndpoint call. Prints the built-ins the process loaded, as JSON, so the
 * test can show what each cold-start measure of docs/cold-start.md keeps from loading.
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

const client = new SageMakerRuntimeClient({});
await client.send(new InvokeEndpointCommand({ EndpointName: 'any-model', ContentType: 'text/csv', Body: '1,0,2' }));
// Node's list of what it loaded; @types/node does not declare it.
process.stdout.write(JSON.stringify((process as unknown as { moduleLoadList: string[] }).moduleLoadList));
