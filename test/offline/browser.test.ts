/**
 * The web page in real headless Chromium against the offline stack: what a user sees (POSITIVE /
 * NEGATIVE with a score, the request in flight, errors shown as errors), the ORIGINAL page's exact
 * request (raw text, no headers, `parseFloat(responseText)`), and CORS from another origin.
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
import { type Browser, type Page, chromium as playwright } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type EndpointStack, startLocalStack } from '../../local/stack.ts';
import { DEFAULT_MODEL_FACTS } from '../helpers/model-card.ts';

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

let stack: EndpointStack;
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
  stack = await startLocalStack({ port: 0, endpointPort: 0, metrics: false });
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
});

describe('the web page in headless Chromium', () => {
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

  /** Types the review, submits it, and returns what the result line shows. */
  async function classify(review: string): Promise<{ text: string; kind: string | null }> {
    await page.fill('#review', review);
    await page.click('#submit');
    const result = page.locator('#result:not([hidden])');
    await result.waitFor({ state: 'visible', timeout: 15_000 });
    return { text: (await result.textContent()) ?? '', kind: await result.getAttribute('class') };
  }

  it('shows POSITIVE and the score for a positive review', async () => {
    // Prepare
    await page.goto(stack.url);

    // Act
    const result = await classify(POSITIVE);
    if (SCREENSHOT !== undefined) await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Assess
    expect(await page.title()).toBe('Sentiment Analysis Web App');
    expect(result.text).toMatch(/^Your review was POSITIVE! \(score 0\.\d\d\)$/);
    expect(result.kind).toBe('positive');
  });

  it('says which model answers: the default XGBoost model, its trees, features and held-out accuracy', async () => {
    // Act
    await page.goto(stack.url);
    const model = page.locator('#model:not([hidden])');
    await model.waitFor({ state: 'visible', timeout: 15_000 });

    // Assess
    expect(await model.textContent()).toBe(`Model: default-model/model.ubj (${DEFAULT_MODEL_FACTS})`);
  });

  it('shows NEGATIVE for a negative review', async () => {
    // Prepare
    await page.goto(stack.url);

    // Act
    const result = await classify(NEGATIVE);

    // Assess
    expect(result.text).toMatch(/^Your review was NEGATIVE! \(score 0\.\d\d\)$/);
    expect(result.kind).toBe('negative');
  });

  it('shows the request in flight: button disabled, "Classifying", then the answer and the button back', async () => {
    // Prepare
    await page.goto(stack.url);
    await page.fill('#review', POSITIVE);
    stack.endpoint.faults.latency(800);

    // Act
    await page.click('#submit');
    const disabledInFlight = await page.locator('#submit').isDisabled();
    const statusInFlight = await page.locator('#status').textContent();
    const busyInFlight = await page.locator('#review-form').getAttribute('aria-busy');
    await page.locator('#result:not([hidden])').waitFor({ state: 'visible', timeout: 15_000 });

    // Assess
    expect(disabledInFlight).toBe(true);
    expect(statusInFlight).toMatch(/Classifying/);
    expect(busyInFlight).toBe('true');
    expect(await page.locator('#result').textContent()).toMatch(/POSITIVE/);
    expect(await page.locator('#submit').isDisabled()).toBe(false);
    expect(await page.locator('#status').textContent()).toBe('');
    expect(stack.endpoint.stats.faultsApplied).toBeGreaterThanOrEqual(1);
  });

  it('classifies a very long review (20,000 characters)', async () => {
    // Prepare
    await page.goto(stack.url);
    const review = `${POSITIVE}. `.repeat(Math.ceil(20_000 / (POSITIVE.length + 2))).slice(0, 20_000);

    // Act
    const result = await classify(review);

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
    const result = await classify(POSITIVE);

    // Assess
    expect(result.kind).toBe('error');
    expect(result.text).toMatch(/^Error 502: /);
    expect(result.text).not.toMatch(/POSITIVE/);
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

    it('the real page hosted on another origin (?api=) classifies through the API', async () => {
      // Prepare
      await page.goto(`${otherOriginUrl}app/?api=${encodeURIComponent(stack.url)}`);

      // Act
      const result = await classify(NEGATIVE);

      // Assess
      expect(new URL(page.url()).origin).not.toBe(new URL(stack.url).origin);
      expect(result.text).toMatch(/^Your review was NEGATIVE! \(score 0\.\d\d\)$/);
    });
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
