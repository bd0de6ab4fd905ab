#!/usr/bin/env node
/**
 * Builds what the package ships.
 *
 *   npm run build -- [--model FILE] [--vocabulary FILE] [--outdir DIR] [--quiet]
 *
 * - dist/lambda/  the deployable Lambda artifact: index.mjs (ESM, nodejs24.x, minified, source map) from
 *                 src/lambda.ts, lazy/ (the packages it imports only when needed), vocabulary.json, with
 *                 `--model` the model packed (model.packed: the trees' arrays, which a cold start reads in
 *                 a millisecond and scores exactly as the file it came from), and artifact.json, what was
 *                 bundled. How the code is bundled: scripts/bundle-handler.ts.
 *
 *                 --model FILE --vocabulary FILE   your model in the function, and its vocabulary: the
 *                                                   artifact serves with no variable set; refused unless
 *                                                   the two are as wide.
 *                 --vocabulary FILE                 no model: the function calls the SageMaker endpoint
 *                                                   named by SAGEMAKER_ENDPOINT_NAME, or MODEL_SOURCE's.
 *                 neither                           the demo pair (default-model/), said so loudly.
 * - lib/          the library and the `sentiment-lambda` command: JavaScript, .d.ts and declaration maps of
 *                 src/, middlewares/ and infra/ (tsconfig.build.json).
 *
 * `--outdir DIR` builds only the Lambda artifact, into DIR. `--model` and `--vocabulary` are read as the shell
 * that ran `npm run build` sees them (npm runs scripts from the project root, and says where it was called from
 * in INIT_CWD).
 *
 * The request validators are generated first (Ajv standalone code, schemas/validators/): the bundle
 * neither ships nor runs the Ajv compiler. The build prints the size of what the artifact loads at
 * cold start and fails above build-budget.json.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL_FILE, DEFAULT_VOCABULARY_FILE } from './default-model/files.ts';
import { LAMBDA_ARTIFACT } from './infra/artifact.ts';
import { bundleHandler, loadedAtColdStart } from './scripts/bundle-handler.ts';
import { writeValidators } from './scripts/generate-validators.ts';
import { Vocabulary } from './src/encoder/vocabulary.ts';
import { readXGBoostModel } from './src/xgboost/load.ts';
import { packModel } from './src/xgboost/packed.ts';

const root = dirname(fileURLToPath(import.meta.url));
// The demo pair `npm start` serves, bundled when the build names no model and no vocabulary.
const DEMO_MODEL = fileURLToPath(DEFAULT_MODEL_FILE);
const DEMO_VOCABULARY = fileURLToPath(DEFAULT_VOCABULARY_FILE);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Stops the build with `message` (a mistake in what it was asked to bundle): status 2, no stack trace. */
function refuse(message) {
  console.error(`build: ${message}`);
  process.exit(2);
}

async function buildLambda(outdir, { modelFile, vocabularyFile }, log) {
  // What travels with the function is checked now rather than at the first cold start: the vocabulary,
  // the model, and that the two are as wide.
  let vocabularyBytes;
  let vocabulary;
  try {
    vocabularyBytes = readFileSync(vocabularyFile);
    vocabulary = Vocabulary.fromJSON(vocabularyBytes.toString('utf8'));
  } catch (error) {
    refuse(`--vocabulary ${vocabularyFile}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
  let model;
  if (modelFile !== undefined) {
    let bytes;
    try {
      bytes = readFileSync(modelFile);
      model = { bytes, read: await readXGBoostModel(bytes, modelFile) };
    } catch (error) {
      refuse(`--model ${error.code === 'ENOENT' ? `${modelFile}: no such file` : error.message}`);
    }
    if (model.read.model.featureCount !== vocabulary.size) {
      refuse(
        `--model ${modelFile} takes ${model.read.model.featureCount} features, but --vocabulary ${vocabularyFile} has ` +
          `${vocabulary.size} words: give the vocabulary the model was trained with.`,
      );
    }
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
  const manifest = {
    vocabulary: {
      from: relative(root, vocabularyFile),
      words: vocabulary.size,
      sha256: sha256(vocabularyBytes),
      demo: vocabularyFile === DEMO_VOCABULARY,
    },
  };
  if (model !== undefined) {
    const { read } = model;
    writeFileSync(join(outdir, LAMBDA_ARTIFACT.modelFile), packModel(read.model, read.forms));
    manifest.model = {
      from: relative(root, modelFile),
      features: read.model.featureCount,
      trees: read.model.trees,
      description: read.model.description,
      sha256: sha256(model.bytes),
      demo: modelFile === DEMO_MODEL,
    };
  }
  writeFileSync(join(outdir, LAMBDA_ARTIFACT.manifestFile), `${JSON.stringify(manifest, null, 2)}\n`);

  log(`${relative(root, outdir)}/${LAMBDA_ARTIFACT.entryFile}: ${kb(bytes)} loaded at cold start`);
  log(`  vocabulary: ${vocabularyFile} (${vocabulary.size} words)`);
  if (model !== undefined) log(`  model: ${modelFile} (${model.read.model.description}), packed`);
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
    model: { type: 'string' },
    vocabulary: { type: 'string' },
    outdir: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const log = args.quiet ? () => {} : (...line) => console.log(...line);
const userCwd = process.env.INIT_CWD ?? process.cwd();
const given = (file) => (file === undefined ? undefined : resolve(userCwd, file));
let modelFile = given(args.model);
let vocabularyFile = given(args.vocabulary);
if (modelFile === undefined && vocabularyFile === undefined) {
  modelFile = DEMO_MODEL;
  vocabularyFile = DEMO_VOCABULARY;
  // Said on stderr, where it is seen even with --quiet: a deployment that meant its own model would
  // otherwise answer with the demo's, and a vocabulary as wide as its endpoint's model gives wrong
  // answers with no error.
  console.error(
    'build: no --model and no --vocabulary: bundling the DEMO model and vocabulary (default-model/, trained on ' +
      'movie-review sentences). For your deployment give --model FILE --vocabulary FILE (your model, scored in ' +
      'the function) or --vocabulary FILE (the vocabulary of your SageMaker endpoint).',
  );
} else if (vocabularyFile === undefined) {
  if (modelFile !== DEMO_MODEL) {
    refuse(`--model ${args.model} needs --vocabulary FILE too: the vocabulary it was trained with travels with it.`);
  }
  vocabularyFile = DEMO_VOCABULARY;
}
const outdir = args.outdir === undefined ? join(root, LAMBDA_ARTIFACT.directory) : resolve(userCwd, args.outdir);
await buildLambda(outdir, { modelFile, vocabularyFile }, log);
if (args.outdir === undefined) buildLibrary(log);
