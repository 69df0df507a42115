// Files in the app as people use them (issue 6 e2e): a host's room with guests, files
// made on disk (random bytes, SHA-256 known), attaching through the file chooser, the
// file's card found by its role and name, and saving with "Download".
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Browser, Locator } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import { newPerson, register, type AppServer, type Person } from './app-browser';

let counter = 0;
export function suffix(): string {
  counter += 1;
  return `${Date.now().toString(36).slice(-4)}${counter}`;
}

/** A person whose CSP violations count as page errors (the strict CSP must hold). */
export async function strictPerson(browser: Browser, name: string): Promise<Person> {
  const someone = await newPerson(browser, name);
  someone.page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
      someone.errors.push(message.text());
    }
  });
  return someone;
}

export const messages = (p: Person) => p.page.getByRole('list', { name: 'Messages' });
export const messageWith = (p: Person, text: string) =>
  messages(p).getByRole('listitem').filter({ hasText: text });
const memberNamed = (p: Person, name: string) =>
  p.page.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({ hasText: name });

/** The card of a file in the conversation: a group named "File NAME". */
export const fileCard = (p: Person, name: string): Locator =>
  messages(p).getByRole('group', { name: `File ${name}` });

/** Registers the host, creates a room, and brings each guest in through the invite link. */
export async function roomWithGuests(
  app: AppServer,
  host: Person,
  guests: Person[],
): Promise<void> {
  await register(host, app.url);
  await host.page.getByLabel('Room name').fill('Files');
  await host.page.getByRole('button', { name: 'Create room' }).click();
  await host.page.getByRole('textbox', { name: 'Message' }).waitFor();
  await host.page.getByRole('button', { name: 'Invite', exact: true }).click();
  const dialog = host.page.getByRole('dialog', { name: 'Invite people' });
  const box = dialog.getByRole('textbox', { name: 'Room link' });
  await host.page.waitForFunction(
    (input) => (input as HTMLInputElement).value.includes('#k='),
    await box.elementHandle(),
  );
  const link = await box.inputValue();
  await dialog.getByRole('button', { name: 'Done' }).click();
  for (const guest of guests) {
    await register(guest, link, '');
    await guest.page.getByRole('textbox', { name: 'Message' }).waitFor();
    await memberNamed(host, guest.name).filter({ hasText: 'Online' }).waitFor();
    await memberNamed(guest, host.name).filter({ hasText: 'Online' }).waitFor();
  }
}

export async function send(p: Person, text: string): Promise<void> {
  const box = p.page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

/** Writes `size` random bytes to `path`; returns their hex SHA-256. */
export async function makeFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let left = size; left > 0;) {
    const piece = randomBytes(Math.min(left, 4 * 1024 * 1024));
    hash.update(piece);
    if (!out.write(piece)) await once(out, 'drain');
    left -= piece.length;
  }
  out.end();
  await once(out, 'finish');
  return hash.digest('hex');
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(path)) hash.update(piece as Buffer);
  return hash.digest('hex');
}

/** "Attach file" -> the file chooser -> these files. */
export async function attach(p: Person, ...paths: string[]): Promise<void> {
  const chooser = p.page.waitForEvent('filechooser');
  await p.page.getByRole('button', { name: 'Attach file' }).click();
  await (await chooser).setFiles(paths);
}

/** "Download" on the file's card; resolves with the SHA-256 of what the browser saved. */
export async function download(p: Person, name: string): Promise<string> {
  const card = fileCard(p, name);
  const saving = p.page.waitForEvent('download', { timeout: 300_000 });
  await card.getByRole('button', { name: 'Download' }).click();
  const saved = await saving;
  expect(saved.suggestedFilename()).toBe(name);
  const path = await saved.path();
  expect(await saved.failure()).toBeNull();
  return sha256Of(path);
}

/** The progress bar's value (bytes) and max, or null when there is none. */
export async function progressOf(
  p: Person,
  name: string,
): Promise<{ value: number; max: number } | null> {
  const bar = fileCard(p, name).getByRole('progressbar', { name });
  if ((await bar.count()) === 0) return null;
  return bar
    .evaluate((el) => ({
      value: (el as HTMLProgressElement).value,
      max: (el as HTMLProgressElement).max,
    }))
    .catch(() => null);
}

/** Waits until the receiver's progress bar for `name` shows at least `fraction` done. */
export async function untilProgress(p: Person, name: string, fraction: number): Promise<void> {
  await fileCard(p, name).getByRole('progressbar', { name }).waitFor({ timeout: 300_000 });
  await p.page.waitForFunction(
    ({ name, fraction }) => {
      const find = (root: Document | ShadowRoot): HTMLProgressElement | null => {
        for (const el of root.querySelectorAll('*')) {
          if (el instanceof HTMLProgressElement && el.getAttribute('aria-label') === name)
            return el;
          if (el.shadowRoot) {
            const inner = find(el.shadowRoot);
            if (inner) return inner;
          }
        }
        return null;
      };
      const bar = find(document);
      return bar !== null && bar.value >= bar.max * fraction;
    },
    { name, fraction },
    { timeout: 300_000, polling: 200 },
  );
}

/**
 * The people of a test file: after each test their browser contexts close, and none of
 * them may have seen an uncaught page error. Push everyone a test creates.
 */
export function closePeopleAfterEach(): Person[] {
  const people: Person[] = [];
  afterEach(async () => {
    const all = people.splice(0);
    for (const someone of all) await someone.context.close().catch(() => undefined);
    for (const someone of all) {
      expect(someone.errors, `uncaught page errors for ${someone.name}`).toEqual([]);
    }
  });
  return people;
}
