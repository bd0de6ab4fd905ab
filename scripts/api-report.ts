/**
 * The package's public API, one report per entry point of package.json's `exports` (api/<entry>.api.md),
 * written by API Extractor from the declarations tsc emits for lib/. `npm test` compares them
 * (test/package/api-report.test.ts), so a change to what users can import shows in the diff of a commit
 * and is made on purpose; an entry point added to `exports` needs its report.
 *
 * The declarations are built into a temporary directory (with this repository's node_modules linked in,
 * for the packages they import), not lib/: the check needs no earlier build and leaves nothing behind.
 *
 * Usage: npm run api:check (fails on a difference, printing it) | npm run api:update (rewrites api/)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CompilerState,
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
  type ExtractorMessage,
} from '@microsoft/api-extractor';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Where the committed reports are. */
export const API_REPORT_FOLDER = join(root, 'api');
const REPORT_SUFFIX = '.api.md';
/**
 * Entry points whose exports need no `@example` yet. `sentiment-lambda/infra` (the CDK constructs) is
 * still to be trimmed and documented (issue 21); its report already holds its surface.
 */
const EXAMPLES_NOT_REQUIRED = new Set(['./infra']);
/** API Extractor's messages about copying a report, which name the temporary directory and its own workflow. */
const REPORT_FILE_MESSAGES = new Set<string>([
  'console-api-report-not-copied',
  'console-api-report-copied',
  'console-api-report-created',
]);

/** One entry point of the package: its `exports` subpath, its declarations under lib/, its report's name. */
export interface ApiEntryPoint {
  subpath: string;
  types: string;
  report: string;
}

