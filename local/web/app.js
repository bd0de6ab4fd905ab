// The web page: it POSTs the raw textarea text and shows POSITIVE or NEGATIVE (the text contract). An error is
// shown as an error (a page that reads every answer but "0" as POSITIVE shows error pages as POSITIVE), the
// score is shown and said in words (how sure the model is), and the request in flight is visible. Each answer
// is explained when the API can: the review is shown with each word the model knows tinted by what it did to
// the score, and the strongest words listed.
//
// The request stays a CORS "simple" request: text/plain body, Accept asking for JSON so the answer carries
// the score, and `?explain=true` in the URL. An API that scores through a SageMaker endpoint answers that
// with a 400 (explanations need the model in the function): the page then asks without it, and from then on.

// The API URL: same origin by default, or ?api=https://.../prod/ for a deployed API Gateway stage.
const API = new URLSearchParams(location.search).get('api');
const API_URL = API || `${location.origin}/`;

const form = document.getElementById('review-form');
const textarea = document.getElementById('review');
const button = document.getElementById('submit');
const status = document.getElementById('status');
const result = document.getElementById('result');
const explanation = document.getElementById('explanation');
const explained = document.getElementById('explained');
const noExplanation = document.getElementById('no-explanation');

const NO_EXPLANATION_BEHIND_ENDPOINT =
  'No word-by-word explanation: explanations need the model in the function, and this API scores with a ' +
  'SageMaker endpoint.';
const NO_EXPLANATION_SENT = 'No word-by-word explanation: this API did not send one with its answer.';
/** How many of the strongest words each list shows. */
const STRONGEST = 5;
const MINUS = '\u2212';

/** Whether to ask the API for explanations: until it answers that it cannot give them. */
let explainable = true;
/** Whether a request is in flight. */
let busy = false;
/** The review the answer (or error) on show is for, or undefined when none is shown. */
let answered;

/** How sure the model is: its score as shown (two decimals), by distance from the middle. */
function band(score) {
  const shown = Math.round(score * 100) / 100;
  if (shown >= 0.4 && shown <= 0.6) return 'close';
  if (shown > 0.2 && shown < 0.8) return 'probably';
  return 'sure';
}

/** A contribution as shown: signed, two decimals (more for a tiny one, so that its sign shows). */
function signed(value) {
  const size = Math.abs(value);
  const digits = size !== 0 && size < 0.005 ? size.toPrecision(1) : size.toFixed(2);
  return `${value < 0 ? MINUS : '+'}${digits}`;
}

/** One of four tint steps, by the size of a contribution (log-odds). */
function level(value) {
  const size = Math.abs(value);
  return size < 0.1 ? 1 : size < 0.3 ? 2 : size < 0.7 ? 3 : 4;
}

function direction(value) {
  return value > 0 ? 'positive' : value < 0 ? 'negative' : 'none';
}

