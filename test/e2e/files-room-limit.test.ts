// The room's maximum file size in the app: the host picks it when creating the room, both
// the host's and a guest's room screen show it beside "Attach file", a larger file is
// refused with a message naming the limit, and a smaller one is shared as usual.
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { register, startAppServer, type AppServer, type Person } from '../helpers/app-browser';
import { launchChromium } from '../helpers/chromium';
import {
  attach,
  closePeopleAfterEach,
  fileCard,
  strictPerson,
  suffix,
} from '../helpers/files-room';

let app: AppServer;
let browser: Browser;
let dir: string;
const people = closePeopleAfterEach();

beforeAll(async () => {
  app = await startAppServer();
  browser = await launchChromium();
  dir = await mkdtemp(join(tmpdir(), 'files-limit-e2e-'));
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

it('a 25 MB room: the limit is shown to host and guest, a larger file is refused', async () => {
  const host = await person('host');
  const guest = await person('guest');
  await register(host, app.url);
  await host.page.getByLabel('Room name').fill('Small files');
  await host.page.getByLabel('Maximum file size').selectOption({ label: '25 MB' });
  await host.page.getByRole('button', { name: 'Create room' }).click();
  await host.page.getByRole('textbox', { name: 'Message' }).waitFor();
  await host.page.getByText('Files up to 25 MB in this room').waitFor();

  await host.page.getByRole('button', { name: 'Invite', exact: true }).click();
  const dialog = host.page.getByRole('dialog', { name: 'Invite people' });
  const box = dialog.getByRole('textbox', { name: 'Room link' });
  await host.page.waitForFunction(
    (input) => (input as HTMLInputElement).value.includes('#k='),
    await box.elementHandle(),
  );
  const link = await box.inputValue();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await register(guest, link, '');
  await guest.page.getByRole('textbox', { name: 'Message' }).waitFor();
  // The guest never chose it: the limit came with the room.
  await guest.page.getByText('Files up to 25 MB in this room').waitFor();

  const tooBig = join(dir, 'too-big.bin');
  await writeFile(tooBig, '');
  await truncate(tooBig, 25_000_001);
  await attach(host, tooBig);
  await host.page
    .getByRole('alert')
    .filter({ hasText: 'This room accepts files up to 25 MB.' })
    .waitFor();
  expect(await fileCard(guest, 'too-big.bin').count()).toBe(0);

  const small = join(dir, 'small.txt');
  await writeFile(small, 'fits easily');
  await attach(host, small);
  await fileCard(guest, 'small.txt').getByRole('button', { name: 'Accept' }).waitFor();
});
