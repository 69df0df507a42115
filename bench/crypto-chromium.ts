// bench:crypto in headless Chromium: the product's secure channel runs in a dedicated Web
// Worker there, not in Node. Builds bench/fixtures/crypto with Vite, serves it on an
// ephemeral loopback port, runs the shared measurement (crypto-measure.ts) in the page's
// worker and hands back its rows; the worker's lines are printed as they arrive.
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../test/helpers/chromium';
import { serveFixture, type FixturePage } from '../test/helpers/fixture-page';
import { LINE_PREFIX, type WorkerBenchResult } from './fixtures/crypto/messages';

const fixtureRoot = fileURLToPath(new URL('./fixtures/crypto/', import.meta.url));

export class ChromiumMissingError extends Error {
  constructor(path: string) {
    super(`Chromium not found at ${path} (set CHROMIUM_PATH)`);
    this.name = 'ChromiumMissingError';
  }
}

// Cross-origin isolation gives the worker a ~5 us clock instead of ~100 us, which the
// per-round diagnostic needs; the throughput figures do not depend on it.
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export async function runInChromium(log: (line: string) => void): Promise<WorkerBenchResult> {
  try {
    await access(CHROMIUM_PATH);
  } catch {
    throw new ChromiumMissingError(CHROMIUM_PATH);
  }
  let fixture: FixturePage | undefined;
  let browser: Browser | undefined;
  try {
    fixture = await serveFixture(fixtureRoot, { headers: ISOLATION_HEADERS });
    browser = await launchChromium();
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      const text = message.text();
      if (text.startsWith(LINE_PREFIX)) log(text.slice(LINE_PREFIX.length));
    });
    await page.goto(fixture.url);
    await page.getByText('ready').waitFor();
    const result = await page.evaluate(() => window.runCryptoBench());
    if (pageErrors.length) throw new Error(`page errors: ${pageErrors.join('; ')}`);
    return result;
  } finally {
    await browser?.close();
    await fixture?.close();
  }
}
