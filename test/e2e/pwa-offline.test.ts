// Offline first (issue 5): with the service worker allowed, a person who chatted cuts the
// network and reloads: the app starts from the cache, lists the room and shows the
// conversation; a message typed offline waits as "Pending" and reaches the other person
// once the network is back.
import type { Locator } from 'playwright-core';
import { expect, test } from 'vitest';
import { newPerson, useAppAndBrowser, register, type Person } from '../helpers/app-browser';
import { waitForServiceWorkerControl } from '../helpers/pwa-browser';

const scene = useAppAndBrowser();

const messages = (person: Person) => person.page.getByRole('list', { name: 'Messages' });
const messageWith = (person: Person, text: string): Locator =>
  messages(person).getByRole('listitem').filter({ hasText: text });

async function send(person: Person, text: string): Promise<void> {
  await person.page.getByRole('textbox', { name: 'Message' }).fill(text);
  await person.page.getByRole('button', { name: 'Send' }).click();
}

/** "Invite" -> the read-only "Room link" box -> its value. */
async function inviteLink(host: Person): Promise<string> {
  const { page } = host;
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const box = page.getByRole('textbox', { name: 'Room link' });
  await expect.poll(() => box.inputValue(), { timeout: 30_000 }).toContain('#k=');
  const link = await box.inputValue();
  await page.keyboard.press('Escape');
  return link;
}

test('offline: the app starts from the cache with rooms and history; a message typed offline waits and is delivered later', async () => {
  const olive = await newPerson(scene.browser, 'olive', { serviceWorkers: 'allow' });
  const gary = await newPerson(scene.browser, 'gary');
  scene.people.push(olive, gary);

  await register(olive, scene.app.url);
  await olive.page.getByLabel('Room name').fill('Field notes');
  await olive.page.getByRole('button', { name: 'Create room' }).click();
  await messages(olive).waitFor();
  const roomPath = new URL(olive.page.url()).pathname;
  expect(roomPath).toMatch(/^\/r\/[A-Za-z0-9_-]{22}$/);

  const link = await inviteLink(olive);
  await register(gary, link, '');
  await messages(gary).waitFor();

  await send(olive, 'Water at the north camp');
  await send(olive, 'Bridge is out, take the ford');
  await messageWith(gary, 'Bridge is out, take the ford').waitFor({ timeout: 60_000 });
  await waitForServiceWorkerControl(olive.page);

  // The network goes away and Olive reloads: everything comes from this device.
  await olive.context.setOffline(true);
  await olive.page.reload();
  await messageWith(olive, 'Water at the north camp').waitFor();
  await messageWith(olive, 'Bridge is out, take the ford').waitFor();

  await olive.page.goto(scene.app.url);
  const rooms = olive.page.getByRole('list', { name: 'Rooms' });
  await rooms.getByRole('link', { name: /Field notes/ }).click();
  await expect.poll(() => new URL(olive.page.url()).pathname).toBe(roomPath);
  await messageWith(olive, 'Bridge is out, take the ford').waitFor();

  await send(olive, 'Typed with no network');
  await messageWith(olive, 'Typed with no network').getByText('Pending').waitFor();
  // Still offline: it stays pending and Gary has not got it.
  await olive.page.reload();
  await messageWith(olive, 'Typed with no network').getByText('Pending').waitFor();
  expect(await messageWith(gary, 'Typed with no network').count()).toBe(0);

  // The network comes back: the outbox goes out by itself.
  await olive.context.setOffline(false);
  await messageWith(gary, 'Typed with no network').waitFor({ timeout: 90_000 });
  await expect
    .poll(() => messageWith(olive, 'Typed with no network').getByText('Pending').count(), {
      timeout: 30_000,
    })
    .toBe(0);

  expect(olive.errors).toEqual([]);
  expect(gary.errors).toEqual([]);
});

test('offline with a passphrase: the lock screen comes from the cache and Unlock opens the stored conversation', async () => {
  const pia = await newPerson(scene.browser, 'pia', { serviceWorkers: 'allow' });
  scene.people.push(pia);
  const { page } = pia;
  await register(pia, scene.app.url);
  await page.getByLabel('Room name').fill('Diary');
  await page.getByRole('button', { name: 'Create room' }).click();
  await messages(pia).waitFor();
  await send(pia, 'Kept under lock and key');
  await messageWith(pia, 'Kept under lock and key').waitFor();
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('New passphrase').fill('seven quiet lanterns');
  await page.getByLabel('Confirm passphrase').fill('seven quiet lanterns');
  await page.getByRole('button', { name: 'Set passphrase' }).click();
  await page.getByRole('button', { name: 'Lock', exact: true }).waitFor();
  await waitForServiceWorkerControl(page);

  await pia.context.setOffline(true);
  await page.goto(scene.app.url);
  await page.getByRole('button', { name: 'Unlock' }).waitFor();
  expect(await page.getByRole('list', { name: 'Rooms' }).count()).toBe(0);
  await page.getByLabel('Passphrase', { exact: true }).fill('seven quiet lanterns');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('list', { name: 'Rooms' }).getByRole('link', { name: /Diary/ }).click();
  await messageWith(pia, 'Kept under lock and key').waitFor();
  expect(pia.errors).toEqual([]);
});
