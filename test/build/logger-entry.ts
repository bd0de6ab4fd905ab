/**
 * Bundled by test/build/bundle.test.ts as build.mjs bundles the handler (or without one of its measures),
 * then run in a fresh process: Powertools' Logger, created and writing one line, as the handler's is.
 * Prints the built-ins the process loaded, as JSON, so the test can show what deferring node:crypto keeps
 * from loading.
 */
import { Logger } from '@aws-lambda-powertools/logger';

new Logger({ serviceName: 'logger-entry', logLevel: 'ERROR' }).info('not written');
// Node's list of what it loaded; @types/node does not declare it.
process.stdout.write(JSON.stringify((process as unknown as { moduleLoadList: string[] }).moduleLoadList));
