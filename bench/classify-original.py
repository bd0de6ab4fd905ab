#!/usr/bin/python3
"""The original Python path over a file of reviews, for bench/classify.ts: the original handler's preprocessing
and bag of words (review_to_words, bow_encoding: imported from scripts/original_preprocessing.py, the project's
one copy of them), then xgboost's Booster.predict on a DMatrix of BATCH dense rows at a time, and one JSON result
a review, shaped as `sentiment-lambda classify` writes them.

  /usr/bin/python3 bench/classify-original.py MODEL VOCABULARY.json REVIEWS.jsonl OUT.jsonl [BATCH]

REVIEWS.jsonl holds one JSON string a line (blank lines skipped, as the original's reader does); BATCH is 1000 by
default. Prints one JSON line to stdout: the number of reviews, the seconds spent starting (imports, reading the
model and the vocabulary) and scoring (reading the reviews to writing the last result), and the versions.
"""
import json
import os
import sys
import time

STARTED = time.perf_counter()

import numpy as np  # noqa: E402 (timed: the imports are part of the start-up)
import xgboost as xgb  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'scripts'))
from original_preprocessing import bow_encoding, load_vocabulary, review_to_words  # noqa: E402


def write_results(booster, rows, out):
    """Scores a batch of bag-of-words rows (0 is a value, as in the original's CSV rows) and writes the results."""
    scores = booster.predict(xgb.DMatrix(np.array(rows, dtype=np.float32)))
    for score in scores:
        score = float(score)
        sentiment = round(score)  # Python 3 rounds half to even, as the original did
        out.write(json.dumps({'sentiment': sentiment, 'label': 'NEGATIVE' if sentiment == 0 else 'POSITIVE',
                              'score': score}, separators=(',', ':')))
        out.write('\n')


def main(argv):
    if len(argv) not in (5, 6):
        print(__doc__, file=sys.stderr)
        return 2
    model, vocabulary_path, reviews_path, out_path = argv[1:5]
    batch = int(argv[5]) if len(argv) == 6 else 1000
    booster = xgb.Booster()
    booster.load_model(model)
    vocabulary = load_vocabulary(vocabulary_path)
    loaded = time.perf_counter()
    count = 0
    rows = []
    with open(reviews_path, encoding='utf-8') as reviews, open(out_path, 'w', encoding='utf-8') as out:
        for line in reviews:
            if not line.strip():
                continue
            rows.append(bow_encoding(review_to_words(json.loads(line)), vocabulary))
            if len(rows) == batch:
                write_results(booster, rows, out)
                count += len(rows)
                rows = []
        if rows:
            write_results(booster, rows, out)
            count += len(rows)
    done = time.perf_counter()
    print(json.dumps({
        'reviews': count,
        'startSeconds': loaded - STARTED,
        'scoreSeconds': done - loaded,
        'batch': batch,
        'python': sys.version.split()[0],
        'xgboost': xgb.__version__,
    }))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
