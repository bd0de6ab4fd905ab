#!/usr/bin/env python3
"""Trains the project's default sentiment model: an XGBoost binary:logistic model over 5,000-word
bag-of-words CSV rows, on real movie-review sentences. `npm run model:train` runs it.

Data: the file SENTENCE_POLARITY_FILE names, the 80% training split of Bo Pang and Lillian Lee's sentence
polarity dataset v1.0 (8,530 labelled sentences, JSON lines; read at run time, never copied into the
project). `npm run data:check -- --json` (default-model/sentence-polarity.ts) finds and describes it;
without it, that prints what the data is and where it is published, and this script exits 1.

Steps (every setting is written to default-model/card.json):
  1. Split, as default-model/sentence-polarity.ts does: within each label, sentences ordered by
     sha256(SPLIT_SALT + text); the first 25% are the held-out test part, the next 15% the validation
     part, the rest the train part. No random generator, exactly stratified.
  2. Vocabulary: scikit-learn's own CountVectorizer(max_features=5000) over the train part only, with the
     reference preprocessing as analyzer (review_to_words(text).split(), from
     scripts/original_preprocessing.py). It keeps the 5,000 words of
     highest total count; words tied at the cut-off count are picked by numpy's argsort (introsort, not
     stable: not alphabetically), so the versions are recorded. Indices are the words' sorted order.
     -> default-model/vocabulary.json
  3. Features: the project's own encoder (default-model/encode-features.ts, the CSV rows the
     Lambda sends), read as dense float32 rows where 0 is a value (missing=NaN), as SageMaker's XGBoost
     container reads CSV. Every row is checked byte for byte against the reference's body
     (original_preprocessing.request_body).
  4. The Udacity SageMaker tutorial's hyperparameters as the baseline; then a small grid, each point trained on
     the train part with early stopping on the validation part's logloss; the point with the lowest
     validation logloss wins.
  5. Refit: the winner's parameters on train + validation, for the winner's best round count.
     -> default-model/model.ubj (UBJSON, xgboost 1.7.4)
  6. xgboost's own predictions of the committed model on the held-out part
     -> test/fixtures/default-model/predictions.json (line numbers and scores, no text)
  7. The held-out accuracy, through the project's encoder and Python's round() (half to even: 0.5 is
     negative), and the lexicon model's on the same part: `npm run model:accuracy -- --json`,
     which also draws docs/default-model-scores.svg. -> the card.

Usage:
  train.py [train]                      the whole run (npm run model:train)
  train.py vocabulary --out FILE        step 2 alone (the tests recompute the committed vocabulary)
  train.py score [--model FILE]         CSV rows on stdin -> one score per line, float32 printed as
                                        Python's repr, as the XGBoost container answers (the scorer of
                                        npm run model:accuracy until the TypeScript evaluator replaces it)

Runs under /usr/bin/python3 (Debian's python3-xgboost 1.7.4, python3-sklearn 1.2.1, numpy); no network.
"""
import argparse
import hashlib
import importlib.util
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
ORIGINAL_PREPROCESSING = os.path.join(ROOT, 'scripts', 'original_preprocessing.py')
DATA_CHECK = os.path.join(ROOT, 'default-model', 'sentence-polarity.ts')
MODEL_DIR = os.path.join(ROOT, 'default-model')
MODEL_FILE = os.path.join(MODEL_DIR, 'model.ubj')
VOCABULARY_FILE = os.path.join(MODEL_DIR, 'vocabulary.json')
CARD_FILE = os.path.join(MODEL_DIR, 'card.json')
PREDICTIONS_FILE = os.path.join(ROOT, 'test', 'fixtures', 'default-model', 'predictions.json')

# The split (the same constants as default-model/sentence-polarity.ts).
SPLIT_SALT = 'sentence-polarity-split/v1\n'
TEST_PERCENT = 25
VALIDATION_PERCENT = 15

MAX_FEATURES = 5000
SEED = 20240601
# One thread: the trees cannot depend on the machine's core count, and on a busy 2-core machine two
# OpenMP threads spin-waiting on each other were 3-6x slower than one (measured: 40 rounds 2.3 s vs 7-16 s).
NTHREAD = 1
TREE_METHOD = 'hist'
COMMON_PARAMS = {
    'objective': 'binary:logistic',
    'booster': 'gbtree',
    'tree_method': TREE_METHOD,
    'eval_metric': ['error', 'logloss'],  # early stopping watches the last one: logloss
    'seed': SEED,
    'nthread': NTHREAD,
    'verbosity': 0,
}
# The original Udacity SageMaker tutorial's XGBoost hyperparameters (`silent=0` there; `verbosity` here).
TUTORIAL = {
    'params': {'max_depth': 5, 'eta': 0.2, 'gamma': 4, 'min_child_weight': 6, 'subsample': 0.8},
    'num_round': 500,
    'early_stopping_rounds': 10,
}
GRID = {
    'max_depth': [4, 8],
    'min_child_weight': [1, 3],
    'colsample_bytree': [0.3, 0.6],
}
GRID_FIXED = {'eta': 0.2, 'subsample': 0.8, 'gamma': 0, 'lambda': 1, 'alpha': 0}
GRID_MAX_ROUNDS = 2000
GRID_EARLY_STOPPING_ROUNDS = 30
PROGRESS_EVERY = 50


