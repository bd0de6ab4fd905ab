/**
 * `npm run docs:screenshot`: docs/page-explanation.png, the web page with an explained answer. Starts the
 * offline stack with the model in the function, types a review in headless Chromium, submits it with the
 * keyboard, waits for the explanation and writes the page as a PNG; then stops everything and removes the
 * browser it extracted (as test/offline/browser.test.ts does).
 *
 *   npm run docs:screenshot [-- --out FILE --review TEXT]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import chromium from '@sparticuz/chromium';
import { chromium as playwright } from 'playwright-core';
import { type LocalStack, PortInUseError, startLocalStack } from '../local/stack.ts';

const DEFAULT_OUT = fileURLToPath(new URL('../docs/page-explanation.png', import.meta.url));
const DEFAULT_REVIEW =
  'The plot is thin and the first hour drags, but the acting is wonderful.\n' +
  "The ending is genuinely moving: not a perfect film, yet one I'd happily watch again.";
/** Lambda-only flags of `chromium.args` that would change what the page does (see the browser test). */
const LAMBDA_ONLY_ARGS = new Set(['--disable-web-security', '--allow-running-insecure-content', '--single-process']);

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: DEFAULT_OUT },
    review: { type: 'string', default: DEFAULT_REVIEW },
  },
});

/** On port 3000, as `npm start` serves it (the image shows the API's address), or any free port if taken. */
async function startStack(): Promise<LocalStack> {
  const options = { inProcess: true, metrics: false, logLevel: 'ERROR' } as const;
  try {
    return await startLocalStack({ ...options, port: 3000 });
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    return startLocalStack({ ...options, port: 0 });
  }
}

const stack = await startStack();
// @sparticuz/chromium extracts the browser into os.tmpdir() and never removes it: give it a directory of ours.
const browserDir = mkdtempSync(join(tmpdir(), 'sentiment-screenshot-chromium-'));
const previousTmpdir = process.env.TMPDIR;
process.env.TMPDIR = browserDir;
try {
  const browser = await playwright.launch({
    executablePath: await chromium.executablePath(),
    args: [...chromium.args.filter((arg) => !LAMBDA_ONLY_ARGS.has(arg)), '--no-sandbox', '--disable-gpu'],
    headless: true,
  });
  if (previousTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmpdir;
  try {
    const page = await browser.newPage({ viewport: { width: 860, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(stack.url);
    await page.locator('#model-facts dt').first().waitFor({ state: 'attached' });
    await page.fill('#review', values.review);
    await page.focus('#review');
    await page.keyboard.press('Control+Enter');
    await page.locator('#tinted mark').first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('#sum summary').click();
    await page.locator('#about-model summary').click();
    await page.screenshot({ path: values.out, fullPage: true });
    console.log(`Wrote ${values.out}`);
  } finally {
    await browser.close();
  }
} finally {
  rmSync(browserDir, { recursive: true, force: true });
  await stack.close();
}
