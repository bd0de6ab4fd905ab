/**
 * Writes the golden fixtures of the encoder's parity tests by running the Python oracle,
 * scripts/original_preprocessing.py (the reference preprocessing and encoding, which the encoder matches
 * byte for byte):
 *
 * - `test/fixtures/golden/vocabulary.json`: a small `{word: index}` vocabulary full of traps
 *   (prototype names, case-mapping specials, non-BMP words, words with digits).
 * - `test/fixtures/golden/cases.json`: `{ header, cases: [{ name, review, csv }] }`, one named edge case
 *   per behaviour of the reference a port can get wrong, and more; `csv` is the oracle's request body.
 *
 * Usage: `npm run fixtures:golden`. Needs python3.
 * Non-ASCII characters are written as `\uXXXX` escapes so that invisible ones show in diffs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The Python oracle: the reference's `review_to_words` + `bow_encoding` as a CLI. */
export const ORIGINAL_PREPROCESSING_PATH = fileURLToPath(new URL('./original_preprocessing.py', import.meta.url));
const GOLDEN_DIR = fileURLToPath(new URL('../test/fixtures/golden/', import.meta.url));
export const GOLDEN_VOCABULARY_PATH = `${GOLDEN_DIR}vocabulary.json`;
export const GOLDEN_CASES_PATH = `${GOLDEN_DIR}cases.json`;
const PYTHON = 'python3';
const PYTHON_ENV = { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONUTF8: '1' };

