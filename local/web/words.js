// Which spans of the typed review are which words: the reference preprocessing (`review_to_words` of
// scripts/original_preprocessing.py, then `str.split()`; src/encoder/python-text.ts is the exact
// implementation), run on the text while remembering where each character came from, so that the page can
// tint the words as typed.
//
//   words = REPLACE_NO_SPACE.sub("", review.lower())    # drop . ; : ! ' ? , " ( ) [ ]
//   words = REPLACE_WITH_SPACE.sub(" ", words)          # a pair of <br /> tags, - and / become a space
//   words.split()                                       # split on str.isspace() characters
//
// A word's span runs from its first kept character to its last, so "Don't" is the span of the word
// "dont" and "(film)," the span "film". Python's `str.lower()` is the browser's `toLowerCase()` one code
// point at a time, with CPython's final-sigma rule (Σ depends on its neighbours); the two differ only on
// characters newer than CPython's Unicode tables, and a word the page tokenises differently is left untinted.
// A classic script (no module): the page also works opened from disk or any static host.
(() => {
  /** The code points for which CPython's `str.isspace()` is true (src/encoder/python-unicode.generated.ts). */
  const PYTHON_WHITESPACE = [
    0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
    0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
  ];
  const WHITESPACE_CLASS = PYTHON_WHITESPACE.map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('');
  const IS_WHITESPACE = new Set(PYTHON_WHITESPACE.map((c) => String.fromCharCode(c)));
  const REMOVED = new Set(['.', ';', ':', '!', "'", '?', ',', '"', '(', ')', '[', ']']);
  const REPLACE_WITH_SPACE = new RegExp(`<br[${WHITESPACE_CLASS}]*/><br[${WHITESPACE_CLASS}]*/>|[-/]`, 'g');
  const CASE_IGNORABLE = /^\p{Case_Ignorable}$/u;
  const CASED = /^\p{Cased}$/u;
  const CAPITAL_SIGMA = 'Σ';

  /** CPython's Final_Sigma test: preceded by a cased letter, not followed by one, case-ignorables skipped. */
  function isFinalSigma(codePoints, k) {
    let before = k - 1;
    while (before >= 0 && CASE_IGNORABLE.test(codePoints[before])) before--;
    if (before < 0 || !CASED.test(codePoints[before])) return false;
    let after = k + 1;
    while (after < codePoints.length && CASE_IGNORABLE.test(codePoints[after])) after++;
    return after >= codePoints.length || !CASED.test(codePoints[after]);
  }

  /**
   * The review's words, each with the span of `text` (UTF-16 offsets, end exclusive) it came from, in order.
   * @param {string} text the review as typed
   * @returns {{ word: string, start: number, end: number }[]}
   */
  function tokenSpans(text) {
    const codePoints = Array.from(text);
    // The preprocessed text, and for each of its UTF-16 units the span of `text` it came from.
    let kept = '';
    const from = [];
    const to = [];
    let offset = 0;
    for (let k = 0; k < codePoints.length; k++) {
      const original = codePoints[k];
      const lower = original === CAPITAL_SIGMA ? (isFinalSigma(codePoints, k) ? 'ς' : 'σ') : original.toLowerCase();
      for (const unit of lower) {
        if (REMOVED.has(unit)) continue;
        for (let u = 0; u < unit.length; u++) {
          from.push(offset);
          to.push(offset + original.length);
        }
        kept += unit;
      }
      offset += original.length;
    }
    // What REPLACE_WITH_SPACE turns into a space separates words, as whitespace does.
    const separator = new Uint8Array(kept.length);
    for (const match of kept.matchAll(REPLACE_WITH_SPACE))
      separator.fill(1, match.index, match.index + match[0].length);
    for (let u = 0; u < kept.length; u++) if (IS_WHITESPACE.has(kept[u])) separator[u] = 1;
    const spans = [];
    for (let u = 0; u < kept.length; ) {
      if (separator[u]) {
        u++;
        continue;
      }
      const first = u;
      while (u < kept.length && !separator[u]) u++;
      spans.push({ word: kept.slice(first, u), start: from[first], end: to[u - 1] });
    }
    return spans;
  }

  globalThis.ReviewWords = { tokenSpans };
})();
