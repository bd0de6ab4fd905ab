/**
 * The deployed entry point (`index.handler` in the built artifact): the pipeline configured from the
 * environment, created at module load so the client or the model, the vocabulary prefetch and the
 * encoder's tables are init work. A bad variable stops the cold start with an error that names it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { asConfigurationError, BUNDLED_MODEL_SOURCE, handlerOptionsFromEnv } from './config.ts';
import { createHandler, type SentimentHandler } from './pipeline.ts';

function createHandlerFromEnvironment(): SentimentHandler {
  // An artifact built with `npm run build -- --model FILE` holds its model: the default MODEL_SOURCE.
  const root = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  const bundledModel = existsSync(resolve(root, BUNDLED_MODEL_SOURCE)) ? BUNDLED_MODEL_SOURCE : undefined;
  try {
    return createHandler(handlerOptionsFromEnv(process.env, { model: bundledModel }));
  } catch (error) {
    throw asConfigurationError(error);
  }
}

export const handler = createHandlerFromEnvironment();
