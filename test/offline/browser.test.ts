/**
 * The web page in real headless Chromium against the offline stack: what a user sees (POSITIVE /
 * NEGATIVE with a score said in words, the request in flight, errors shown as errors), each answer
 * explained when the model is in the function (the review tinted word by word, the strongest words, a close
 * call read as one, keyboard and screen-reader use), the fallback behind an endpoint, the ORIGINAL page's
 * exact request (raw text, no headers, `parseFloat(responseText)`), and CORS from another origin.
 *
 * Chromium comes from `@sparticuz/chromium` (the binary ships inside the npm package), driven by
 * `playwright-core`; nothing is downloaded at test time. That package extracts the browser, its fonts
 * and its libraries (about 200 MB) into `os.tmpdir()` and never removes them (on Lambda, /tmp goes
 * with the sandbox): here they go into a directory of this file's own, removed once the browser is closed.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chromium from '@sparticuz/chromium';
import fc from 'fast-check';
import { type Browser, type Page, chromium as playwright } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type EndpointStack, type LocalStack, startLocalStack } from '../../local/stack.ts';
import { pythonLower, pythonSplit, reviewToWords } from '../../src/encoder/python-text.ts';
import type { Explanation } from '../../src/explanation.ts';
import { DEFAULT_MODEL_FACTS } from '../helpers/model-card.ts';
import { review as anyReview, asciiReview } from '../helpers/review-arbitraries.ts';

const POSITIVE = 'What a wonderful, moving film';
const NEGATIVE = 'Awful, boring, stupid and terrible. The worst film I have ever seen.';
/** Where to keep a screenshot of the page with its answer, when asked (`SCREENSHOT=/tmp/page.png npm test`). */
const SCREENSHOT = process.env.SCREENSHOT;
const WEB = new URL('../../local/web/', import.meta.url);
/**
 * `chromium.args` is tuned for AWS Lambda. Dropped here: `--disable-web-security` and
 * `--allow-running-insecure-content` would turn CORS off and make every cross-origin check below
 * pass whatever the API answers; `--single-process` makes closing a page close the whole browser.
 */
const LAMBDA_ONLY_ARGS = new Set(['--disable-web-security', '--allow-running-insecure-content', '--single-process']);

/**
 * The original page's request, `xhr.open('POST', url); xhr.send(text)` with no extra header, as a
 * script: added to the stack's own page, and served by a page on another origin.
 */