/** A word's effect in words, e.g. "pushes towards positive, +1.24" (for all its uses together). */
function describe({ contribution: value, count }) {
  if (value === 0) return 'a known word, no effect';
  return `pushes towards ${direction(value)}, ${signed(value)}${count > 1 ? ` for its ${count} uses together` : ''}`;
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const hidden = (text) => element('span', { class: 'visually-hidden' }, text);
/** ▲ or ▼ (none for a word that did not move the score): the sign without colour. */
const sign = (value) =>
  value === 0 ? '' : element('span', { class: 'sign', 'aria-hidden': 'true' }, value > 0 ? '▲' : '▼');

function clearAnswer() {
  answered = undefined;
  result.hidden = true;
  result.className = '';
  delete result.dataset.band;
  result.replaceChildren();
  explanation.hidden = true;
}

function showError(review, text) {
  answered = review;
  result.hidden = false;
  result.className = 'error';
  result.textContent = text;
}

function errorMessage(xhr) {
  if (xhr.timedOut) return 'Error: the sentiment API did not answer in time. Try again.';
  if (xhr.status === 0) return 'Could not reach the sentiment API. Check your connection and try again.';
  try {
    const body = JSON.parse(xhr.responseText);
    if (body?.error?.message) return `Error ${xhr.status}: ${body.error.message}`;
  } catch {}
  return `Error ${xhr.status}: ${xhr.responseText || xhr.statusText || 'the request failed'}`;
}

/** The verdict in words: the label (`sentiment`, the score rounded as Python rounds) and how sure the model is. */
function verdict(answer) {
  const positive = answer.sentiment !== 0;
  const label = positive ? 'POSITIVE' : 'NEGATIVE';
  if (!Number.isFinite(answer.score)) return { headline: `Your review was ${label}!`, detail: '' };
  const score = answer.score.toFixed(2);
  switch (band(answer.score)) {
    case 'sure':
      return { headline: `Your review was ${label}!`, detail: `The model is sure: score ${score}.` };
    case 'probably':
      return {
        headline: `Your review was probably ${label}.`,
        detail: `The model leans that way without being sure: score ${score}.`,
      };
    default:
      return {
        headline: `A close call, leaning ${label.toLowerCase()}.`,
        detail: `Score ${score}, near the middle (0.50): the model is unsure. The label is ${label}.`,
      };
  }
}

/** The review as typed, each word the explanation lists tinted, with its sign and effect in words. */
function renderTinted(text, words) {
  const byWord = new Map(words.map((entry) => [entry.word, entry]));
  const parts = [];
  let at = 0;
  for (const span of globalThis.ReviewWords.tokenSpans(text)) {
    const entry = byWord.get(span.word);
    if (entry === undefined) continue;
    if (span.start > at) parts.push(text.slice(at, span.start));
    const value = entry.contribution;
    const description = describe(entry);
    parts.push(
      element(
        'mark',
        { class: `tint ${direction(value)} level-${level(value)}`, title: `${entry.word}: ${description}` },
        text.slice(span.start, span.end),
        sign(value),
        hidden(` (${description})`),
      ),
    );
    at = span.end;
  }
  parts.push(text.slice(at));
  document.getElementById('tinted').replaceChildren(...parts);
}

function renderStrongest(list, entries, none) {
  const largest = Math.max(...entries.map((entry) => Math.abs(entry.contribution)), 1e-9);
  list.replaceChildren(
    ...(entries.length === 0
      ? [element('li', { class: 'none' }, none)]
      : entries.map((entry) => {
          const value = entry.contribution;
          const bar = element('span', { class: `bar ${direction(value)}`, 'aria-hidden': 'true' });
          bar.style.width = `${Math.max(4, (100 * Math.abs(value)) / largest)}%`;
          return element(
            'li',
            {},
            element('span', { class: 'word' }, entry.word),
            entry.count > 1
              ? element(
                  'span',
                  { class: 'count' },
                  element('span', { 'aria-hidden': 'true' }, ` ×${entry.count}`),
                  hidden(` (${entry.count} times)`),
                )
              : '',
            ' ',
            element('span', { class: 'value' }, signed(value)),
            bar,
          );
        })),
  );
}

function renderSum(answer, words) {
  const { baseValue, otherWords, margin } = answer.explanation;
  const own = words.reduce((sum, entry) => sum + entry.contribution, 0);
  document.getElementById('sum-text').textContent =
    `The model starts from ${signed(baseValue)} (its average, before any word), adds ${signed(own)} for the ` +
    `review's words and ${signed(otherWords)} for the vocabulary's words the review lacks: a margin of ` +
    `${signed(margin)} in log-odds, which the sigmoid, 1 / (1 + e^(−margin)), turns into the score ` +
    `${answer.score.toFixed(2)}.`;
}

function showAnswer(text, answer, note) {
  answered = text;
  const positive = answer.sentiment !== 0;
  const { headline, detail } = verdict(answer);
  const hasScore = Number.isFinite(answer.score);
  result.className = positive ? 'positive' : 'negative';
  result.dataset.band = hasScore ? band(answer.score) : '';
  result.replaceChildren(element('strong', {}, headline), detail ? ` ${detail}` : '');
  result.hidden = false;

  explanation.hidden = !hasScore;
  if (!hasScore) return;
  document.getElementById('gauge-marker').style.left = `${100 * Math.min(1, Math.max(0, answer.score))}%`;
  const words = answer.explanation?.words;
  explained.hidden = !Array.isArray(words);
  noExplanation.hidden = Array.isArray(words);
  noExplanation.textContent = Array.isArray(words) ? '' : note;
  if (!Array.isArray(words)) return;
  renderTinted(text, words);
  const up = words.filter((entry) => entry.contribution > 0).sort((a, b) => b.contribution - a.contribution);
  const down = words.filter((entry) => entry.contribution < 0).sort((a, b) => a.contribution - b.contribution);
  renderStrongest(document.getElementById('words-up'), up.slice(0, STRONGEST), 'No word pushed towards positive.');
  renderStrongest(document.getElementById('words-down'), down.slice(0, STRONGEST), 'No word pushed towards negative.');
  renderSum(answer, words);
}

/** POSTs the raw review as text/plain, plus Accept and `?explain=true` when asked; resolves with the XHR. */
function request(text, explain) {
  const url = new URL(API_URL, location.href);
  if (explain) url.searchParams.set('explain', 'true');
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url.href);
    xhr.setRequestHeader('Content-Type', 'text/plain;charset=UTF-8');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.timeout = 30000;
    xhr.onload = () => resolve(xhr);
    xhr.onerror = () => resolve(xhr);
    xhr.ontimeout = () => {
      xhr.timedOut = true;
      resolve(xhr);
    };
    xhr.send(text);
  });
}

