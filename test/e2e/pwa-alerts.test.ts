// Alerts: once a person turns notifications on in Settings (the browser's permission is
// granted), a message that arrives while the app is in the background shows a system
// notification naming the room and the sender; with notifications off, none appears.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { newPerson, useAppAndBrowser, register, type Person } from '../helpers/app-browser';
import { waitForServiceWorkerControl } from '../helpers/pwa-browser';

const scene = useAppAndBrowser();

// NOTE: headless pages are always "visible"; this makes the page report what a tab behind
// other tabs (or a minimised window) reports. A string: the page can't run test-compiled code.
const IN_BACKGROUND = `
  Object.defineProperty(Document.prototype, 'hidden', { get: () => true });
  Object.defineProperty(Document.prototype, 'visibilityState', { get: () => 'hidden' });
`;

const messages = (person: Person) => person.page.getByRole('list', { name: 'Messages' });

async function send(person: Person, text: string): Promise<void> {
  await person.page.getByRole('textbox', { name: 'Message' }).fill(text);
  await person.page.getByRole('button', { name: 'Send' }).click();
}

function shownNotifications(page: Page): Promise<{ title: string; body: string }[]> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    const shown = (await registration?.getNotifications()) ?? [];
    return shown.map((notification) => ({ title: notification.title, body: notification.body }));
  });
}

test('a message arriving in the background shows a notification only once notifications are on', async () => {
  const nina = await newPerson(scene.browser, 'nina', { serviceWorkers: 'allow' });
  const omar = await newPerson(scene.browser, 'omar');
  scene.people.push(nina, omar);
  await nina.context.grantPermissions(['notifications'], { origin: scene.app.url });
  await nina.context.addInitScript(IN_BACKGROUND);

  await register(nina, scene.app.url);
  await nina.page.getByLabel('Room name').fill('Night shift');
  await nina.page.getByRole('button', { name: 'Create room' }).click();
  await messages(nina).waitFor();
  await waitForServiceWorkerControl(nina.page);
  await nina.page.getByRole('button', { name: 'Invite', exact: true }).click();
  const linkBox = nina.page.getByRole('textbox', { name: 'Room link' });
  await expect.poll(() => linkBox.inputValue(), { timeout: 30_000 }).toContain('#k=');
  const link = await linkBox.inputValue();
  await nina.page.keyboard.press('Escape');
  await register(omar, link, '');
  await messages(omar).waitFor();

  // Notifications are off by default: a message arrives and no notification shows.
  await send(omar, 'Anyone awake?');
  await messages(nina).getByRole('listitem').filter({ hasText: 'Anyone awake?' }).waitFor();
  expect(await shownNotifications(nina.page)).toEqual([]);

  await nina.page.getByRole('link', { name: 'Settings' }).click();
  const toggle = nina.page.getByRole('checkbox', { name: 'Notifications' });
  await toggle.check();
  await expect.poll(() => toggle.isChecked()).toBe(true);

  await send(omar, 'Server room is too hot');
  await expect
    .poll(() => shownNotifications(nina.page), { timeout: 30_000 })
    .toEqual([{ title: 'Night shift', body: 'omar: Server room is too hot' }]);
  expect(nina.errors).toEqual([]);
});
