/**
 * `npm start`: the whole system on one machine, no AWS account, no network.
 *
 *   npm start [-- --port 3000 --endpoint-port 8080 --host 127.0.0.1 --model FILE --vocabulary FILE
 *              --log-level WARN --in-process]
 *
 * `--in-process` scores with the model in the handler, as a function deployed with MODEL_SOURCE does;
 * without it the handler calls the local SageMaker-compatible endpoint, as one deployed with
 * SAGEMAKER_ENDPOINT_NAME does.
 *
 * Environment: PORT, ENDPOINT_PORT, HOST, MODEL_FILE, VOCABULARY_FILE, POWERTOOLS_LOG_LEVEL and
 * IN_PROCESS=true do the same.
 * Each request's metrics (CloudWatch EMF, as the deployed function writes them) go to standard output;
 * POWERTOOLS_METRICS_DISABLED=true turns them off.
 */
import { parseArgs } from 'node:util';
import { ModelLoadError } from '../src/xgboost/errors.ts';
import { describeModel, NotScorableInProcessError, PortInUseError, startLocalStack } from './stack.ts';

const USAGE =
  'Usage: npm start -- [--port 3000] [--endpoint-port 8080] [--host 127.0.0.1] [--model FILE] [--vocabulary FILE] [--log-level WARN] [--in-process]';
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/** Exits with `message` and the usage: status 2, as for any command-line mistake. */
function usageError(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: process.env.PORT ?? '3000' },
        'endpoint-port': { type: 'string', default: process.env.ENDPOINT_PORT ?? '8080' },
        host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
        model: { type: 'string', default: process.env.MODEL_FILE },
        vocabulary: { type: 'string', default: process.env.VOCABULARY_FILE },
        'log-level': { type: 'string', default: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN' },
        'in-process': { type: 'boolean', default: process.env.IN_PROCESS === 'true' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    // An unknown flag, or one without its value: parseArgs names it.
    return usageError((error as Error).message);
  }
}

const values = parseCommandLine();

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

/** Powertools ignores a level it does not know, silently: refuse it here instead. */
function logLevel(value: string): LogLevel {
  const level = value.toUpperCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    usageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(value)}.`);
  }
  return level as LogLevel;
}

function port(value: string, flag: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) {
    usageError(`${flag} must be a port number (0-65535), got ${JSON.stringify(value)}.`);
  }
  return parsed;
}

try {
  const inProcess = values['in-process'];
  const stack = await startLocalStack({
    port: port(values.port, '--port'),
    endpointPort: port(values['endpoint-port'], '--endpoint-port'),
    host: values.host,
    modelFile: values.model,
    vocabularyFile: values.vocabulary,
    logLevel: logLevel(values['log-level']),
    inProcess,
  });
  const model = describeModel(stack.model);
  const scoring =
    stack.endpointUrl === undefined
      ? `  Scoring            in process (--in-process), as a function deployed with MODEL_SOURCE`
      : `  Scoring            the local SageMaker endpoint, as a function deployed with SAGEMAKER_ENDPOINT_NAME
  SageMaker endpoint ${stack.endpointUrl}, endpoint name ${stack.endpointName}
                     Your own handlers reach it with these variables (any credentials will do):
                     AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME=${stack.endpointUrl} SAGEMAKER_ENDPOINT_NAME=${stack.endpointName} \\
                     AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local`;
  console.log(`sentiment-lambda offline stack is running.

  Web page           ${stack.url}
  API (POST)         ${stack.url}
${scoring}
  Model              ${model.file} (${model.summary})
  Vocabulary         ${model.vocabulary}

Try: curl -H 'Content-Type: text/plain' --data-binary 'What a wonderful, moving film' ${stack.url}
Press Ctrl-C to stop.`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await stack.close();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  if (
    error instanceof PortInUseError ||
    error instanceof ModelLoadError ||
    error instanceof NotScorableInProcessError
  ) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
