/**
 * A deterministic, IMDb-like benchmark corpus: reviews and a 5,000-word `CountVectorizer`-style vocabulary.
 *
 * - Word frequencies follow a Zipf law over a lexicon of real common English words (top ranks) and
 *   pronounceable synthetic words (the long tail).
 * - The vocabulary is what the original model was trained with: `CountVectorizer(max_features=5000)` over
 *   preprocessed (stop-word-free, stemmed) text, so the most frequent words ("the", "and", ...) and many
 *   inflected surface forms are *not* in it: roughly half of a review's tokens are found.
 * - Review lengths are log-normal around a median of about 1,300 characters, with a tail to about 10k;
 *   reviews carry `<br /><br />` paragraph breaks, punctuation, quotes, hyphens, numbers, capitalised
 *   words, and a small fraction carry non-ASCII text (accents, dashes, emoji).
 *
 * Everything comes from a seeded PRNG: the same seed gives the same corpus on every machine.
 *
 * CLI: `npm run bench:corpus -- --out DIR [--reviews N] [--seed S]` writes `DIR/vocabulary.json` and
 * `DIR/reviews.jsonl` (one JSON string per line), the input formats of scripts/original_preprocessing.py.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Number of words in a generated vocabulary, as the original's `max_features=5000`. */
export const VOCABULARY_SIZE = 5000;
/** Median review length in characters. */
export const MEDIAN_REVIEW_CHARS = 1300;
const MAX_REVIEW_CHARS = 10_000;
const DEFAULT_SEED = 20_240_601;
/** Word types in the lexicon the reviews are written from (the vocabulary is a subset). */
const LEXICON_SIZE = 30_000;
/** Zipf exponent of word frequencies (about 1 for English). */
const ZIPF_EXPONENT = 1.0;
/** Ranks below this are stop words: frequent, but removed before the vectorizer was fitted. */
const STOP_WORD_RANKS = 12;
/** Share of the lexicon's other frequent words whose surface form the vectorizer never saw (stemmed away). */
const UNSTEMMED_SHARE = 0.05;

/** A seeded PRNG (sfc32): uniform floats in [0, 1), reproducible across platforms. */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = 0xb7e15162;
    this.#d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  next(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    const rotated = (c << 21) | (c >>> 11);
    this.#c = (rotated + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  }

  /** An integer in `[0, n)`. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** A standard normal deviate (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

// The most frequent words of English movie reviews, most frequent first: they give the corpus its look.
const COMMON_WORDS = `the and a of to is it in this that was as for with movie but film on not you are his have
he be one all at by an they who so from like her just about out if has what some there good can more when
very up no time even she my would which only story really see their had we were me well than much been get
bad other people will also into great because how most him first its made them make could way any after
too films think movies characters watch character two seen many being acting plot never love little best
where life did over know show off ever does better your end still here man these say scene why while such
scenes something go through should back those real now watching thing though actors years funny director
old another work before nothing actually makes look find going same few lot part again cast every world
things want quite pretty horror down young seems around got fact take however enough both big thought
long between series give may original without action right must saw always times whole come interesting
role gets isn almost guy point done least far bit music script feel last minutes since might comedy family
performance anything yet probably am away tv kind worst fun rather sure hard making anyone girl each found
woman played day screen although especially course believe looking having goes trying set our different
place shows comes worth ending dvd sense maybe money true everything book three once put effects looks
main everyone actor plays john special job reason watched together instead war seem takes later said
american audience play high beautiful night version left seeing excellent idea house shot half else mind
wife nice father year simply fan star completely black poor short second help used budget death men less
read home enjoy boring truly top hollywood given production either line classic dead try use friends
wonderful need until kids along women rest came stupid camera sex next couple low recommend start episode
getting full mother keep terrible moments awful perhaps understand school playing small face human video
definitely doesn others itself wasn couldn early remember name lines gives entire lost wrong style felt
finally head live absolutely supposed title perfect dialogue become certainly case let problem piece
sort person waste picture mean yes went worse overall entertaining against totally cinema boy liked
guys evil white despite laugh several humor care loved fans written beginning lives hope based friend
dark final oh direction under days called tries drama able lead sound already guess wants throughout
children killer history town heart called turn writing fine unfortunately quality child kill side`
  .split(/\s+/)
  .filter((word) => word.length > 0);

const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z'];
const CLUSTERS = ['bl', 'br', 'ch', 'cl', 'cr', 'dr', 'fl', 'fr', 'gr', 'pl', 'pr', 'sh', 'sl', 'st', 'th', 'tr'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ea', 'ou', 'ai', 'io', 'ee', 'y'];
const CODAS = ['', '', '', 'n', 'r', 's', 't', 'l', 'm', 'nd', 'st', 'ng', 'ck', 'rt', 'x'];
const SUFFIXES = ['', '', '', '', 'ing', 'ed', 'er', 'ly', 'ness', 'tion', 'ous', 'ive', 'ment', 'able', 'ist'];

/** A pronounceable lowercase word of two or more letters. */
function syntheticWord(random: Random): string {
  const syllables = random.chance(0.55) ? 1 : random.chance(0.8) ? 2 : 3;
  let word = '';
  for (let s = 0; s < syllables; s++) {
    word += random.chance(0.25) ? random.pick(CLUSTERS) : random.pick(ONSETS);
    word += random.pick(VOWELS);
    if (s === syllables - 1 || random.chance(0.2)) word += random.pick(CODAS);
  }
  return random.chance(0.3) ? word + random.pick(SUFFIXES) : word;
}