const ORIGINAL_XHR_SCRIPT = `window.originalRequest = (url, text) => new Promise((resolve) => {
  const xhr = new XMLHttpRequest();
  xhr.open('POST', url);
  xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText,
    acao: xhr.getResponseHeader('access-control-allow-origin'), type: xhr.getResponseHeader('content-type') });
  xhr.onerror = () => resolve({ status: xhr.status, text: 'network error', acao: null, type: null });
  xhr.send(text);
});`;
const ORIGINAL_XHR_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>other origin</title></head>
<body><script>${ORIGINAL_XHR_SCRIPT}</script></body></html>`;

/** What the original XHR saw. `acao` is only readable same-origin (it is not a CORS-safelisted header). */
interface XhrResult {
  status: number;
  text: string;
  acao: string | null;
  type: string | null;
}

/** Runs the original page's request from `page` (which must have {@link ORIGINAL_XHR_SCRIPT}). */
function originalRequest(page: Page, url: string, text: string): Promise<XhrResult> {
  return page.evaluate(
    ([u, t]) =>
      (globalThis as unknown as { originalRequest(url: string, text: string): Promise<XhrResult> }).originalRequest(
        u,
        t,
      ),
    [url, text] as const,
  );
}

/** A review with capitals, punctuation, an apostrophe, a hyphen, a line break, a `<br />` pair and repeats. */
const MIXED =
  "Not BORING at all: a well-acted, wonderful film.\nThe plot? Dull in places<br /><br />but don't miss it - it's wonderful.";
/** Reviews that may be close calls (a score from 0.40 to 0.60): the tests use the first the model finds so. */
const CLOSE_CALL_CANDIDATES = [
  'It was fine, I guess.',
  'It was fine.',
  'An ordinary film.',
  'Some parts work, some do not.',
  'Not bad, not great.',
];
/** What the page says when explanations are not to be had behind an endpoint. */
const NEEDS_MODEL_IN_FUNCTION = /explanations need the model in the function/;

/** The API's own answer with explanation, as the page asks for it: text body, `?explain=true`. */
interface ExplainedAnswer {
  sentiment: number;
  label: string;
  score: number;
  explanation: Explanation;
}

async function explainedAnswer(url: string, text: string): Promise<ExplainedAnswer> {
  const response = await fetch(`${url}?explain=true`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'application/json' },
    body: text,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ExplainedAnswer;
}

/** A contribution as a person reads it: `+1.24`, `−2.23` (a tiny one with one significant digit). */
function signedValue(value: number): string {
  const size = Math.abs(value);
  return `${value < 0 ? '\u2212' : '+'}${size !== 0 && size < 0.005 ? size.toPrecision(1) : size.toFixed(2)}`;
}

/**
 * Records, in the page, each text a live region (`aria-live`, `role=alert`, `role=status`) shows: what a
 * screen reader announces.
 */
const RECORD_ANNOUNCEMENTS = `window.announcements = [];
document.addEventListener('DOMContentLoaded', () => {
  const last = new Map();
  const record = () => {
    for (const region of document.querySelectorAll('[aria-live], [role=alert], [role=status]')) {
      const text = region.hidden ? '' : region.textContent.trim();
      if (text !== (last.get(region) ?? '') && text !== '') window.announcements.push(region.id + ': ' + text);
      last.set(region, text);
    }
  };
  new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
});`;

let stack: EndpointStack;
/** The stack with the model in the function: its answers are explained. */
let inProcess: LocalStack;
let browser: Browser;
/** Where Chromium is extracted and Playwright keeps the browser's profile. */
let browserDir: string | undefined;
let otherOrigin: Server;
let otherOriginUrl: string;

/** Serves the tiny XHR page at `/`, and the real web page under `/app/` (as if hosted on S3). */
function createOtherOrigin(): Server {
  return createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const files: Record<string, [string, string]> = {
      '/app/': ['index.html', 'text/html'],
      '/app/app.js': ['app.js', 'text/javascript'],
      '/app/words.js': ['words.js', 'text/javascript'],
      '/app/style.css': ['style.css', 'text/css'],
    };
    const file = files[path];
    if (path === '/no-cors') {
      // The control: an answer without Access-Control-Allow-Origin, which a browser must hide.
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('1');
    } else if (path === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(ORIGINAL_XHR_PAGE);
    } else if (file) {
      response.writeHead(200, { 'Content-Type': `${file[1]}; charset=utf-8` });
      response.end(await readFile(new URL(file[0], WEB)));
    } else {
      response.writeHead(404);
      response.end();
    }
  });
}

beforeAll(async () => {
  // ERROR: the explain requests' 400s (behind the endpoint) are logged as warnings.
  stack = await startLocalStack({ port: 0, endpointPort: 0, logLevel: 'ERROR', metrics: false });
  inProcess = await startLocalStack({ port: 0, inProcess: true, logLevel: 'ERROR', metrics: false });
  otherOrigin = createOtherOrigin();
  otherOrigin.listen(0, '127.0.0.1');
  await once(otherOrigin, 'listening');
  // Another origin: same host, another port.
  otherOriginUrl = `http://127.0.0.1:${(otherOrigin.address() as AddressInfo).port}/`;
  browserDir = mkdtempSync(join(tmpdir(), 'sentiment-test-chromium-'));
  // Both read os.tmpdir() (TMPDIR): @sparticuz/chromium to extract into, Playwright for the profile
  // directory it removes on close; Chromium itself inherits it. Only the launch needs it.
  vi.stubEnv('TMPDIR', browserDir);
  browser = await playwright.launch({
    executablePath: await chromium.executablePath(),
    args: [
      ...chromium.args.filter((arg) => !LAMBDA_ONLY_ARGS.has(arg)),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    headless: true,
  });
  vi.unstubAllEnvs();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await browser?.close();
  if (browserDir !== undefined) rmSync(browserDir, { recursive: true, force: true });
  otherOrigin?.closeAllConnections();
  await new Promise<void>((resolve) => (otherOrigin ? otherOrigin.close(() => resolve()) : resolve()));
  await stack?.close();
  await inProcess?.close();
});

