/**
 * The comparison bundle of the cold-start benchmark: the same pipeline set up the way a first version
 * would be, bundled by bench/cold-start.ts as a default esbuild set-up makes it (no code splitting). What differs from src/lambda.ts:
 * - the request schema is compiled by Ajv at module load (`transpileSchema`), not generated at build time;
 * - the S3 SDK is imported statically, as a plain `import { S3Client }` for the S3 vocabulary source does;
 * - no code splitting, so every SDK credential provider is in the one file and parsed at load.
 */
import { S3Client } from '@aws-sdk/client-s3';
import validator from '@middy/validator';
import { transpileSchema } from '@middy/validator/transpile';
import schema from '../schemas/review-request.schema.json' with { type: 'json' };
import { handlerOptionsFromEnv } from '../src/config.ts';
import { createHandler } from '../src/pipeline.ts';

const eventSchema = transpileSchema(schema, { allowUnionTypes: true });
// Kept reachable so the bundler cannot drop it, as in a handler that reads its vocabulary from S3.
export const s3 = new S3Client({});
export const handler = createHandler(handlerOptionsFromEnv()).use(validator({ eventSchema }));
