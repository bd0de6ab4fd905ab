/**
 * The deployed entry point (`index.handler` in the built artifact): the pipeline configured from the
 * environment, created at module load so the client, vocabulary prefetch and templates are init work.
 */
import { handlerOptionsFromEnv } from './config.ts';
import { createHandler } from './pipeline.ts';

export const handler = createHandler(handlerOptionsFromEnv());