/** Every `exports` entry with types: `.` is `sentiment-lambda`, `./middlewares/model` is `middlewares-model`. */
export function apiEntryPoints(
  manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')),
): ApiEntryPoint[] {
  return Object.entries(manifest.exports as Record<string, string | Record<string, string>>).flatMap(
    ([subpath, target]) =>
      typeof target === 'object' && target.types !== undefined
        ? [
            {
              subpath,
              types: target.types.replace(/^\.\//, ''),
              report: subpath === '.' ? manifest.name : subpath.replace(/^\.\//, '').replaceAll('/', '-'),
            },
          ]
        : [],
  );
}

/**
 * API Extractor's defaults (its api-extractor-defaults.json, which only a config file read from disk extends),
 * but for three. No release tags: everything exported is public. No TSDoc syntax checks and no check that
 * `{@link}` names an export: the comments are JSDoc, as TypeScript and editors read them (`@throws {TypeError}`,
 * `@default`, links to the source's own names). A type the API uses but no entry point exports is kept in
 * the report as a warning line (ae-forgotten-export), so that it shows in review.
 */
const MESSAGES = {
  compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
  extractorMessageReporting: {
    default: { logLevel: ExtractorLogLevel.Warning },
    'ae-forgotten-export': { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: true },
    'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
    'ae-unresolved-link': { logLevel: ExtractorLogLevel.None },
    'ae-undocumented': { logLevel: ExtractorLogLevel.None },
    'ae-unresolved-inheritdoc-reference': { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: true },
    'ae-unresolved-inheritdoc-base': { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: true },
    'ae-wrong-input-file-type': { logLevel: ExtractorLogLevel.Error },
  },
  tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
};

export interface ApiReportResult {
  /** Reports whose content differs from the API (or that are missing); with `update`, rewritten. */
  changed: string[];
  /** Reports in api/ of no entry point; with `update`, removed. */
  stale: string[];
  /** API Extractor's warnings and errors (a changed report's diff among them), one string each. */
  messages: string[];
  /** Exports whose TSDoc has no `@example`, as `<report>: <name>`. */
  withoutExample: string[];
}

/** The names of the exports in a doc model (.api.json) whose TSDoc has no `@example` (any overload's will do). */
function exportsWithoutExample(apiJsonFile: string): string[] {
  const model = JSON.parse(readFileSync(apiJsonFile, 'utf8')) as {
    members: { members: { name: string; docComment?: string }[] }[];
  };
  const members = model.members.flatMap((entryPoint) => entryPoint.members);
  const names = new Set(members.map(({ name }) => name));
  return [...names].filter(
    (name) => !members.some((member) => member.name === name && member.docComment?.includes('@example')),
  );
}

/** Builds the declarations of src/, middlewares/ and infra/ into `outDir`, as the library build does. */
function buildDeclarations(outDir: string): void {
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
  execFileSync(
    process.execPath,
    [
      tsc,
      '-p',
      join(root, 'tsconfig.build.json'),
      '--emitDeclarationOnly',
      '--declarationMap',
      'false',
      '--outDir',
      outDir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/**
 * Compares (or, with `update`, rewrites) the API report of every entry point.
 * @throws when the declarations do not build
 */
export function apiReports({ update = false } = {}): ApiReportResult {
  const work = mkdtempSync(join(tmpdir(), 'sentiment-api-'));
  try {
    buildDeclarations(join(work, 'lib'));
    symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
    writeFileSync(join(work, 'package.json'), readFileSync(join(root, 'package.json')));
    mkdirSync(API_REPORT_FOLDER, { recursive: true });

    const entries = apiEntryPoints();
    const messages: string[] = [];
    const changed: string[] = [];
    const withoutExample: string[] = [];
    let compilerState: CompilerState | undefined;
    for (const entry of entries) {
      const config = ExtractorConfig.prepare({
        configObject: {
          projectFolder: work,
          mainEntryPointFilePath: join(work, entry.types),
          compiler: {
            overrideTsconfig: {
              compilerOptions: {
                target: 'es2024',
                module: 'nodenext',
                moduleResolution: 'nodenext',
                lib: ['es2024'],
                types: ['node'],
                strict: true,
                // The declarations were type-checked as sources; checking every dependency's again is slow.
                skipLibCheck: true,
              },
              files: entries.map(({ types }) => join(work, types)),
            },
          },
          apiReport: {
            enabled: true,
            reportFileName: entry.report,
            reportFolder: API_REPORT_FOLDER,
            reportTempFolder: join(work, 'api'),
          },
          // The doc model (.api.json) is read back for the check that each export has an example.
          docModel: { enabled: true, apiJsonFilePath: join(work, 'model', `${entry.report}.api.json`) },
          dtsRollup: { enabled: false },
          tsdocMetadata: { enabled: false },
          newlineKind: 'lf',
          messages: MESSAGES,
        },
        configObjectFullPath: undefined,
        packageJsonFullPath: join(work, 'package.json'),
      });
      // One program for all the entry points: they share most of their declarations.
      compilerState ??= CompilerState.create(config, {
        additionalEntryPoints: entries.map(({ types }) => join(work, types)),
      });
      const result = Extractor.invoke(config, {
        localBuild: update,
        compilerState,
        printApiReportDiff: !update,
        messageCallback: (message: ExtractorMessage) => {
          message.handled = true;
          if (REPORT_FILE_MESSAGES.has(message.messageId)) return; // `changed` says it, and what to run
          if (message.logLevel === ExtractorLogLevel.Warning || message.logLevel === ExtractorLogLevel.Error) {
            messages.push(`${entry.report}: ${message.formatMessageWithLocation(work)}`);
          }
        },
      });
      if (result.apiReportChanged) changed.push(`${entry.report}${REPORT_SUFFIX}`);
      if (!EXAMPLES_NOT_REQUIRED.has(entry.subpath)) {
        for (const name of exportsWithoutExample(config.apiJsonFilePath))
          withoutExample.push(`${entry.report}: ${name}`);
      }
    }

    const reports = new Set(entries.map(({ report }) => `${report}${REPORT_SUFFIX}`));
    const stale = readdirSync(API_REPORT_FOLDER).filter((file) => file.endsWith(REPORT_SUFFIX) && !reports.has(file));
    if (update) for (const file of stale) rmSync(join(API_REPORT_FOLDER, file));
    return { changed, stale, messages, withoutExample };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const update = process.argv.includes('--update');
  const { changed, stale, messages, withoutExample } = apiReports({ update });
  for (const message of messages) console.error(message);
  for (const name of withoutExample) console.error(`${name}: its TSDoc has no @example`);
  if (update) {
    for (const file of changed) console.log(`api/${file}: rewritten`);
    for (const file of stale) console.log(`api/${file}: removed (no such entry point)`);
    console.log(changed.length + stale.length === 0 ? 'api/: up to date' : 'api/: review the diff and commit it');
  } else {
    for (const file of changed) console.error(`api/${file}: differs from the API, or is missing`);
    for (const file of stale) console.error(`api/${file}: no entry point of package.json exports has this report`);
    if (changed.length + stale.length + messages.length > 0) {
      console.error(
        'The public API differs from api/ (above). If the change is meant, run `npm run api:update` and commit api/ with it.',
      );
    }
  }
  if (withoutExample.length > 0) console.error('Give each export an @example: a few lines a user would write.');
  const failed = update ? messages.length > 0 : changed.length + stale.length + messages.length > 0;
  if (failed || withoutExample.length > 0) process.exit(1);
  if (!update) console.log('api/: the public API matches the reports');
}