/** Types the review, submits it, and returns what the result line shows. */
async function classify(page: Page, review: string): Promise<{ text: string; kind: string | null }> {
  await page.fill('#review', review);
  await page.click('#submit');
  const result = page.locator('#result:not([hidden])');
  await result.waitFor({ state: 'visible', timeout: 15_000 });
  return { text: (await result.textContent()) ?? '', kind: await result.getAttribute('class') };
}

/** The id of the element that has the keyboard focus. */
function focusedId(page: Page): Promise<string | undefined> {
  return page.evaluate<string | undefined>('document.activeElement?.id');
}

/** What "About the model" lists, term by term. */
async function modelFacts(page: Page): Promise<Record<string, string>> {
  await page.locator('#model-facts dt').first().waitFor({ state: 'attached', timeout: 15_000 });
  return page.$$eval('#model-facts dt', (terms) =>
    Object.fromEntries(terms.map((term) => [term.textContent, term.nextElementSibling?.textContent])),
  );
}

describe('the web page in headless Chromium, behind the SageMaker endpoint', () => {
  let page: Page;
  let pageErrors: string[];

  beforeEach(async () => {
    pageErrors = [];
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterEach(async () => {
    stack.endpoint.faults.clear();
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('shows POSITIVE and how sure the model is for a positive review', async () => {
    // Prepare
    await page.goto(stack.url);

    // Act
    const result = await classify(page, POSITIVE);
    if (SCREENSHOT !== undefined) await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Assess
    expect(await page.title()).toBe('Sentiment Analysis Web App');
    expect(result.text).toMatch(/^Your review was POSITIVE! The model is sure: score 0\.\d\d\.$/);
    expect(result.kind).toBe('positive');
  });

  it('asks again without explain after the 400, shows the answer untinted and says explanations need the model in the function', async () => {
    // Prepare
    const replies: string[] = [];
    page.on('response', (response) => {
      if (response.request().method() === 'POST') replies.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(stack.url);

    // Act
    const first = await classify(page, NEGATIVE);
    const note = await page.locator('#no-explanation').textContent();
    const tinted = await page.locator('#tinted mark').count();
    const explainedVisible = await page.locator('#explained').isVisible();
    const second = await classify(page, POSITIVE);

    // Assess: the explain request got its 400; the page asked again, and asks without explain from then on.
    expect(replies).toEqual([`400 ${stack.url}?explain=true`, `200 ${stack.url}`, `200 ${stack.url}`]);
    expect(first.text).toMatch(/^Your review was NEGATIVE! The model is sure: score 0\.\d\d\.$/);
    expect(second.text).toMatch(/^Your review was POSITIVE!/);
    expect(note).toMatch(NEEDS_MODEL_IN_FUNCTION);
    expect(await page.locator('#no-explanation').isVisible()).toBe(true);
    expect(tinted).toBe(0);
    expect(explainedVisible).toBe(false);
    expect(await page.locator('#bands').isVisible()).toBe(true);
  });

  it('says which model answers in "About the model": file, features, summary, and that an endpoint scores', async () => {
    // Act
    await page.goto(stack.url);
    const facts = await modelFacts(page);

    // Assess
    expect(await page.locator('#about-model').getAttribute('open')).toBeNull();
    expect(facts).toEqual({
      'Model file': 'default-model/model.ubj',
      Features: "5000 (the vocabulary's words)",
      Model: DEFAULT_MODEL_FACTS,
      Vocabulary: 'default-model/vocabulary.json',
      Scored: 'by a SageMaker endpoint: answers come without explanations',
      API: stack.url,
    });
    expect(await page.locator('#model').count()).toBe(0);
  });

  it('shows NEGATIVE for a negative review', async () => {
    // Prepare
    await page.goto(stack.url);

    // Act
    const result = await classify(page, NEGATIVE);

    // Assess
    expect(result.text).toMatch(/^Your review was NEGATIVE! The model is sure: score 0\.\d\d\.$/);
    expect(result.kind).toBe('negative');
  });

  it('shows the request in flight: button disabled, "Classifying", then the answer and the button back', async () => {
    // Prepare
    await page.goto(stack.url);
    await page.fill('#review', POSITIVE);
    stack.endpoint.faults.latency(800);

    // Act
    await page.focus('#submit');
    await page.keyboard.press('Enter');
    const disabledInFlight = await page.locator('#submit').isDisabled();
    const statusInFlight = await page.locator('#status').textContent();
    const busyInFlight = await page.locator('#review-form').getAttribute('aria-busy');
    await page.locator('#result:not([hidden])').waitFor({ state: 'visible', timeout: 15_000 });

    // Assess: disabled as assistive technology sees it, and the keyboard focus stays on the button.
    expect(disabledInFlight).toBe(true);
    expect(statusInFlight).toMatch(/Classifying/);
    expect(busyInFlight).toBe('true');
    expect(await page.locator('#result').textContent()).toMatch(/POSITIVE/);
    expect(await page.locator('#submit').isDisabled()).toBe(false);
    expect(await focusedId(page)).toBe('submit');
    expect(await page.locator('#status').textContent()).toBe('');
    expect(stack.endpoint.stats.faultsApplied).toBeGreaterThanOrEqual(1);
  });

  it('classifies a very long review (20,000 characters)', async () => {
    // Prepare
    await page.goto(stack.url);
    const review = `${POSITIVE}. `.repeat(Math.ceil(20_000 / (POSITIVE.length + 2))).slice(0, 20_000);

    // Act
    const result = await classify(page, review);

    // Assess
    expect(review).toHaveLength(20_000);
    expect(stack.endpoint.stats.last?.outcome).toBe(200);
    expect(result.text).toMatch(/^Your review was POSITIVE!/);
  });

  it('shows a model failure as an error, never as POSITIVE', async () => {
    // Prepare
    await page.goto(stack.url);
    stack.endpoint.faults.error('ModelError');

    // Act
    const result = await classify(page, POSITIVE);

    // Assess
    expect(result.kind).toBe('error');
    expect(result.text).toMatch(/^Error 502: /);
    expect(result.text).not.toMatch(/POSITIVE/);
    expect(await page.locator('#explanation').isVisible()).toBe(false);
  });

  it("the ORIGINAL page's exact request still works: raw text, no headers, parseFloat(responseText)", async () => {
    // Prepare
    await page.goto(stack.url);
    await page.addScriptTag({ content: ORIGINAL_XHR_SCRIPT });

    // Act
    const replies = [
      await originalRequest(page, stack.url, POSITIVE),
      await originalRequest(page, stack.url, NEGATIVE),
    ];
    const values = replies.map((reply) => Number.parseFloat(reply.text));

    // Assess
    expect(values).toEqual([1, 0]);
    for (const reply of replies) {
      expect(reply).toEqual({
        status: 200,
        text: expect.any(String),
        acao: '*',
        type: expect.stringMatching(/^text\/plain/),
      });
    }
    expect(stack.endpoint.stats.last?.outcome).toBe(200);
  });

  describe('from another origin (CORS)', () => {
    it('the original XHR (simple request, text/plain) from another origin reads the answer', async () => {
      // Prepare
      await page.goto(otherOriginUrl);

      // Act
      const positive = await originalRequest(page, stack.url, POSITIVE);
      const negative = await originalRequest(page, stack.url, NEGATIVE);

      // Assess: a cross-origin XHR gets status 0 and no body unless Access-Control-Allow-Origin allows it.
      expect(new URL(page.url()).origin).not.toBe(new URL(stack.url).origin);
      expect(positive).toMatchObject({ status: 200, text: '1' });
      expect(negative).toMatchObject({ status: 200, text: '0' });
    });

    it('control: the browser does enforce CORS (an answer without Access-Control-Allow-Origin is hidden)', async () => {
      // Prepare: the stack's page calls the other origin, which sends no CORS headers.
      await page.goto(stack.url);
      await page.addScriptTag({ content: ORIGINAL_XHR_SCRIPT });

      // Act
      const reply = await originalRequest(page, `${otherOriginUrl}no-cors`, POSITIVE);

      // Assess
      expect(reply).toMatchObject({ status: 0, text: 'network error' });
    });

    it('an error answer is readable from another origin too (CORS headers on errors)', async () => {
      // Prepare
      await page.goto(otherOriginUrl);
      stack.endpoint.faults.error('ModelError');

      // Act
      const reply = await originalRequest(page, stack.url, POSITIVE);

      // Assess
      expect(reply.status).toBe(502);
      expect(reply.text).toMatch(/model failed/);
    });

    it('the real page hosted on another origin (?api=) classifies through the API, and says it cannot explain', async () => {
      // Prepare
      await page.goto(`${otherOriginUrl}app/?api=${encodeURIComponent(stack.url)}`);

      // Act
      const result = await classify(page, NEGATIVE);
      const facts = await modelFacts(page);

      // Assess: a deployed API has no /_model; the page names the API it calls.
      expect(new URL(page.url()).origin).not.toBe(new URL(stack.url).origin);
      expect(result.text).toMatch(/^Your review was NEGATIVE! The model is sure: score 0\.\d\d\.$/);
      expect(await page.locator('#no-explanation').textContent()).toMatch(NEEDS_MODEL_IN_FUNCTION);
      expect(facts).toEqual({ API: stack.url });
      expect(await page.locator('#model-note').textContent()).toMatch(/does not say which model it serves/);
    });
  });
});

describe('the web page explains each answer (the model in the function)', () => {
  let page: Page;
  let pageErrors: string[];

  beforeEach(async () => {
    pageErrors = [];
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.addInitScript({ content: RECORD_ANNOUNCEMENTS });
  });

  afterEach(async () => {
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  /** The tinted words as a user meets them: the span as typed, its ▲/▼, and what a screen reader says of it. */
  function tintedWords(): Promise<{ typed: string; sign: string; said: string }[]> {
    return page.$$eval('#tinted mark', (marks) =>
      marks.map((mark) => ({
        typed: mark.firstChild?.textContent ?? '',
        sign: mark.querySelector('.sign')?.textContent ?? '',
        said: mark.querySelector('.visually-hidden')?.textContent ?? '',
      })),
    );
  }

  /** The items of a strongest-words list, as seen. */
  function listed(id: string): Promise<string[]> {
    return page.$$eval(`#${id} li`, (items) =>
      items.map((item) => {
        const copy = item.cloneNode(true) as typeof item;
        for (const extra of copy.querySelectorAll('.visually-hidden')) extra.remove();
        return (copy.textContent ?? '').trim();
      }),
    );
  }

  it('typed and submitted with the keyboard: each known word tinted with the sign and value the API gives it, the strongest listed, the result announced', async () => {
    // Prepare
    const api = await explainedAnswer(inProcess.url, MIXED);
    const byWord = new Map(api.explanation.words.map((entry) => [entry.word, entry]));
    await page.goto(inProcess.url);
    await page.locator('#model-facts dt').first().waitFor({ state: 'attached', timeout: 15_000 });

    // Act: focus the review, type it, Tab to Submit, press Enter.
    await page.focus('#review');
    await page.keyboard.type(MIXED);
    await page.keyboard.press('Tab');
    const focusedBeforeSubmit = await focusedId(page);
    await page.keyboard.press('Enter');
    await page.locator('#tinted mark').first().waitFor({ state: 'visible', timeout: 15_000 });
    const marks = await tintedWords();
    const shownText = await page.$eval('#tinted', (element) => {
      const copy = element.cloneNode(true) as typeof element;
      for (const extra of copy.querySelectorAll('.sign, .visually-hidden')) extra.remove();
      return copy.textContent;
    });
    const focusedAfterAnswer = await focusedId(page);
    const tabOrder: string[] = [];
    for (let k = 0; k < 2; k++) {
      await page.keyboard.press('Tab');
      tabOrder.push(await page.evaluate<string>("document.activeElement?.closest('details')?.id ?? ''"));
    }
    const announcements = await page.evaluate(
      () => (globalThis as unknown as { announcements: string[] }).announcements,
    );

    // Assess: the review shown as typed; each word of the original preprocessing that the API lists is tinted,
    // in order, with the sign and value of its contribution.
    expect(await page.locator('#review').inputValue()).toBe(MIXED);
    expect(shownText).toBe(MIXED);
    const expected = pythonSplit(reviewToWords(MIXED))
      .filter((word) => byWord.has(word))
      .map((word) => {
        const { contribution, count } = byWord.get(word) as { contribution: number; count: number };
        const towards = contribution > 0 ? 'positive' : 'negative';
        return {
          word,
          sign: contribution > 0 ? '▲' : contribution < 0 ? '▼' : '',
          said:
            contribution === 0
              ? ' (a known word, no effect)'
              : ` (pushes towards ${towards}, ${signedValue(contribution)}${count > 1 ? ` for its ${count} uses together` : ''})`,
        };
      });
    expect(
      marks.map(({ typed, sign, said }) => ({ word: pythonSplit(reviewToWords(typed)).join(' '), sign, said })),
    ).toEqual(expected);
    expect(marks.map((mark) => mark.typed)).toEqual(expect.arrayContaining(['BORING', "don't", 'wonderful']));
    expect(marks.length).toBe(api.explanation.words.reduce((sum, entry) => sum + entry.count, 0));
    // The strongest five each way, with their values.
    const strongest = (entries: typeof api.explanation.words) =>
      entries
        .slice(0, 5)
        .map(({ word, count, contribution }) => `${word}${count > 1 ? ` ×${count}` : ''} ${signedValue(contribution)}`);
    const words = [...api.explanation.words];
    expect(await listed('words-up')).toEqual(
      strongest(words.filter((w) => w.contribution > 0).sort((a, b) => b.contribution - a.contribution)),
    );
    expect(await listed('words-down')).toEqual(
      strongest(words.filter((w) => w.contribution < 0).sort((a, b) => a.contribution - b.contribution)),
    );
    // The score, and the keyboard: Submit after the review, the focus kept there, then the details views.
    expect(await page.locator('#result').textContent()).toContain(`score ${api.score.toFixed(2)}`);
    expect(focusedBeforeSubmit).toBe('submit');
    expect(focusedAfterAnswer).toBe('submit');
    expect(tabOrder).toEqual(['sum', 'about-model']);
    // Announced: the request in flight (polite status), then the answer (the alert).
    expect(await page.locator('#result').getAttribute('role')).toBe('alert');
    expect(announcements).toEqual([
      'status: Classifying your review…',
      `result: ${await page.locator('#result').textContent()}`,
    ]);
  });

  it('reads a close call as one, "A close call, leaning ...", with the label by the original rounding', async () => {
    // Prepare: the first candidate the model scores from 0.40 to 0.60.
    let closeCall: { review: string; answer: ExplainedAnswer } | undefined;
    for (const review of CLOSE_CALL_CANDIDATES) {
      const answer = await explainedAnswer(inProcess.url, review);
      if (Math.abs(Math.round(answer.score * 100) / 100 - 0.5) <= 0.1) {
        closeCall = { review, answer };
        break;
      }
    }
    expect(closeCall, 'no candidate scores from 0.40 to 0.60: add one').toBeDefined();
    const { review, answer } = closeCall as { review: string; answer: ExplainedAnswer };
    const label = answer.sentiment === 0 ? 'NEGATIVE' : 'POSITIVE';
    await page.goto(inProcess.url);

    // Act
    const result = await classify(page, review);

    // Assess
    expect(result.text).toBe(
      `A close call, leaning ${label.toLowerCase()}. Score ${answer.score.toFixed(2)}, near the middle (0.50): ` +
        `the model is unsure. The label is ${label}.`,
    );
    expect(result.text).not.toMatch(/!/);
    expect(await page.locator('#bands').textContent()).toMatch(/0\.40 to 0\.60 is a close call/);
  });

  it('removes the answer once the review is edited, and says so', async () => {
    // Prepare
    await page.goto(inProcess.url);
    await classify(page, NEGATIVE);
    await page.locator('#tinted mark').first().waitFor({ state: 'visible' });

    // Act
    await page.focus('#review');
    await page.keyboard.press('End');
    await page.keyboard.type(' Or not.');

    // Assess
    expect(await page.locator('#result').isVisible()).toBe(false);
    expect(await page.locator('#explanation').isVisible()).toBe(false);
    expect(await page.locator('#status').textContent()).toMatch(
      /answer was removed: it was for the review before your edit/,
    );
  });

  it('"About the model" opens with the keyboard and says the model is scored in the function', async () => {
    // Prepare
    await page.goto(inProcess.url);
    const facts = await modelFacts(page);

    // Act
    await page.focus('#about-model summary');
    await page.keyboard.press('Enter');

    // Assess
    expect(await page.locator('#about-model').getAttribute('open')).not.toBeNull();
    expect(await page.locator('#model-facts').isVisible()).toBe(true);
    expect(facts).toMatchObject({
      'Model file': 'default-model/model.ubj',
      Features: "5000 (the vocabulary's words)",
      Scored: 'in the function: answers come with explanations',
    });
  });

  it('hosted on another origin (?api=), explains through the API', async () => {
    // Prepare
    await page.goto(`${otherOriginUrl}app/?api=${encodeURIComponent(inProcess.url)}`);

    // Act
    const result = await classify(page, POSITIVE);

    // Assess
    expect(result.text).toMatch(/^Your review was POSITIVE!/);
    expect(await page.locator('#tinted mark', { hasText: 'wonderful' }).count()).toBe(1);
    expect(await page.locator('#no-explanation').isVisible()).toBe(false);
  });

  it("finds the words as the original's preprocessing does, on generated reviews (Unicode, <br />, punctuation)", async () => {
    // Prepare
    const reviews = [
      MIXED,
      "ΟΔΥΣΣΕΥΣ ΑΣ'Β ΑΣ. İstanbul KELVIN\u212a <BR/><br\t/>x--y/z [a](b) \u0085c\u00a0d\ufeffe",
      ...fc.sample(anyReview, { numRuns: 400, seed: 20261205 }),
      ...fc.sample(asciiReview, { numRuns: 200, seed: 20261205 }),
    ];
    await page.goto(inProcess.url);

    // Act
    const pageWords = await page.evaluate(
      (texts) =>
        texts.map((text) =>
          (
            globalThis as unknown as {
              ReviewWords: { tokenSpans(text: string): { word: string; start: number; end: number }[] };
            }
          ).ReviewWords.tokenSpans(text),
        ),
      reviews,
    );
    const browserLower = await page.evaluate(
      (texts) => [...new Set(texts.flatMap((text) => Array.from(text)))].map((c) => [c, c.toLowerCase()]),
      reviews,
    );

    // Assess: the same words, each span of the typed text preprocessing to its word. Only characters newer
    // than CPython's Unicode tables (3.11, Unicode 14), which the browser lowercases and CPython does not, may differ.
    const newerInBrowser = new Set(
      browserLower.filter(([c, lower]) => c !== 'Σ' && pythonLower(c as string) !== lower).map(([c]) => c),
    );
    let compared = 0;
    reviews.forEach((text, k) => {
      const spans = pageWords[k] ?? [];
      if (Array.from(text).some((c) => newerInBrowser.has(c))) return;
      compared++;
      expect(
        spans.map((span) => span.word),
        JSON.stringify(text),
      ).toEqual(pythonSplit(reviewToWords(text)));
      for (const span of spans)
        expect(pythonSplit(reviewToWords(text.slice(span.start, span.end)))).toEqual([span.word]);
    });
    expect(compared).toBeGreaterThan(reviews.length * 0.95);
  });
});

describe('the web page when the endpoint is down', () => {
  let downStack: EndpointStack;
  let page: Page;

  beforeAll(async () => {
    downStack = await startLocalStack({ port: 0, endpointPort: 0, logLevel: 'ERROR', metrics: false });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await page?.close();
    await downStack?.close().catch(() => undefined); // the endpoint is already closed
  });

  it('shows an error message, and not POSITIVE, when the SageMaker endpoint is stopped', async () => {
    // Prepare
    await page.goto(downStack.url);
    await downStack.endpoint.close();
    await page.fill('#review', POSITIVE);

    // Act
    await page.click('#submit');
    const result = page.locator('#result:not([hidden])');
    await result.waitFor({ state: 'visible', timeout: 15_000 });
    const text = (await result.textContent()) ?? '';

    // Assess
    expect(await result.getAttribute('class')).toBe('error');
    expect(text).toMatch(/^Error 50\d: /);
    expect(text).toMatch(/could not be reached/);
    expect(text).not.toMatch(/POSITIVE/);
  });
});
