/**
 * The deployed entry point (`index.handler` in the built artifact): the pipeline configured from the
 * environment, created at module load so the client, vocabulary prefetch and templates are init work.
 * A bad variable stops the cold start with an error that names it.
 */
import { asConfigurationError, handlerOptionsFromEnv } from './config.ts';
import { createHandler, type SentimentHandler } from './pipeline.ts';

function createHandlerFromEnvironment(): SentimentHandler {
  try {
    return createHandler(handlerOptionsFromEnv());
  } catch (error) {
    throw asConfigurationError(error);
  }
}

export const handler = createHandlerFromEnvironment();
