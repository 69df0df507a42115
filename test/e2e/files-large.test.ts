// A 1 GiB file between two browsers (issue 6), the sender reloading its tab half-way: the
// transfer resumes from where it stopped and arrives verified, and the receiving tab's JS
// heap stays under 200 MB the whole time (sampled through CDP Performance metrics, from
// "Accept" to the saved download). Prints the throughput and the peak heap.
// FILES_LARGE_MIB=2048 makes it the 2 GiB run (not in test:all: about 8 GiB of
// disk for the file, both stores and the saved copy, and twice the time).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAppServer, type AppServer, type Person } from '../helpers/app-browser';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium';
import { chromium } from 'playwright-core';
import {
  attach,
  download,
  fileCard,
  makeFile,
  progressOf,
  roomWithGuests,
  suffix,
  untilProgress,
  closePeopleAfterEach,
} from '../helpers/files-room';

let app: AppServer;
let dir: string;
const people = closePeopleAfterEach();

beforeAll(async () => {
  app = await startAppServer();
  dir = await mkdtemp(join(tmpdir(), 'files-large-e2e-'));
});

afterAll(async () => {
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const MiB = 1024 * 1024;

/**
 * A person on a normal (on-disk) browser profile, as an installed app runs. NOTE: an
 * incognito-like context (browser.newContext) keeps OPFS in memory, and there Chromium
 * handed out a 1 GiB OPFS file as a blob cut short (F2 report); on disk it is whole.
 */
async function diskPerson(name: string): Promise<Person> {
  const context = await chromium.launchPersistentContext(await mkdtemp(join(dir, 'profile-')), {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
    serviceWorkers: 'block',
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
      errors.push(message.text());
    }
  });
  return { name, context, page, errors };
}
const HEAP_LIMIT = 200 * 1000 * 1000;
/** 1 GiB; FILES_LARGE_MIB runs another size (2048: the 2 GiB run). */
const SIZE_MIB = Number(process.env.FILES_LARGE_MIB ?? 1024);

/** Samples the page's used JS heap (CDP Performance.getMetrics) until stopped. */
async function heapSampler(page: Page): Promise<{ stop(): Promise<number> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      peak = Math.max(peak, used);
      // A sampling period, not a wait for something to happen.
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await cdp.detach().catch(() => undefined);
      return peak;
    },
  };
}

it(`${SIZE_MIB} MiB survives the sender reloading half-way and arrives verified, the receiving tab's JS heap under 200 MB`, async () => {
  const alice = await diskPerson(`alice${suffix()}`);
  const bob = await diskPerson(`bob${suffix()}`);
  people.push(alice, bob);
  await roomWithGuests(app, alice, [bob]);
  const name = 'large.bin';
  alice.page.on('console', (m) => m.type() === 'error' && console.log('alice:', m.text()));
  bob.page.on('console', (m) => m.type() === 'error' && console.log('bob:', m.text()));
  const path = join(dir, name);
  const sha = await makeFile(path, SIZE_MIB * MiB);

  const attached = Date.now();
  await attach(alice, path);
  const card = fileCard(bob, name);
  // The offer arrives, or the sender's screen says why not.
  const problem = alice.page.getByRole('alert').first();
  await Promise.race([
    card.getByRole('button', { name: 'Accept' }).waitFor({ timeout: 600_000 }),
    problem.waitFor({ timeout: 600_000 }).then(async () => {
      throw new Error(`the sender saw: ${await problem.innerText()}`);
    }),
  ]);
  const prepared = Date.now();

  const heap = await heapSampler(bob.page);
  await card.getByRole('button', { name: 'Accept' }).click();
  await card.getByRole('progressbar', { name }).waitFor();
  await untilProgress(bob, name, 0.5);
  const bar = (await progressOf(bob, name))!;
  const beforeReload = bar.value / bar.max;
  await alice.page.reload();
  await card.getByText('Waiting for a peer that has the file').waitFor({ timeout: 60_000 });
  // Back in the room, Alice serves the rest from her device's storage: the bar goes on
  // from where it stopped, it does not start again from zero.
  await alice.page.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: 120_000 });
  await untilProgress(bob, name, 0.6);
  const resumedAt = Date.now();
  await card.getByText('Received and verified').waitFor({ timeout: 600_000 });
  const received = Date.now();
  const savedSha = await download(bob, name);
  const peak = await heap.stop();

  const seconds = (received - prepared) / 1000;
  console.log(
    `${SIZE_MIB} MiB: prepared in ${((prepared - attached) / 1000).toFixed(1)} s, ` +
      `fetched+verified in ${seconds.toFixed(1)} s (${(SIZE_MIB / seconds).toFixed(1)} MiB/s, ` +
      `sender reload at ${(100 * beforeReload).toFixed(0)}%, ` +
      `last 40% in ${((received - resumedAt) / 1000).toFixed(1)} s), ` +
      `receiver JS heap peak ${(peak / 1e6).toFixed(1)} MB`,
  );
  expect(beforeReload).toBeGreaterThanOrEqual(0.5);
  expect(savedSha).toBe(sha);
  expect(peak).toBeGreaterThan(0);
  expect(peak).toBeLessThan(HEAP_LIMIT);
}, 1_800_000);
