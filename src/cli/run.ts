/**
 * The `sentiment-lambda` command line: dispatches to the subcommands. Kept apart from `main.ts`
 * (the entry file, which only runs this) so that tests can call it with their own streams.
 */
import { CLASSIFY_USAGE, classifyCommand } from './classify-command.ts';
import { ENCODE_USAGE, encodeCommand } from './encode-command.ts';
import { type CliIO, ExitCode, PROGRAM } from './io.ts';
import { VOCABULARY_IMPORT_USAGE, vocabularyImportCommand } from './vocabulary-import.ts';

/** Help text of the program as a whole. */
export const USAGE = `Usage: ${PROGRAM} <command> [options]

Commands:
  classify --model FILE --vocabulary FILE [INPUT]
      Classify reviews (JSON lines or CSV, a file or stdin) as the deployed function does with
      the model in the function: one JSON result per review on stdout, in input order.
  encode --vocabulary FILE [--format csv|libsvm]
      Encode reviews (one JSON string per line on stdin) into endpoint request bodies
      (one per line on stdout), byte for byte what the reference preprocessing
      (scripts/original_preprocessing.py) writes.
  vocabulary import FILE [--out OUT]
      Convert a vocabulary pasted as a Python dict literal (str(vocabulary)), or JSON,
      into the canonical JSON that encode and the Lambda read.

Run '${PROGRAM} <command> --help' for a command's options.
Exit codes: 0 ok, 1 bad input data, 2 usage error.
`;

/** Help text of the `vocabulary` command group. */
export const VOCABULARY_USAGE = `Usage: ${PROGRAM} vocabulary import FILE [--out OUT]

Subcommands:
  import   convert a Python dict literal (or JSON) vocabulary into canonical JSON
`;

const isHelp = (arg: string | undefined): boolean => arg === '--help' || arg === '-h' || arg === 'help';

/**
 * Runs the program with its arguments (`process.argv.slice(2)`) on the given streams.
 * @returns the exit code: 0 ok, 1 bad input data, 2 usage error.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  const [command, ...rest] = argv;
  if (isHelp(command)) {
    io.stdout.write(command === 'help' && rest[0] !== undefined ? helpFor(rest) : USAGE);
    return ExitCode.Ok;
  }
  switch (command) {
    case 'classify':
      return classifyCommand(rest, io);
    case 'encode':
      return encodeCommand(rest, io);
    case 'vocabulary': {
      const [subcommand, ...args] = rest;
      if (subcommand === 'import') return vocabularyImportCommand(args, io);
      if (isHelp(subcommand)) {
        io.stdout.write(VOCABULARY_USAGE);
        return ExitCode.Ok;
      }
      const problem =
        subcommand === undefined ? 'missing a subcommand' : `unknown subcommand ${JSON.stringify(subcommand)}`;
      io.stderr.write(`${PROGRAM} vocabulary: ${problem}\n\n${VOCABULARY_USAGE}`);
      return ExitCode.Usage;
    }
    default: {
      const problem = command === undefined ? 'missing a command' : `unknown command ${JSON.stringify(command)}`;
      io.stderr.write(`${PROGRAM}: ${problem}\n\n${USAGE}`);
      return ExitCode.Usage;
    }
  }
}

function helpFor(topic: readonly string[]): string {
  if (topic[0] === 'classify') return CLASSIFY_USAGE;
  if (topic[0] === 'encode') return ENCODE_USAGE;
  if (topic[0] === 'vocabulary') return topic[1] === 'import' ? VOCABULARY_IMPORT_USAGE : VOCABULARY_USAGE;
  return USAGE;
}
