/**
 * What the deployed function scores with, decided at synth: a SageMaker endpoint, or an XGBoost model in the
 * function (a model file shipped with it, an S3 object, or the model the artifact bundles); and the mistakes
 * that would only show in production as wrong answers, refused or warned about here.
 *
 * @module
 */
import { LAMBDA_ARTIFACT } from './artifact.ts';
import { type FunctionArtifact, shippedModelPath } from './function-code.ts';
import type { DeployedLocation, ResolvedSentimentApiProps, SCORING_PROPS } from './sentiment-api-validation.ts';
import type { PropsValidator } from './validators.ts';

/** What the function scores with. */
export type SentimentScoring =
  /** A SageMaker endpoint (`SAGEMAKER_ENDPOINT_NAME`). */
  | { readonly kind: 'endpoint'; readonly endpointName: string }
  /** An XGBoost model scored in the function (`MODEL_SOURCE`). */
  | {
      readonly kind: 'in-process';
      /** The prop that named the model, or `artifact` for the model the artifact bundles. */
      readonly from: 'modelFile' | 'modelSource' | 'artifact';
      /** `MODEL_SOURCE`: a path in the function root, or `s3://bucket/key`. */
      readonly modelSource: string;
      readonly location: DeployedLocation;
    };

/** The shapes a deployment takes: {@link SentimentScoring}'s `kind`. */
export type ScoringKind = SentimentScoring['kind'];

/** A synth warning: its id (for `Annotations.acknowledgeWarning`) and message. */
export interface ScoringWarning {
  readonly id: string;
  readonly message: string;
}

/**
 * Decides what the function scores with, from the props and what the artifact bundles.
 *
 * @returns The scoring, and the warnings to add to the construct.
 * @throws Error naming the props when they choose no way to score, leave a model of the user's own in the
 * artifact unused, or pair one with the artifact's demo vocabulary. (Several ways at once are the props'
 * validation's to refuse.)
 */
export function chooseScoring(
  check: PropsValidator,
  props: Pick<ResolvedSentimentApiProps, (typeof SCORING_PROPS)[number] | 'vocabularySourceGiven'>,
  artifact: FunctionArtifact,
): { readonly scoring: SentimentScoring; readonly warnings: readonly ScoringWarning[] } {
  const bundled = artifact.manifest?.model;
  const scoring = scoringOf(check, props, artifact);
  // A model of the user's own in the artifact, left unused by a prop: almost certainly not what was meant. The
  // demo model, which a build without flags bundles, yields to any prop.
  const usesBundled = scoring.kind === 'in-process' && scoring.modelSource === LAMBDA_ARTIFACT.modelFile;
  if (bundled !== undefined && !bundled.demo && !usesBundled) {
    // Exactly one of the props chose (the props' validation refuses more): the one that leaves it unused.
    const chooser = scoring.kind === 'endpoint' ? 'endpointName' : scoring.from;
    check.fail(
      `the artifact bundles a model of your own (${bundled.from}: ${bundled.description}), which ${chooser} would ` +
        `leave unused: drop ${chooser} to serve the bundled model, or build the artifact without --model ` +
        '(npm run build -- --vocabulary FILE).',
    );
  }

  const warnings: ScoringWarning[] = [];
  const vocabulary = artifact.manifest?.vocabulary;
  if (vocabulary?.demo !== true || props.vocabularySourceGiven) return { scoring, warnings };
  // The demo vocabulary and the function's default VOCABULARY_SOURCE: right for the demo model only. Another
  // model of the same width gets rows of the right size, counting the wrong words, and answers without an error.
  const fix =
    'build the artifact with the vocabulary the model was trained with (npm run build -- --vocabulary FILE, or ' +
    '--model FILE --vocabulary FILE), or set vocabularySource to it (a path in the function or s3://bucket/key)';
  if (scoring.kind === 'endpoint') {
    warnings.push({
      id: 'sentiment-lambda:demoVocabularyWithEndpoint',
      message:
        `the function sends the endpoint rows counted with the DEMO vocabulary the artifact bundles (${vocabulary.from}): ` +
        `right only if the endpoint serves the demo model. For a model of your own, ${fix}.`,
    });
  } else if (!scoresDemoModel(scoring, props, artifact)) {
    check.fail(
      `the function would score ${modelNamed(scoring, props, artifact)} with the DEMO vocabulary the artifact bundles ` +
        `(${vocabulary.from}): a model trained on other words gets rows of the same width counting the wrong words, ` +
        `and answers wrongly without an error. To fix it, ${fix}. If the model was trained on the demo vocabulary, ` +
        `set vocabularySource: '${LAMBDA_ARTIFACT.vocabularyFile}' to say so.`,
    );
  } else {
    warnings.push({
      id: 'sentiment-lambda:demoModel',
      message:
        'the function scores with the DEMO model and vocabulary the artifact bundles (default-model/, trained on ' +
        'movie-review sentences): fine to try the API out; for your own, build with npm run build -- --model FILE ' +
        '--vocabulary FILE.',
    });
  }
  return { scoring, warnings };
}

function scoringOf(
  check: PropsValidator,
  props: Pick<ResolvedSentimentApiProps, (typeof SCORING_PROPS)[number]>,
  artifact: FunctionArtifact,
): SentimentScoring {
  if (props.endpointName !== undefined) return { kind: 'endpoint', endpointName: props.endpointName };
  if (props.modelSource !== undefined) {
    const { text, location } = props.modelSource;
    return { kind: 'in-process', from: 'modelSource', modelSource: text, location };
  }
  if (props.modelFile !== undefined) {
    const modelSource = shippedModelPath(props.modelFile);
    return { kind: 'in-process', from: 'modelFile', modelSource, location: { kind: 'file', path: modelSource } };
  }
  if (artifact.manifest?.model === undefined) {
    check.fail(
      'no model to score with: give endpointName (a SageMaker endpoint), modelSource (s3://bucket/key) or ' +
        'modelFile (a local model file), or deploy an artifact that bundles one (npm run build -- --model FILE ' +
        `--vocabulary FILE)${artifact.kind === 'opaque' ? '; the construct cannot look into the code prop, so name its model with modelSource' : ''}.`,
    );
  }
  const modelSource = LAMBDA_ARTIFACT.modelFile;
  return { kind: 'in-process', from: 'artifact', modelSource, location: { kind: 'file', path: modelSource } };
}

/** Whether the in-process model is the artifact's demo model: the bundled one, or a file with its bytes. */
function scoresDemoModel(
  scoring: Extract<SentimentScoring, { kind: 'in-process' }>,
  props: Pick<ResolvedSentimentApiProps, 'modelFile'>,
  artifact: FunctionArtifact,
): boolean {
  const bundled = artifact.manifest?.model;
  if (bundled?.demo !== true) return false;
  if (scoring.modelSource === LAMBDA_ARTIFACT.modelFile) return true;
  if (props.modelFile === undefined) return false;
  // build.mjs records the sha256 of the file it packed: the same bytes are the same model.
  return props.modelFile.sha256 === bundled.sha256;
}

/** The in-process model, as the props named it. */
function modelNamed(
  scoring: Extract<SentimentScoring, { kind: 'in-process' }>,
  props: Pick<ResolvedSentimentApiProps, 'modelFile'>,
  artifact: FunctionArtifact,
): string {
  if (scoring.from === 'artifact') return `the model the artifact bundles (${artifact.manifest?.model?.from})`;
  const given = scoring.from === 'modelFile' ? props.modelFile?.given : scoring.modelSource;
  return `the model of ${scoring.from} '${given}'`;
}
