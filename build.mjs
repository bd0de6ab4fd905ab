#!/usr/bin/env node
/**
 * Builds what the package ships.
 *
 *   node build.mjs [--vocabulary FILE] [--outdir DIR] [--quiet]
 *
 * - dist/lambda/  the deployable Lambda artifact: index.mjs (ESM, nodejs24.x, minified, source map) from
 *                 src/lambda.ts, lazy/ (the packages it imports only when needed), and vocabulary.json (by
 *                 default the offline stack's default model's). How it is bundled: scripts/bundle-handler.ts.
 * - lib/          the library and the `sentiment-lambda` command: JavaScript, .d.ts and declaration maps of
 *                 src/, middlewares/ and infra/ (tsconfig.build.json).
 *
 * `--outdir DIR` builds only the Lambda artifact, into DIR. `--vocabulary FILE` is read as the shell that
 * ran `npm run build` sees it (npm runs scripts from the project root, and says where it was called from
 * in INIT_CWD).
 *
 * The request validators are generated first (Ajv standalone code, schemas/validators/): the bundle
 * neither ships nor runs the Ajv compiler. The build prints the size of what the artifact loads at
 * cold start and fails above build-budget.json.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_VOCABULARY_FILE } from './default-model/files.ts';
import { LAMBDA_ARTIFACT } from './infra/artifact.ts';
import { bundleHandler, loadedAtColdStart } from './scripts/bundle-handler.ts';
import { writeValidators } from './scripts/generate-validators.ts';
import { Vocabulary } from './src/encoder/vocabulary.ts';

const root = dirname(fileURLToPath(import.meta.url));
// The offline stack's default model's vocabulary, so that the artifact and `npm start` serve the same one.
const DEFAULT_VOCABULARY = fileURLToPath(DEFAULT_VOCABULARY_FILE);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

async function buildLambda(outdir, vocabularyFile, log) {
  // The vocabulary travels with the function; validate it now rather than at the first cold start.
  let vocabulary;
  try {
    vocabulary = Vocabulary.fromJSON(readFileSync(vocabularyFile, 'utf8'));
  } catch (error) {
    console.error(`build: --vocabulary ${vocabularyFile}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    process.exit(2);
  }
  // The directory is emptied first; refuse to empty one that holds something other than an artifact.
  if (existsSync(outdir) && readdirSync(outdir).length > 0 && !existsSync(join(outdir, LAMBDA_ARTIFACT.entryFile))) {
    console.error(
      `build: --outdir ${outdir} is not empty and holds no earlier artifact (${LAMBDA_ARTIFACT.entryFile}): not emptying it.`,
    );
    process.exit(2);
  }
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  writeValidators();
  const { entry } = await bundleHandler({ entry: 'src/lambda.ts', outdir });
  const { bytes, largest } = loadedAtColdStart(entry.metafile, relative(root, join(outdir, LAMBDA_ARTIFACT.entryFile)));
  // Bundled as its words in column order: the same vocabulary, parsed and validated faster than the
  // {"word": index} object at every cold start.
  writeFileSync(join(outdir, LAMBDA_ARTIFACT.vocabularyFile), JSON.stringify(vocabulary.wordsByColumn));

  log(`${relative(root, outdir)}/${LAMBDA_ARTIFACT.entryFile}: ${kb(bytes)} loaded at cold start`);
  log(`  vocabulary: ${vocabularyFile} (${vocabulary.size} words)`);
  log('  largest inputs:');
  for (const [name, size] of largest) log(`    ${kb(size).padStart(10)}  ${name}`);
  const { lambdaBundleBytes } = JSON.parse(readFileSync(join(root, 'build-budget.json'), 'utf8'));
  if (bytes > lambdaBundleBytes) {
    console.error(`Bundle is ${kb(bytes)}, over the ${kb(lambdaBundleBytes)} budget in build-budget.json.`);
    process.exit(1);
  }
  log(`  budget: ${kb(bytes)} of ${kb(lambdaBundleBytes)}`);
}

function buildLibrary(log) {
  const lib = join(root, 'lib');
  rmSync(lib, { recursive: true, force: true });
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  // tsc emits TypeScript only: the generated validators are JavaScript with a hand-written .d.ts.
  mkdirSync(join(lib, 'schemas/validators'), { recursive: true });
  for (const file of ['review-request.js', 'review-request.d.ts']) {
    copyFileSync(join(root, 'schemas/validators', file), join(lib, 'schemas/validators', file));
  }
  log('lib/: the library (JavaScript, .d.ts, declaration maps) and the sentiment-lambda command');
}

const { values: args } = parseArgs({
  options: {
    vocabulary: { type: 'string' },
    outdir: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const log = args.quiet ? () => {} : (...line) => console.log(...line);
const userCwd = process.env.INIT_CWD ?? process.cwd();
const vocabularyFile = args.vocabulary === undefined ? DEFAULT_VOCABULARY : resolve(userCwd, args.vocabulary);
const outdir = args.outdir === undefined ? join(root, LAMBDA_ARTIFACT.directory) : resolve(userCwd, args.outdir);
await buildLambda(outdir, vocabularyFile, log);
if (args.outdir === undefined) buildLibrary(log);