def log(message):
    print(message, file=sys.stderr, flush=True)


def relative(path):
    return os.path.relpath(path, ROOT)


def load_original_preprocessing(path=ORIGINAL_PREPROCESSING):
    """The original handler's preprocessing and encoding (the project's parity oracle) as a module."""
    spec = importlib.util.spec_from_file_location('original_preprocessing', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def find_data():
    """The data file and its description, from default-model/sentence-polarity.ts --json (npm run data:check).

    Without the data, that command prints what the data is, where it is published and which variable
    names it, and this process exits 1 with that message alone.
    """
    check = subprocess.run([node_binary(), DATA_CHECK, '--json'], cwd=ROOT, stdout=subprocess.PIPE, encoding='utf-8')
    if check.returncode != 0:
        sys.exit(1)
    return json.loads(check.stdout)


def load_data(path):
    """(sentences, sha256): sentences as dicts {line, text, label}, line 1-based."""
    with open(path, 'rb') as f:
        raw = f.read()
    sentences = []
    for n, line in enumerate(raw.decode('utf-8').split('\n')):
        if not line.strip():
            continue
        row = json.loads(line)
        if not isinstance(row.get('text'), str) or row.get('label') not in (0, 1):
            raise ValueError('%s line %d: expected {"text": string, "label": 0 | 1}' % (path, n + 1))
        sentences.append({'line': n + 1, 'text': row['text'], 'label': row['label']})
    return sentences, hashlib.sha256(raw).hexdigest()


def share(count, percent):
    return (count * percent + 50) // 100


def split_parts(sentences):
    """'train' | 'validation' | 'test' for each sentence, by the rule in the module docstring."""
    parts = [None] * len(sentences)
    for label in (0, 1):
        keyed = sorted(
            (hashlib.sha256((SPLIT_SALT + s['text']).encode('utf-8')).hexdigest(), s['line'], position)
            for position, s in enumerate(sentences)
            if s['label'] == label
        )
        test, validation = share(len(keyed), TEST_PERCENT), share(len(keyed), VALIDATION_PERCENT)
        for rank, (_, _, position) in enumerate(keyed):
            parts[position] = 'test' if rank < test else 'validation' if rank < test + validation else 'train'
    return parts


def fit_vocabulary(texts, original):
    """CountVectorizer(max_features=5000) with the original's tokens; returns (vocabulary, rule facts)."""
    from sklearn.feature_extraction.text import CountVectorizer

    def analyzer(text):
        return original.review_to_words(text).split()

    vectorizer = CountVectorizer(max_features=MAX_FEATURES, analyzer=analyzer)
    vectorizer.fit(texts)
    vocabulary = {word: int(index) for word, index in sorted(vectorizer.vocabulary_.items(), key=lambda kv: kv[1])}
    # The facts of the cut, for the card (and for the TypeScript recount in the tests).
    everything = CountVectorizer(analyzer=analyzer)
    counts = np.asarray(everything.fit_transform(texts).sum(axis=0)).ravel()
    kept = np.array([word in vocabulary for word in everything.get_feature_names_out()])
    cutoff = int(counts[kept].min())
    facts = {
        'distinctWords': int(len(counts)),
        'cutoffCount': cutoff,
        'wordsAboveCutoff': int((counts > cutoff).sum()),
        'wordsAtCutoff': int((counts == cutoff).sum()),
        'wordsAtCutoffKept': int(((counts == cutoff) & kept).sum()),
    }
    return vocabulary, facts


def vocabulary_json(vocabulary):
    return json.dumps(vocabulary, ensure_ascii=False, separators=(',', ':')) + '\n'


def node_binary():
    local = os.path.join(ROOT, 'node_modules', '.bin', 'node')
    return local if os.path.exists(local) else shutil.which('node') or 'node'


def encode_features(vocabulary_file, data_file, sentences, original, vocabulary, workdir):
    """Dense float32 rows from the project's encoder, checked against the original's encoding."""
    rows_file = os.path.join(workdir, 'rows.csv')
    subprocess.run(
        [node_binary(), os.path.join(ROOT, 'default-model', 'encode-features.ts'),
         '--vocabulary', vocabulary_file, '--data', data_file, '--out', rows_file],
        check=True, cwd=ROOT,
    )
    with open(rows_file, encoding='ascii') as f:
        lines = f.read().split('\n')
    if lines[-1] == '':
        lines.pop()
    if len(lines) != len(sentences):
        raise RuntimeError('the encoder wrote %d rows for %d sentences' % (len(lines), len(sentences)))
    X = np.empty((len(lines), len(vocabulary)), dtype=np.float32)
    for i, (line, sentence) in enumerate(zip(lines, sentences)):
        if line != original.request_body(sentence['text'], vocabulary):
            raise RuntimeError('line %d: the encoder row differs from the original handler\'s body' % sentence['line'])
        X[i] = np.array(line.split(','), dtype=np.float32)
    return X


def accuracy(booster, dmatrix, labels, iteration_range=(0, 0)):
    """Share of rows where Python's round() of the float32 score (as the handler answers) is the label."""
    scores = booster.predict(dmatrix, iteration_range=iteration_range)
    return float(np.mean([round(float(s)) == int(y) for s, y in zip(scores, labels)]))


def train_with_early_stopping(xgb, params, dtrain, dvalid, num_round, early_stopping, name):
    log('-- %s: %s' % (name, json.dumps(params, sort_keys=True)))
    started = time.monotonic()
    booster = xgb.train(
        {**COMMON_PARAMS, **params}, dtrain, num_round,
        evals=[(dvalid, 'validation')], early_stopping_rounds=early_stopping, verbose_eval=PROGRESS_EVERY,
    )
    seconds = time.monotonic() - started
    rounds = booster.best_iteration + 1
    log('   best round %d, validation logloss %.5f (%.1f s)' % (rounds, booster.best_score, seconds))
    return booster, rounds, seconds


def score_command(args):
    """CSV rows on stdin -> one score per line (float32, printed as Python's repr of the float)."""
    import xgboost as xgb

    booster = xgb.Booster()
    booster.load_model(args.model)
    width = booster.num_features()
    text = sys.stdin.read()
    lines = [line for line in text.split('\n') if line != '']
    X = np.empty((len(lines), width), dtype=np.float32)
    for i, line in enumerate(lines):
        values = line.split(',')
        if len(values) != width:
            raise SystemExit('row %d has %d values; the model has %d features' % (i + 1, len(values), width))
        X[i] = np.array(values, dtype=np.float32)
    scores = booster.predict(xgb.DMatrix(X, missing=np.nan))
    sys.stdout.write(''.join(repr(float(s)) + '\n' for s in scores))
    return 0


def vocabulary_command(args):
    sentences, _ = load_data(find_data()['file'])
    parts = split_parts(sentences)
    vocabulary, _ = fit_vocabulary([s['text'] for s, p in zip(sentences, parts) if p == 'train'],
                                   load_original_preprocessing())
    with open(args.out, 'w', encoding='utf-8') as f:
        f.write(vocabulary_json(vocabulary))
    return 0


def train_command(args):
    started = time.monotonic()
    data = find_data()  # first: without the data, its message is all the user sees

    import sklearn
    import xgboost as xgb

    original = load_original_preprocessing()
    sentences, data_sha256 = load_data(data['file'])
    parts = split_parts(sentences)
    index = {part: [i for i, p in enumerate(parts) if p == part] for part in ('train', 'validation', 'test')}
    log('Data: %s, %d sentences (sha256 %s); train %d, validation %d, test %d.' % (
        data['file'], len(sentences), data_sha256, *(len(index[p]) for p in ('train', 'validation', 'test'))))

    vocabulary, vocabulary_facts = fit_vocabulary([sentences[i]['text'] for i in index['train']], original)
    with open(VOCABULARY_FILE, 'w', encoding='utf-8') as f:
        f.write(vocabulary_json(vocabulary))
    log('Vocabulary: %d of %d words of the train part -> %s' % (
        len(vocabulary), vocabulary_facts['distinctWords'], relative(VOCABULARY_FILE)))

    with tempfile.TemporaryDirectory(prefix='model-train-') as workdir:
        X = encode_features(VOCABULARY_FILE, data['file'], sentences, original, vocabulary, workdir)
    y = np.array([s['label'] for s in sentences], dtype=np.float32)
    log('Features: %d x %d dense rows from the project encoder, equal to the original handler\'s bodies.' % X.shape)

    def dmatrix(*names):
        rows = sorted(i for name in names for i in index[name])
        return xgb.DMatrix(X[rows], label=y[rows], missing=np.nan), y[rows]

    dtrain, _ = dmatrix('train')
    dvalid, y_valid = dmatrix('validation')
    dtest, y_test = dmatrix('test')

    baseline, baseline_rounds, baseline_seconds = train_with_early_stopping(
        xgb, TUTORIAL['params'], dtrain, dvalid, TUTORIAL['num_round'], TUTORIAL['early_stopping_rounds'],
        'baseline (tutorial hyperparameters)')
    baseline_row = {
        'params': TUTORIAL['params'], 'numRound': TUTORIAL['num_round'],
        'earlyStoppingRounds': TUTORIAL['early_stopping_rounds'], 'bestRounds': baseline_rounds,
        'validationLogloss': round(baseline.best_score, 5),
        'validationAccuracy': round(accuracy(baseline, dvalid, y_valid, (0, baseline_rounds)), 5),
        # Not a choice: the tutorial's settings are fixed, so their test figure is a fair comparison.
        'testAccuracy': round(accuracy(baseline, dtest, y_test, (0, baseline_rounds)), 5),
        'seconds': round(baseline_seconds, 1),
    }

    rows = []
    names = list(GRID)
    points = list(itertools.product(*GRID.values()))
    for k, values in enumerate(points):
        params = {**GRID_FIXED, **dict(zip(names, values))}
        booster, rounds, seconds = train_with_early_stopping(
            xgb, params, dtrain, dvalid, GRID_MAX_ROUNDS, GRID_EARLY_STOPPING_ROUNDS,
            'grid %d/%d' % (k + 1, len(points)))
        rows.append({
            'params': params, 'bestRounds': rounds, 'validationLogloss': round(booster.best_score, 5),
            'validationAccuracy': round(accuracy(booster, dvalid, y_valid, (0, rounds)), 5),
            'seconds': round(seconds, 1),
        })
    chosen = min(rows, key=lambda row: (row['validationLogloss'], -row['validationAccuracy']))
    log('Chosen: %s, %d rounds (validation logloss %.5f, accuracy %.4f).' % (
        json.dumps(chosen['params'], sort_keys=True), chosen['bestRounds'], chosen['validationLogloss'],
        chosen['validationAccuracy']))

    # Refit on train + validation for the chosen number of rounds; progress on the data it fits.
    dfit, _ = dmatrix('train', 'validation')
    log('-- refit on train + validation, %d rounds' % chosen['bestRounds'])
    model = xgb.train({**COMMON_PARAMS, **chosen['params']}, dfit, chosen['bestRounds'],
                      evals=[(dfit, 'train+validation')], verbose_eval=PROGRESS_EVERY)
    model.save_model(MODEL_FILE)
    model = xgb.Booster(model_file=MODEL_FILE)  # everything below describes the committed file
    test_scores = model.predict(dtest)
    held_out_correct = sum(round(float(s)) == int(t) for s, t in zip(test_scores, y_test))
    held_out_accuracy = held_out_correct / len(y_test)
    with open(MODEL_FILE, 'rb') as f:
        model_bytes = f.read()
    trees = len(model.get_dump())
    log('Model: %s, %d bytes, %d trees; held-out accuracy %.4f.' % (
        relative(MODEL_FILE), len(model_bytes), trees, held_out_accuracy))

    test_lines = sorted(sentences[i]['line'] for i in index['test'])
    os.makedirs(os.path.dirname(PREDICTIONS_FILE), exist_ok=True)
    predictions = {
        '$comment': 'xgboost %s predict() of default-model/model.ubj on the held-out part of the data file '
                    '(rows by their 1-based line number; no text). Scores are float32 values, printed as Python\'s repr. '
                    'Written by npm run model:train.' % xgb.__version__,
        'data': {'dataset': data['dataset'], 'variable': data['variable'], 'sha256': data_sha256},
        'model': {'file': 'default-model/model.ubj', 'sha256': hashlib.sha256(model_bytes).hexdigest()},
    }
    # One prediction a line, so a diff shows which rows moved; a float32 score is printed as Python's repr
    # of the float, which JSON.parse reads back as the same number.
    rows_json = ',\n'.join('  {"line": %d, "score": %r}' % (line, float(score))
                            for line, score in zip(test_lines, test_scores))
    head = json.dumps(predictions, indent=1)
    assert head.endswith('\n}')
    with open(PREDICTIONS_FILE, 'w', encoding='utf-8') as f:
        f.write(head[:-2] + ',\n "predictions": [\n' + rows_json + '\n ]\n}\n')

    # The project's own measurement (encoder -> scorer -> pythonRound), with the lexicon model beside it.
    report = json.loads(subprocess.run(
        [node_binary(), os.path.join(ROOT, 'default-model', 'accuracy.ts'), '--json'],
        check=True, cwd=ROOT, stdout=subprocess.PIPE, encoding='utf-8').stdout)
    if report['xgboost']['correct'] != held_out_correct:
        raise RuntimeError('model:accuracy counted %d right, training %d' % (report['xgboost']['correct'], held_out_correct))

    card = {
        '$comment': 'How default-model/model.ubj was made, and how well it does. Written by npm run model:train '
                    '(default-model/train.py); the tests check the figures against the committed files.',
        'model': {
            'file': 'default-model/model.ubj', 'format': 'UBJSON (xgboost save_model)',
            'bytes': len(model_bytes), 'sha256': hashlib.sha256(model_bytes).hexdigest(),
            'trees': trees, 'features': model.num_features(), 'objective': 'binary:logistic', 'booster': 'gbtree',
        },
        'vocabulary': {
            'file': 'default-model/vocabulary.json', 'words': len(vocabulary),
            'rule': 'sklearn CountVectorizer(max_features=5000, analyzer=lambda text: review_to_words(text).split()) '
                    'fitted on the train part only; indices in sorted word order. Words tied at the cut-off count '
                    'are picked by numpy argsort (introsort, not stable), hence the recorded versions.',
            **vocabulary_facts,
        },
        'data': {
            'dataset': data['dataset'], 'source': data['source'], 'variable': data['variable'], 'sha256': data_sha256,
            'sentences': len(sentences), 'positive': int(y.sum()),
        },
        'split': {
            'rule': 'within each label, order by sha256(salt + text) hex (then line); first round(testPercent%) '
                    'test, next round(validationPercent%) validation, rest train',
            'salt': SPLIT_SALT, 'testPercent': TEST_PERCENT, 'validationPercent': VALIDATION_PERCENT,
            'train': len(index['train']), 'validation': len(index['validation']), 'test': len(index['test']),
            'testLinesSha256': hashlib.sha256(','.join(map(str, test_lines)).encode()).hexdigest(),
        },
        'features': 'dense CSV rows from the project encoder (createPayloadEncoder(vocabulary, "csv")), 0 is a value, '
                    'missing=NaN; checked equal to original_preprocessing.request_body',
        'training': {
            'seed': SEED, 'nthread': NTHREAD, 'treeMethod': TREE_METHOD, 'commonParams': COMMON_PARAMS,
            'baseline': baseline_row,
            'grid': {'varied': GRID, 'fixed': GRID_FIXED, 'maxRounds': GRID_MAX_ROUNDS,
                     'earlyStoppingRounds': GRID_EARLY_STOPPING_ROUNDS, 'choice': 'lowest validation logloss',
                     'rows': rows},
            'chosen': {'params': chosen['params'], 'rounds': chosen['bestRounds']},
            'refit': 'chosen params on train + validation for the chosen number of rounds (no early stopping)',
            'seconds': round(time.monotonic() - started, 1),
        },
        'heldOut': {
            'sentences': len(index['test']),
            'rounding': "Python round() of the float32 score (half to even), as the original handler",
            'xgboost': report['xgboost'],
            'lexicon': report['lexicon'],
            'picture': report['picture'],
        },
        'versions': {
            'xgboost': xgb.__version__, 'scikit-learn': sklearn.__version__, 'numpy': np.__version__,
            'python': platform.python_version(),
        },
    }
    with open(CARD_FILE, 'w', encoding='utf-8') as f:
        f.write(json.dumps(card, indent=2, ensure_ascii=False) + '\n')
    log('Held-out (%d sentences): XGBoost %.1f%%, lexicon %.1f%%, tutorial baseline %.1f%%. Card: %s (%.0f s).' % (
        len(index['test']), 100 * report['xgboost']['accuracy'], 100 * report['lexicon']['accuracy'],
        100 * baseline_row['testAccuracy'], relative(CARD_FILE), card['training']['seconds']))
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest='command')
    commands.add_parser('train', help='the whole run (default)')
    vocabulary = commands.add_parser('vocabulary', help='recompute the vocabulary into --out')
    vocabulary.add_argument('--out', required=True)
    score = commands.add_parser('score', help='CSV rows on stdin -> scores on stdout')
    score.add_argument('--model', default=MODEL_FILE)
    args = parser.parse_args(argv)
    if args.command == 'vocabulary':
        return vocabulary_command(args)
    if args.command == 'score':
        return score_command(args)
    return train_command(args)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
