// bench:history (issue 5): with 100,000 messages stored in the app's encrypted IndexedDB, in
// headless Chromium, how long from navigating to a room until its newest page of history
// is on screen, and how long a search across all of them takes in the app, against the
// same search over the same messages kept in the clear in a plain idb database, in the
// same page and the same run. Also the gzip size of the JS the app shell loads first.
// Last line: `history: first render X ms, search Y ms, ratio R, shell Z KB gzip`.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/chromium';
import { startTestServer } from '../test/helpers/server';
import { buildBenchApp, gzipBytes, shellSize, workerSize } from './history-build';
import { probeScript, type ProbeMarks } from './history-probe';
import type { HistoryBenchApi } from './history-seed-page';
import { NEEDLE_EVERY, SEARCH_NEEDLE, messageText } from './history-shared';

const COUNT = Number(process.env.BENCH_HISTORY_COUNT ?? 100_000);
const RENDER_RUNS = 5;
const SEARCH_RUNS = 5;
const NEWEST = messageText(COUNT, COUNT);
const HITS = Math.floor((COUNT - 1) / NEEDLE_EVERY);
const FOUND = `${HITS} message${HITS === 1 ? '' : 's'} found.`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const round = (value: number) => Math.round(value * 10) / 10;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

type BenchWindow = Window & { historyBench: HistoryBenchApi; __historyProbe: ProbeMarks };

async function seen(page: Page, marker: string): Promise<number> {
  const handle = await page.waitForFunction(
    (text) => (window as unknown as BenchWindow).__historyProbe.seen[text],
    marker,
    { timeout: 120_000 },
  );
  return (await handle.jsonValue()) as number;
}

async function main(): Promise<void> {
  console.log(`bench:history: ${COUNT} messages; load average ${load()}`);
  const dist = await mkdtemp(path.join(tmpdir(), 'bench-history-'));
  await buildBenchApp(dist, process.env.BENCH_HISTORY_APP_DIST);
  // NOTE: the server looks for index.html when it starts, so it starts after the build.
  const server = await startTestServer({ STATIC_DIR: dist });
  const browser = await launchChromium();
  try {
    const url = server.url.replace(/\/+$/, '');
    const context = await browser.newContext({ serviceWorkers: 'allow' });
    await context.addInitScript(probeScript([NEWEST, FOUND]));
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));

    // A person: registers and creates a room through the app, as anyone would. This cold
    // start also shows which JS the page really fetches before its first screen is usable.
    const startJs = new Set<string>();
    const noteJs = (response: { url(): string }) => {
      const { pathname } = new URL(response.url());
      if (pathname.endsWith('.js')) startJs.add(pathname);
    };
    page.on('response', noteJs);
    await page.goto(url);
    await page.getByLabel('Username').fill('bench');
    await page.getByLabel('Password', { exact: true }).fill('correct horse bench battery');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByLabel('Room name').waitFor();
    page.off('response', noteJs);
    await page.getByLabel('Room name').fill('Bench room');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    const roomId = new URL(page.url()).pathname.split('/').pop()!;

    // Fill the room's history with the app's storage code, on the app's origin.
    await page.goto(`${url}/bench-seed.html`);
    await page.waitForFunction(() => 'historyBench' in window);
    const { seededMs } = await page.evaluate(
      (options) => (window as unknown as BenchWindow).historyBench.seed(options),
      { roomId, count: COUNT },
    );
    console.log(`seeded ${COUNT} messages in ${Math.round(seededMs)} ms`);

    const renders: number[] = [];
    for (let run = 0; run < RENDER_RUNS; run++) {
      await page.goto(`${url}/r/${roomId}`);
      renders.push(await seen(page, NEWEST));
    }
    console.log(`first render runs (ms): ${renders.map(round).join(', ')}`);

    await page.goto(url);
    const box = page.getByRole('textbox', { name: 'Search', exact: true });
    const searches: number[] = [];
    for (let run = 0; run < SEARCH_RUNS; run++) {
      await box.fill(SEARCH_NEEDLE);
      await box.press('Enter');
      const shownAt = await seen(page, FOUND);
      const marks = await page.evaluate(() => (window as unknown as BenchWindow).__historyProbe);
      searches.push(shownAt - marks.enterAt!);
      await box.fill('');
    }
    console.log(`search runs (ms): ${searches.map(round).join(', ')} (${FOUND})`);

    // The baseline, in the same page: the same search over the same messages in plain idb.
    await page.goto(`${url}/bench-seed.html`);
    await page.waitForFunction(() => 'historyBench' in window);
    const plain: number[] = [];
    for (let run = 0; run < SEARCH_RUNS; run++) {
      const result = await page.evaluate(
        (needle) => (window as unknown as BenchWindow).historyBench.plainSearch(needle),
        SEARCH_NEEDLE,
      );
      if (result.read !== COUNT || result.hits !== HITS) {
        throw new Error(`The plain baseline read ${result.read} rows, found ${result.hits}.`);
      }
      plain.push(result.ms);
    }
    const storeOnly: number[] = [];
    for (let run = 0; run < 3; run++) {
      const result = await page.evaluate(
        (needle) => (window as unknown as BenchWindow).historyBench.storeSearch(needle),
        SEARCH_NEEDLE,
      );
      storeOnly.push(result.ms);
    }
    console.log(
      `the app's search code on its store, no UI: ${storeOnly.map(round).join(', ')} ms ` +
        '(the rest of the in-app figure is the page: input, rendering the hits)',
    );
    const plainPage = median(
      await Promise.all(
        [0, 1, 2].map(() =>
          page.evaluate(() => (window as unknown as BenchWindow).historyBench.plainLastPage(50)),
        ),
      ),
    );
    console.log(
      `plain idb: search ${plain.map(round).join(', ')} ms; newest page of 50 ${round(plainPage)} ms`,
    );

    const shell = await shellSize(dist);
    const worker = await workerSize(dist);
    const pageStartJs = [...startJs].filter((file) => !/crypto\.worker/.test(file));
    const startGzip = await gzipBytes(dist, pageStartJs);
    console.log(
      `JS fetched by a cold start up to the signed-in home screen: ${round(startGzip / 1000)} KB gzip ` +
        `(${pageStartJs.join(', ')}) + the crypto worker`,
    );
    console.log(
      `shell files: ${shell.files.join(', ')}; crypto worker ${round(worker / 1000)} KB gzip (started at once, off the main thread)`,
    );
    console.log(`load average at end ${load()}`);

    const firstRender = median(renders);
    const search = median(searches);
    console.log(
      `history: first render ${Math.round(firstRender)} ms, search ${Math.round(search)} ms, ` +
        `ratio ${(search / median(plain)).toFixed(2)}, shell ${round(shell.pageGzip / 1000)} KB gzip`,
    );
  } finally {
    await browser.close();
    await server.close();
    await rm(dist, { recursive: true, force: true });
  }
}

await main();