/** The lexicon, most frequent word first: common English words, then synthetic words, all distinct. */
function buildLexicon(random: Random): string[] {
  const seen = new Set<string>();
  const lexicon: string[] = [];
  for (const word of COMMON_WORDS) {
    if (!seen.has(word)) {
      seen.add(word);
      lexicon.push(word);
    }
  }
  while (lexicon.length < LEXICON_SIZE) {
    const word = syntheticWord(random);
    if (word.length >= 2 && !seen.has(word)) {
      seen.add(word);
      lexicon.push(word);
    }
  }
  return lexicon;
}

/** Draws lexicon ranks with probability proportional to `1 / (rank + 1)^s`. */
class ZipfSampler {
  readonly #cumulative: Float64Array;

  constructor(size: number, exponent: number) {
    this.#cumulative = new Float64Array(size);
    let total = 0;
    for (let rank = 0; rank < size; rank++) {
      total += 1 / (rank + 1) ** exponent;
      this.#cumulative[rank] = total;
    }
    for (let rank = 0; rank < size; rank++) this.#cumulative[rank] = (this.#cumulative[rank] as number) / total;
  }

  sample(random: Random): number {
    const u = random.next();
    let lo = 0;
    let hi = this.#cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#cumulative[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The lexicon shared by the vocabulary and the reviews of one seed. */
export interface Lexicon {
  readonly seed: number;
  /** Word types, most frequent first. */
  readonly words: readonly string[];
}

const lexicons = new Map<number, Lexicon>();

/** The lexicon of a seed (built once per seed). */
export function lexiconFor(seed: number = DEFAULT_SEED): Lexicon {
  let lexicon = lexicons.get(seed);
  if (lexicon === undefined) {
    lexicon = { seed, words: buildLexicon(new Random(seed)) };
    lexicons.set(seed, lexicon);
  }
  return lexicon;
}

/** `{word: index}` with indices in sorted (code point) order, as scikit-learn's `vocabulary_`. */
export type VocabularyObject = Record<string, number>;

/**
 * A 5,000-word vocabulary as `CountVectorizer(max_features=5000).vocabulary_` would give on preprocessed
 * reviews: the most frequent lexicon words, minus stop words and minus a share of surface forms that
 * were stemmed away before fitting. Words are 2+ lowercase letters; indices follow sorted order.
 */
export function generateVocabulary(seed: number = DEFAULT_SEED, size: number = VOCABULARY_SIZE): VocabularyObject {
  const { words } = lexiconFor(seed);
  const random = new Random(seed ^ 0x5eed);
  const chosen: string[] = [];
  for (let rank = STOP_WORD_RANKS; rank < words.length && chosen.length < size; rank++) {
    if (random.chance(UNSTEMMED_SHARE)) continue;
    chosen.push(words[rank] as string);
  }
  chosen.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)); // ASCII words: code unit order is code point order
  const vocabulary: VocabularyObject = {};
  chosen.forEach((word, index) => {
    vocabulary[word] = index;
  });
  return vocabulary;
}

const NON_ASCII_WORDS = ['café', 'naïve', 'Amélie', 'déjà vu', 'señor', 'Björk', 'Zoë', 'über', 'façade', 'résumé'];
const NON_ASCII_MARKS = [' — ', '…', ' 😀', ' 👍', ' ❤️', '–', ' 🎬', '“', '”', ' ★★★★☆'];
const NAMES = ['Spielberg', 'Kubrick', 'Hitchcock', 'Nolan', 'Streep', 'DeNiro', 'Hanks', 'Tarantino', 'Scorsese'];
const CONTRACTIONS = ["don't", "it's", "can't", "isn't", "I'm", "didn't", "doesn't", "wasn't", "you're", "that's"];
const SENTENCE_ENDS = ['.', '.', '.', '.', '.', '!', '?', '...', '!!', '?!'];

/** Options of {@link generateReviews}. */
export interface ReviewOptions {
  /** Share of reviews that carry non-ASCII characters (default 0.04). */
  readonly nonAsciiShare?: number;
}

/**
 * `count` reviews written from the lexicon of `seed`. The vocabulary is only used to check that it was
 * generated from the same lexicon (a corpus is only realistic against its own vocabulary).
 */