/** The answer of a 200: `{sentiment, score, explanation?}`, or `{"results": [...]}`, or the text contract's `1`/`0`. */
function parseAnswer(xhr) {
  let answer;
  try {
    answer = JSON.parse(xhr.responseText);
    if (answer && Array.isArray(answer.results)) answer = answer.results[0];
  } catch {
    answer = { sentiment: Number.parseFloat(xhr.responseText) };
  }
  return answer && Number.isFinite(answer.sentiment) ? answer : undefined;
}

function setBusy(value) {
  busy = value;
  // aria-disabled rather than disabled: a disabled button drops the keyboard focus.
  if (value) {
    button.setAttribute('aria-disabled', 'true');
    form.setAttribute('aria-busy', 'true');
  } else {
    button.removeAttribute('aria-disabled');
    form.removeAttribute('aria-busy');
  }
}

async function classify(text) {
  setBusy(true);
  clearAnswer();
  status.textContent = 'Classifying your review…';
  let note = NO_EXPLANATION_SENT;
  let xhr = await request(text, explainable);
  if (explainable && xhr.status === 400) {
    // Behind a SageMaker endpoint: ask again without explain; if that works, stop asking for explanations.
    const plain = await request(text, false);
    if (plain.status === 200) explainable = false;
    xhr = plain;
  }
  if (!explainable) note = NO_EXPLANATION_BEHIND_ENDPOINT;
  setBusy(false);
  if (textarea.value !== text) {
    status.textContent = 'Your review changed while it was being classified: submit it again.';
    return;
  }
  status.textContent = '';
  if (xhr.status !== 200) return showError(text, errorMessage(xhr));
  const answer = parseAnswer(xhr);
  if (answer === undefined) return showError(text, 'Error: the API gave an answer that is not a sentiment.');
  showAnswer(text, answer, note);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!busy) classify(textarea.value);
});

textarea.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    form.requestSubmit();
  }
});

// An answer describes the text it was given: once the review is edited, it goes (an error too).
textarea.addEventListener('input', () => {
  if (answered === undefined || textarea.value === answered) return;
  clearAnswer();
  status.textContent = 'The answer was removed: it was for the review before your edit.';
});

// About the model: the offline stack says at /_model; a deployed API (?api=...) does not.
function showModel(model) {
  const facts = document.getElementById('model-facts');
  const rows = [];
  if (model) {
    rows.push(['Model file', model.file], ['Features', `${model.features} (the vocabulary's words)`]);
    if (model.summary) rows.push(['Model', model.summary]);
    if (model.vocabulary) rows.push(['Vocabulary', model.vocabulary]);
    if (model.scoring)
      rows.push([
        'Scored',
        model.scoring === 'in-process'
          ? 'in the function: answers come with explanations'
          : 'by a SageMaker endpoint: answers come without explanations',
      ]);
  }
  rows.push(['API', API_URL]);
  facts.replaceChildren(...rows.flatMap(([term, value]) => [element('dt', {}, term), element('dd', {}, value)]));
  document.getElementById('model-note').textContent = model
    ? ''
    : 'This API does not say which model it serves (a deployed API has no /_model).';
}

if (API) showModel(undefined);
else
  fetch('/_model')
    .then((response) => (response.ok ? response.json() : undefined))
    .then(showModel)
    .catch(() => showModel(undefined));