/** `Python 3.x.y (Unicode a.b.c)`, or `undefined` when python3 cannot be run. */
export function pythonVersion(): string | undefined {
  const probe = spawnSync(
    PYTHON,
    [
      '-c',
      'import sys, unicodedata; print("Python %s (Unicode %s)" % (sys.version.split()[0], unicodedata.unidata_version))',
    ],
    { encoding: 'utf8', env: PYTHON_ENV },
  );
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/**
 * Runs `python3 scripts/original_preprocessing.py VOCABULARY < reviews.jsonl` once for all reviews and returns one CSV body
 * per review, in order.
 * @throws when python3 fails or prints a different number of lines.
 */
export function runOriginalPreprocessing(vocabularyPath: string, reviews: readonly string[]): string[] {
  if (reviews.length === 0) return [];
  const run = spawnSync(PYTHON, [ORIGINAL_PREPROCESSING_PATH, vocabularyPath], {
    input: `${reviews.map((review) => JSON.stringify(review)).join('\n')}\n`,
    encoding: 'utf8',
    env: PYTHON_ENV,
    maxBuffer: 1 << 30,
  });
  if (run.error !== undefined)
    throw new Error(`Could not run ${PYTHON} ${ORIGINAL_PREPROCESSING_PATH}: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`${ORIGINAL_PREPROCESSING_PATH} exited with ${run.status}:\n${run.stderr}`);
  const bodies = run.stdout.split('\n');
  if (bodies.pop() !== '' || bodies.length !== reviews.length) {
    throw new Error(`${ORIGINAL_PREPROCESSING_PATH} printed ${bodies.length} bodies for ${reviews.length} reviews.`);
  }
  return bodies;
}

/** JSON text with every non-ASCII UTF-16 unit escaped (still valid JSON, same value). */
export function asciiJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Code point order, as Python's `sorted()` (and so scikit-learn's vocabulary indices). */
function byCodePoint(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0) as number);
  const y = [...b].map((c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  }
  return x.length - y.length;
}

/** The words of the golden vocabulary: each one is there to catch a way of getting parity wrong. */
export const GOLDEN_WORDS: readonly string[] = [
  // Ordinary words.
  'good',
  'bad',
  'film',
  'movie',
  'great',
  'well',
  'made',
  'dont',
  'its',
  // What single <br /> tags and other leftovers become.
  'br',
  '<br',
  '>',
  '<br>',
  'good<br',
  '>bad',
  // Prototype names: ordinary words in a Python dict, inherited properties on a JS object.
  'constructor',
  '__proto__',
  'tostring',
  'toString', // never matches: reviews are lowercased, the vocabulary is not
  'hasownproperty',
  'valueof',
  'prototype',
  '__definegetter__',
  'isprototypeof',
  // KELVIN SIGN U+212A lowercases to k; ANGSTROM SIGN to å; OHM SIGN to ω.
  'k',
  'ok',
  'kelvin',
  'å',
  'ω',
  // İ lowercases to i + U+0307 (two code points); dotless ı stays.
  'i\u0307',
  'i\u0307stanbul',
  'istanbul',
  'ı',
  // Greek sigma: final ς versus σ.
  'σ',
  'ς',
  'σς',
  'σας',
  'ας',
  'ασ',
  'ασβ',
  'ὀδυσσεύς',
  'α\u0301ς',
  'ασα',
  'ας\u0301',
  'ασ\u00adβ',
  '1σ',
  'i\u0307ς',
  '𐐨ς',
  'α🏻ς',
  'ασ𐐨',
  // German sharp s: ẞ (U+1E9E) lowercases to ß.
  'ß',
  'straße',
  'strasse',
  // Ligature: ﬁ has no single-character lowercase, it stays.
  'ﬁlm',
  // Cherokee: capitals lowercase to U+AB70.., and U+13F0.. to U+13F8..
  'ꭰꭱꭲ',
  'ᏸ',
  // Georgian: Mtavruli U+1C90.. lowercases to Mkhedruli U+10D0..; Asomtavruli U+10A0.. to U+2D00..
  'აბგ',
  'ⴀ',
  // Deseret (non-BMP, surrogate pairs in UTF-16): U+10400.. lowercases to U+10428..
  '𐐨𐐯',
  // Digraphs, Roman numerals, circled letters.
  'ǆ',
  'ⅻ',
  'ⓐ',
  // Words with digits.
  '10',
  '7',
  '3d',
  'b2b',
  '2nd',
  // No Unicode normalisation: NFC and NFD are different words.
  'café',
  'cafe\u0301',
  // Non-whitespace invisibles stay part of a word.
  '\ufeffgood',
  'good\u200bfilm',
  // Emoji.
  '😀',
  '👍🏽',
];

/** Every code point for which CPython's `str.isspace()` is true (checked against python3 by the golden cases). */
export const PYTHON_WHITESPACE_CODE_POINTS: readonly number[] = [
  0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
  0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];
// Not whitespace for Python (JavaScript's \s matches U+FEFF); U+180E was whitespace in old Unicode versions.
const NOT_PYTHON_WHITESPACE_CHARS = [0x0, 0xad, 0x180e, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff];

const hex = (c: number): string => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** The named edge cases; their expected bodies come from the oracle, never from this file. */
export function goldenCases(): Array<{ name: string; review: string }> {
  const cases: Array<{ name: string; review: string }> = [
    // <br /> handling: only a *pair* of tags becomes a space; \s is Python's whitespace.
    { name: 'br pair with spaces', review: 'good<br /><br />bad' },
    { name: 'br pair without spaces', review: 'good<br/><br/>bad' },
    { name: 'br pair uppercase', review: 'good<BR/><BR/>bad' },
    { name: 'br pair mixed case', review: 'Good<Br /><bR />BAD' },
    { name: 'br pair with tabs', review: 'good<br\t/><br\t/>bad' },
    { name: 'br pair with mixed whitespace runs', review: 'good<br \n\r\t /><br\x0b\x0c/>bad' },
    { name: 'br pair with U+001C (python whitespace)', review: 'good<br\x1c/><br\x1c/>bad' },
    { name: 'br pair with U+001F (python whitespace)', review: 'good<br\x1f/><br\x1f/>bad' },
    { name: 'br pair with U+0085 (python whitespace)', review: 'good<br\x85/><br\x85/>bad' },
    { name: 'br pair with no-break space', review: 'good<br\xa0/><br\xa0/>bad' },
    { name: 'br pair with ideographic space', review: 'good<br\u3000/><br\u3000/>bad' },
    { name: 'br pair with line separator', review: 'good<br\u2028/><br\u2029/>bad' },
    { name: 'br pair with U+FEFF (not python whitespace)', review: 'good<br\ufeff/><br\ufeff/>bad' },
    { name: 'br pair with U+200B (not whitespace)', review: 'good<br\u200b/><br\u200b/>bad' },
    { name: 'br three in a row', review: 'good<br /><br /><br />bad' },
    { name: 'br four in a row', review: 'good<br /><br /><br /><br />bad' },
    { name: 'br single', review: 'good<br />bad' },
    { name: 'br single at the end', review: 'good film<br />' },
    { name: 'br single at the start', review: '<br />good' },
    { name: 'br pair separated by a space', review: 'good<br /> <br />bad' },
    { name: 'br without slash', review: 'good<br><br>bad' },
    { name: 'br with space after the slash', review: 'good<br / ><br / >bad' },
    { name: 'br created by removed punctuation', review: 'good<br./><br!/>bad' },
    { name: 'br created by removed punctuation inside the tag name', review: 'good<b.r /><b,r />bad' },
    { name: 'br created by removed quotes and brackets', review: 'good<br"/>[]<br(/)>bad' },
    { name: 'br with KELVIN-like specials nearby', review: '\u212A<br /><br />\u212Aelvin' },
    { name: 'br pair with Greek sigma around', review: 'ΑΣ<br /><br />ΣΑΣ' },
    // Sigma: CPython's Final_Sigma rule, on the text before punctuation is removed.
    { name: 'sigma: ΣΑΣ', review: 'ΣΑΣ' },
    { name: 'sigma: alone', review: 'Σ' },
    { name: 'sigma: two capitals', review: 'ΣΣ' },
    { name: 'sigma: word final', review: 'ΑΣ' },
    { name: 'sigma: word medial', review: 'ΑΣΑ' },
    { name: 'sigma: after cased letter then combining mark', review: 'Α\u0301Σ' },
    { name: 'sigma: followed by combining mark then end', review: 'ΑΣ\u0301' },
    { name: 'sigma: before apostrophe (case-ignorable) then letter', review: "ΑΣ'Β" },
    { name: 'sigma: before period (case-ignorable) then letter', review: 'ΑΣ.Β' },
    { name: 'sigma: before colon (case-ignorable) then letter', review: 'ΑΣ:Β' },
    { name: 'sigma: before hyphen (not ignorable) then letter', review: 'ΑΣ-Β' },
    { name: 'sigma: before soft hyphen then letter', review: 'ΑΣ\u00adΒ' },
    { name: 'sigma: after digit', review: '1Σ' },
    { name: 'sigma: after space', review: 'Α Σ' },
    { name: 'sigma: after İ', review: 'İΣ' },
    { name: 'sigma: after Deseret capital (non-BMP cased)', review: '𐐀Σ' },
    { name: 'sigma: after emoji modifier (non-BMP case-ignorable)', review: 'Α🏻Σ' },
    { name: 'sigma: before Deseret capital', review: 'ΑΣ𐐀' },
    { name: 'sigma: Odysseus', review: 'ὈΔΥΣΣΕΎΣ' },
    { name: 'sigma: sentence', review: 'ΟΔΥΣΣΕΥΣ ΣΑΣ ΑΣ, ΑΣΒ!' },
    { name: 'sigma: lowercase forms stay', review: 'σς ς σ' },
    // Case-mapping specials.
    { name: 'İ (dotted capital I) expands to i + U+0307', review: 'İstanbul İ' },
    { name: 'I lowercases to i, not ı', review: 'ISTANBUL ı' },
    { name: 'I + combining dot above', review: 'I\u0307stanbul' },
    { name: 'KELVIN SIGN lowercases to k', review: '\u212Aelvin O\u212A \u212A' },
    { name: 'ANGSTROM SIGN and OHM SIGN', review: '\u212B \u2126' },
    { name: 'capital sharp s ẞ', review: 'STRAẞE STRASSE straße' },
    { name: 'ligature ﬁ stays', review: 'ﬁlm FILM ﬁLM' },
    { name: 'Cherokee capitals', review: 'ᎠᎡᎢ Ᏸ' },
    { name: 'Cherokee small letters stay', review: 'ꭰꭱꭲ ᏸ' },
    { name: 'Georgian Mtavruli', review: 'ᲐᲑᲒ' },
    { name: 'Georgian Asomtavruli', review: 'Ⴀ' },
    { name: 'Deseret capitals (non-BMP)', review: '𐐀𐐇 𐐨𐐯' },
    { name: 'titlecase digraph ǅ', review: 'ǅ Ǆ ǆ' },
    { name: 'Roman numeral and circled letter', review: 'Ⅻ Ⓐ' },
    { name: 'accented capitals', review: 'CAFÉ Café café CAFE\u0301' },
    { name: 'NFC and NFD are different words', review: 'café cafe\u0301' },
    // Whitespace and invisibles.
    { name: 'empty review', review: '' },
    { name: 'whitespace only', review: ' \t\n\x1c\x85\u3000\u2028' },
    { name: 'U+FEFF at the start is part of the first word', review: '\ufeffgood film' },
    { name: 'zero width space joins words', review: 'good\u200bfilm' },
    { name: 'CRLF line breaks', review: 'good\r\nfilm\r\n' },
    { name: 'NUL is not whitespace', review: 'good\x00film good' },
    // Punctuation.
    { name: 'only removed punctuation', review: `.;:!'?,"()[]` },
    { name: 'punctuation runs', review: 'good!!!...??? bad,,,; (film)[movie] "great"' },
    { name: 'hyphens and slashes', review: 'well-made 7/10 good--bad good/bad -film- /movie/' },
    { name: 'punctuation that is kept', review: 'good* &film #movie <bad> {great} `ok` ~k _7_ film;)' },
    { name: 'contractions lose the apostrophe', review: "Don't, it's DON'T" },
    { name: 'digits', review: '10/10 7 3D B2B 2nd 10th' },
    // Prototype names.
    {
      name: 'prototype names are ordinary words',
      review: 'constructor __proto__ toString hasOwnProperty valueOf prototype __defineGetter__ isPrototypeOf',
    },
    {
      name: 'prototype-like words not in the vocabulary',
      review: '__lookupGetter__ propertyIsEnumerable toLocaleString',
    },
    // Emoji and surrogate pairs.
    { name: 'emoji as words', review: 'good 😀 film 👍🏽 🇫🇷 👨‍👩‍👧 😀' },
    { name: 'emoji attached to words', review: 'good😀 😀film' },
    { name: 'private use and the last code point', review: '\ue000 \u{10ffff} good' },
    // Counts.
    { name: 'count above 9', review: 'good '.repeat(12) },
    { name: 'count above 99', review: 'Film '.repeat(123) },
    {
      name: 'realistic review',
      review:
        'I saw this movie last night. It\'s a GREAT film - well-made, 7/10.<br /><br />The "bad" parts? ' +
        "Few (very few). Don't miss it!<br />Good good good.",
    },
  ];
  for (const c of PYTHON_WHITESPACE_CODE_POINTS) {
    cases.push({ name: `python whitespace ${hex(c)} separates words`, review: `good${String.fromCodePoint(c)}film` });
  }
  for (const c of NOT_PYTHON_WHITESPACE_CHARS) {
    cases.push({ name: `${hex(c)} is not python whitespace`, review: `good${String.fromCodePoint(c)}film good` });
  }
  cases.push({ name: 'every vocabulary word once', review: GOLDEN_WORDS.join(' ') });
  return cases;
}

function main(): number {
  const version = pythonVersion();
  if (version === undefined) {
    process.stderr.write(`${PYTHON} not found: the golden fixtures are produced by ${ORIGINAL_PREPROCESSING_PATH}.\n`);
    return 1;
  }
  const isspace = spawnSync(PYTHON, ['-c', 'print(",".join(str(c) for c in range(0x110000) if chr(c).isspace()))'], {
    encoding: 'utf8',
    env: PYTHON_ENV,
  });
  if (isspace.stdout.trim() !== PYTHON_WHITESPACE_CODE_POINTS.join(',')) {
    throw new Error(`PYTHON_WHITESPACE_CODE_POINTS differs from ${version}'s str.isspace(): ${isspace.stdout}`);
  }
  const words = [...new Set(GOLDEN_WORDS)].sort(byCodePoint);
  if (words.length !== GOLDEN_WORDS.length) throw new Error('GOLDEN_WORDS has duplicates.');
  mkdirSync(GOLDEN_DIR, { recursive: true });
  // Written by hand, not through an object: "__proto__" must stay an ordinary key.
  const vocabularyJson = `{\n${words.map((word, index) => `  ${asciiJson(word)}: ${index}`).join(',\n')}\n}\n`;
  writeFileSync(GOLDEN_VOCABULARY_PATH, vocabularyJson);

  const cases = goldenCases();
  const names = new Set(cases.map((c) => c.name));
  if (names.size !== cases.length) throw new Error('Two golden cases have the same name.');
  const bodies = runOriginalPreprocessing(
    GOLDEN_VOCABULARY_PATH,
    cases.map((c) => c.review),
  );
  const document = {
    header: {
      description:
        'Request bodies of the reference preprocessing (scripts/original_preprocessing.py) for named edge-case reviews, ' +
        'with vocabulary.json beside this file. Do not edit: regenerate.',
      producedBy: `${version}, running scripts/original_preprocessing.py`,
      regenerate: 'npm run fixtures:golden',
      vocabulary: 'vocabulary.json',
    },
    cases: cases.map((c, i) => ({ name: c.name, review: c.review, csv: bodies[i] as string })),
  };
  writeFileSync(GOLDEN_CASES_PATH, `${asciiJson(document, 2)}\n`);
  process.stdout.write(
    `Wrote ${GOLDEN_VOCABULARY_PATH} (${words.length} words) and ${GOLDEN_CASES_PATH} (${cases.length} cases) with ${version}.\n`,
  );
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main();
}
