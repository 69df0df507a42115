// Files between browsers (issue 6): real server, real Chromium, real WebRTC between two
// contexts, chunks in each context's OPFS. Attach in one, accept and download in the
// other, and the saved bytes hash the same; an image shows a preview; chat keeps flowing
// during a large transfer; the sender reloading mid-way does not stop the transfer.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer, type Person } from '../helpers/app-browser';
import { launchChromium } from '../helpers/chromium';
import {
  attach,
  download,
  fileCard,
  makeFile,
  messageWith,
  progressOf,
  roomWithGuests,
  send,
  strictPerson,
  suffix,
  untilProgress,
  closePeopleAfterEach,
} from '../helpers/files-room';

let app: AppServer;
let browser: Browser;
let dir: string;
const people = closePeopleAfterEach();

beforeAll(async () => {
  app = await startAppServer();
  browser = await launchChromium();
  dir = await mkdtemp(join(tmpdir(), 'files-e2e-'));
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function person(name: string): Promise<Person> {
  const someone = await strictPerson(browser, `${name}${suffix()}`);
  people.push(someone);
  return someone;
}

const MiB = 1024 * 1024;

describe('files in the browser', () => {
  it('attach in one context, decline after seeing the size (still declined after a reload), accept, download in the other: same SHA-256', async () => {
    const alice = await person('alice');
    const bob = await person('bob');
    await roomWithGuests(app, alice, [bob]);
    const name = 'report.bin';
    const path = join(dir, name);
    const sha = await makeFile(path, 5 * MiB + 123);

    await attach(alice, path);
    // Bob sees the offer with its size before anything is fetched, and can decline.
    const card = fileCard(bob, name);
    await card.getByText('5.2 MB').waitFor();
    await card.getByRole('button', { name: 'Decline' }).click();
    await card.getByText('You declined this file.').waitFor();
    expect(await card.getByRole('progressbar').count()).toBe(0);
    // The answer holds after a reload: he is not asked again.
    await bob.page.reload();
    await card.getByText('You declined this file.').waitFor({ timeout: 60_000 });
    expect(await card.getByRole('button', { name: 'Decline' }).count()).toBe(0);
    // Then changes his mind.
    await card.getByRole('button', { name: 'Accept' }).click();
    await card.getByText('Received and verified').waitFor({ timeout: 60_000 });
    expect(await download(bob, name)).toBe(sha);
    // The sender's own card offers the file too (from its own disk copy).
    await fileCard(alice, name).getByText('Shared with the room').waitFor();
    expect(await download(alice, name)).toBe(sha);
  });

  it('an image shows a preview of the verified file', async () => {
    const alice = await person('alice');
    const bob = await person('bob');
    await roomWithGuests(app, alice, [bob]);
    const path = join(dir, 'dot.png');
    // A 1x1 PNG.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    await import('node:fs/promises').then((fs) => fs.writeFile(path, png));
    await attach(alice, path);
    const card = fileCard(bob, 'dot.png');
    await card.getByText('image/png').waitFor();
    await card.getByRole('button', { name: 'Accept' }).click();
    const preview = card.getByRole('img', { name: 'Preview of dot.png' });
    await preview.waitFor();
    await bob.page.waitForFunction(
      (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth === 1,
      await preview.elementHandle(),
    );
  });

  it('chat keeps flowing during a large transfer, with speed and time left shown', async () => {
    const alice = await person('alice');
    const bob = await person('bob');
    await roomWithGuests(app, alice, [bob]);
    const name = 'big.bin';
    const path = join(dir, name);
    const sha = await makeFile(path, 192 * MiB);
    await attach(alice, path);
    // While alice's device encrypts it, a progress bar named after the file.
    await alice.page.getByRole('progressbar', { name }).first().waitFor();
    await fileCard(bob, name).getByRole('button', { name: 'Accept' }).click({ timeout: 120_000 });
    await untilProgress(bob, name, 0.05);
    await fileCard(bob, name).getByText(/MB\/s/).waitFor();
    await fileCard(bob, name).getByText(/left/).waitFor();

    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const text = `during the transfer ${i}`;
      const started = Date.now();
      await send(alice, text);
      await messageWith(bob, text).waitFor();
      latencies.push(Date.now() - started);
    }
    // The transfer was still going when the last message arrived.
    const progress = await progressOf(bob, name);
    expect(progress, 'the transfer finished before the chat test ended').not.toBeNull();
    expect(progress!.value).toBeLessThan(progress!.max);
    console.log(`chat during transfer: ${latencies.join(', ')} ms`);
    expect(Math.max(...latencies)).toBeLessThan(5000);

    await fileCard(bob, name).getByText('Received and verified').waitFor({ timeout: 300_000 });
    expect(await download(bob, name)).toBe(sha);
  }, 600_000);

  it('the sender reloading mid-way: the receiver waits for a peer that has the file, then resumes', async () => {
    const alice = await person('alice');
    const bob = await person('bob');
    await roomWithGuests(app, alice, [bob]);
    const name = 'resume.bin';
    const path = join(dir, name);
    const sha = await makeFile(path, 160 * MiB);
    await attach(alice, path);
    await fileCard(bob, name).getByRole('button', { name: 'Accept' }).click({ timeout: 120_000 });
    await untilProgress(bob, name, 0.2);

    const before = (await progressOf(bob, name))!.value;
    await alice.page.reload();
    await fileCard(bob, name)
      .getByText('Waiting for a peer that has the file')
      .waitFor({ timeout: 60_000 });
    // Alice is back in the room (her chunks come from her device's storage) and the
    // transfer goes on from where it stopped, not from zero.
    await alice.page.getByRole('textbox', { name: 'Message' }).waitFor();
    await fileCard(bob, name).getByText('Received and verified').waitFor({ timeout: 300_000 });
    expect(before).toBeGreaterThan(0);
    expect(await download(bob, name)).toBe(sha);
  }, 600_000);
});