export function generateReviews(
  count: number,
  seed: number = DEFAULT_SEED,
  vocabulary?: VocabularyObject,
  options: ReviewOptions = {},
): string[] {
  const { words } = lexiconFor(seed);
  const known = new Set(words);
  if (vocabulary !== undefined && !Object.keys(vocabulary).every((word) => known.has(word))) {
    throw new Error('generateReviews: the vocabulary was not generated from the lexicon of this seed.');
  }
  const random = new Random(seed ^ 0x7e71e3);
  const zipf = new ZipfSampler(words.length, ZIPF_EXPONENT);
  const nonAsciiShare = options.nonAsciiShare ?? 0.04;
  const reviews: string[] = [];
  for (let r = 0; r < count; r++) {
    // Log-normal length: median MEDIAN_REVIEW_CHARS, sigma 0.75 (p99 about 7k), capped like IMDb's limit.
    const target = Math.min(
      MAX_REVIEW_CHARS,
      Math.max(60, Math.round(MEDIAN_REVIEW_CHARS * Math.exp(0.75 * random.normal()))),
    );
    reviews.push(writeReview(random, zipf, words, target, random.chance(nonAsciiShare)));
  }
  return reviews;
}

function writeReview(random: Random, zipf: ZipfSampler, words: readonly string[], target: number, exotic: boolean) {
  const paragraphs = random.chance(0.55);
  let review = '';
  let paragraphLength = 0;
  while (review.length < target) {
    if (review.length > 0) {
      if (paragraphs && paragraphLength > 300 && random.chance(0.3)) {
        review += random.chance(0.9) ? '<br /><br />' : '<br />';
        paragraphLength = 0;
      } else {
        review += ' ';
      }
    }
    const sentence = writeSentence(random, zipf, words, exotic);
    review += sentence;
    paragraphLength += sentence.length;
  }
  return review;
}

function writeSentence(random: Random, zipf: ZipfSampler, words: readonly string[], exotic: boolean): string {
  const length = 4 + random.int(22);
  const parts: string[] = [];
  let quote = false;
  let paren = false;
  for (let w = 0; w < length; w++) {
    let word = words[zipf.sample(random)] as string;
    const roll = random.next();
    if (roll < 0.015) word = random.pick(NAMES);
    else if (roll < 0.04) word = random.pick(CONTRACTIONS);
    else if (roll < 0.05) word = String(1 + random.int(10)) + (random.chance(0.5) ? '/10' : '');
    else if (roll < 0.065) word = `${word}-${words[zipf.sample(random)] as string}`;
    else if (roll < 0.07) word = word.toUpperCase();
    else if (roll < 0.08) word = `${word}s`; // an inflected form the vectorizer saw only stemmed
    if (exotic && random.chance(0.03)) word = random.pick(NON_ASCII_WORDS);
    if (w === 0) word = word.charAt(0).toUpperCase() + word.slice(1);
    if (!quote && random.chance(0.02)) {
      word = `"${word}`;
      quote = true;
    } else if (quote && random.chance(0.3)) {
      word = `${word}"`;
      quote = false;
    }
    if (!paren && random.chance(0.01)) {
      word = `(${word}`;
      paren = true;
    } else if (paren && random.chance(0.3)) {
      word = `${word})`;
      paren = false;
    }
    if (w < length - 1) {
      const mark = random.next();
      if (mark < 0.07) word += ',';
      else if (mark < 0.075) word += ';';
      else if (mark < 0.08) word += ':';
      else if (mark < 0.085) word += ' -';
      else if (exotic && mark < 0.1) word += random.pick(NON_ASCII_MARKS);
    }
    parts.push(word);
  }
  let sentence = parts.join(' ');
  if (quote) sentence += '"';
  if (paren) sentence += ')';
  return sentence + random.pick(SENTENCE_ENDS);
}

/** Writes `vocabulary.json` and `reviews.jsonl` into `dir`; returns their paths. */
export function writeCorpus(
  dir: string,
  reviewCount: number,
  seed: number = DEFAULT_SEED,
): { vocabularyPath: string; reviewsPath: string; vocabulary: VocabularyObject; reviews: string[] } {
  const vocabulary = generateVocabulary(seed);
  const reviews = generateReviews(reviewCount, seed, vocabulary);
  mkdirSync(dir, { recursive: true });
  const vocabularyPath = join(dir, 'vocabulary.json');
  const reviewsPath = join(dir, 'reviews.jsonl');
  writeFileSync(vocabularyPath, `${JSON.stringify(vocabulary)}\n`);
  writeFileSync(reviewsPath, `${reviews.map((review) => JSON.stringify(review)).join('\n')}\n`);
  return { vocabularyPath, reviewsPath, vocabulary, reviews };
}

function main(argv: readonly string[]): number {
  const option = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const out = option('--out');
  if (out === undefined) {
    process.stderr.write('Usage: npm run bench:corpus -- --out DIR [--reviews N] [--seed S]\n');
    return 2;
  }
  const count = Number(option('--reviews') ?? 2000);
  const seed = Number(option('--seed') ?? DEFAULT_SEED);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
    process.stderr.write('--reviews must be a positive integer and --seed an integer.\n');
    return 2;
  }
  const { vocabularyPath, reviewsPath } = writeCorpus(out, count, seed);
  process.stdout.write(`Wrote ${vocabularyPath} (${VOCABULARY_SIZE} words) and ${reviewsPath} (${count} reviews).\n`);
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
