#!/usr/bin/env python3
"""The reference preprocessing and encoding: the specification the project's encoder matches byte for byte.

The two functions below turn a request body into the CSV row sent to a SageMaker XGBoost endpoint, as the
Python 3 Lambda handler this project replaces wrote them, with their exact semantics (Python's str.lower,
str.split and re). The project's TypeScript encoder must write the same request body, byte for byte, for any
text; the encoder's differential and golden tests, `npm run fixtures:golden`, `npm run bench:encoder` and
default-model/train.py all take the expected bodies from this file.

Usage:
  original_preprocessing.py VOCABULARY.json < reviews.jsonl > bodies.txt
      VOCABULARY.json  {"word": column, ...}, as a fitted CountVectorizer's vocabulary_
      reviews.jsonl    one JSON string (a raw request body) a line; blank lines are skipped
      bodies.txt       one line a review: the CSV request body for the endpoint
  original_preprocessing.py --bench VOCABULARY.json PASSES < reviews.jsonl
      encodes the reviews PASSES times over and prints "<n> reviews/s" (the CPython baseline)

The file name has no hyphen so that Python code can import it (default-model/train.py does).
"""
import json
import re
import sys
import time

# The handler's source writes these patterns as ordinary (not raw) string literals. There, `\'` and `\"` are
# string escapes for a bare quote, and every other backslash (`\.`, `\;`, `\s`, `\-`, ...) is an
# unknown escape Python keeps as written. The raw strings below spell out the same patterns; a
# backslash before a quote or before punctuation matches that character in `re`, so each pattern
# matches exactly what the handler's does.
#   Removed:                 . ; : ! ' ? , " ( ) [ ]
#   Replaced with a space:   two <br /> tags in a row (any str.isspace() run before each "/"), - and /
REPLACE_NO_SPACE = re.compile(r"(\.)|(\;)|(\:)|(\!)|(\')|(\?)|(\,)|(\")|(\()|(\))|(\[)|(\])")
REPLACE_WITH_SPACE = re.compile(r"(<br\s*/><br\s*/>)|(\-)|(\/)")


def review_to_words(review):
    """The preprocessing: lower case (str.lower), punctuation removed, tags and dashes to spaces."""
    words = REPLACE_NO_SPACE.sub("", review.lower())
    words = REPLACE_WITH_SPACE.sub(" ", words)
    return words


def bow_encoding(words, vocabulary):
    """The bag of words: one count a vocabulary column; words split on str.isspace() runs."""
    bow = [0] * len(vocabulary)
    for word in words.split():
        if word in vocabulary:
            bow[vocabulary[word]] += 1
    return bow


def request_body(review, vocabulary):
    """The body the handler sent to the endpoint for one review: `','.join(str(count))`, as text/csv."""
    return ','.join([str(val) for val in bow_encoding(review_to_words(review), vocabulary)])


class UsageError(Exception):
    """A bad argument or input: reported as one line on stderr, without a traceback."""


def load_vocabulary(path):
    try:
        with open(path, encoding='utf-8') as f:
            vocabulary = json.load(f)
    except OSError as error:
        raise UsageError('cannot read the vocabulary %s: %s' % (path, error.strerror or error))
    except ValueError as error:
        raise UsageError('the vocabulary %s is not JSON: %s' % (path, error))
    if not isinstance(vocabulary, dict) or not all(
            type(column) is int and 0 <= column < len(vocabulary) for column in vocabulary.values()):
        raise UsageError('the vocabulary %s must be {"word": column, ...} with columns 0 to size - 1' % path)
    return vocabulary


def read_reviews(stream):
    """(line number, review) of every non-blank line of a JSON-lines stream of strings."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            review = json.loads(line)
        except ValueError as error:
            raise UsageError('stdin line %d is not JSON: %s' % (number, error))
        if not isinstance(review, str):
            raise UsageError('stdin line %d: expected a JSON string (a review), got %s' % (
                number, type(review).__name__))
        yield review


def encode(vocabulary_path):
    vocabulary = load_vocabulary(vocabulary_path)
    out = sys.stdout
    for review in read_reviews(sys.stdin):
        out.write(request_body(review, vocabulary))
        out.write('\n')


def bench(vocabulary_path, passes):
    vocabulary = load_vocabulary(vocabulary_path)
    try:
        passes = int(passes)
    except ValueError:
        raise UsageError('PASSES must be a whole number, not %r' % passes)
    reviews = list(read_reviews(sys.stdin))
    start = time.perf_counter()
    for _ in range(passes):
        for review in reviews:
            request_body(review, vocabulary)
    elapsed = time.perf_counter() - start
    print('%.1f reviews/s' % (passes * len(reviews) / elapsed))


def main(argv):
    # Reviews are UTF-8 whatever the locale; newline=None (universal newlines) as before.
    sys.stdin.reconfigure(encoding='utf-8')
    try:
        if len(argv) == 4 and argv[1] == '--bench':
            bench(argv[2], argv[3])
        elif len(argv) == 2 and not argv[1].startswith('-'):
            encode(argv[1])
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except UsageError as error:
        print('%s: %s' % (argv[0], error), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
