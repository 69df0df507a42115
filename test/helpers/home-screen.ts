// What the home screen's e2e files share: one server and one browser per file, people who
// are closed after each test (with no uncaught page errors), and the steps a person takes
// on the home screen. Every selector is a role and an accessible name.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { newPerson, register, startAppServer, type AppServer, type Person } from './app-browser';
import { launchChromium } from './chromium';

export interface HomeScreenRun {
  /** The app's base URL (no trailing slash). */
  url(): string;
  /** A new person (own browser context) with a unique name starting with `prefix`. */
  person(prefix: string): Promise<Person>;
  /** A new person who registered through the form and sees the home screen. */
  signedUp(prefix: string): Promise<Person>;
}

/** Registers the hooks of one e2e file: call it once at the top of the file. */
export function useHomeScreen(): HomeScreenRun {
  let app: AppServer;
  let browser: Browser;
  const people: Person[] = [];
  let counter = 0;

  beforeAll(async () => {
    app = await startAppServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  afterEach(async () => {
    for (const person of people.splice(0)) {
      expect(person.errors, `uncaught page errors for ${person.name}`).toEqual([]);
      await person.context.close();
    }
  });

  const person = async (prefix: string): Promise<Person> => {
    counter += 1;
    const created = await newPerson(browser, `${prefix}${Date.now() % 100000}${counter}`);
    // The strict CSP must hold: a blocked inline style or script counts as a page error.
    created.page.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
        created.errors.push(message.text());
      }
    });
    people.push(created);
    return created;
  };

  return {
    url: () => app.url,
    person,
    async signedUp(prefix) {
      const created = await person(prefix);
      await register(created, app.url);
      await roomsList(created.page).waitFor();
      return created;
    },
  };
}

export function roomsList(page: Page) {
  return page.getByRole('list', { name: 'Rooms' });
}

/** "Home" -> "Room name" -> "Create room"; resolves with the new room's path. */
export async function createRoom(page: Page, name: string, password?: string): Promise<string> {
  await page.getByRole('link', { name: 'Home' }).click();
  await page.getByRole('textbox', { name: 'Room name' }).fill(name);
  if (password) await page.getByRole('textbox', { name: 'Room password' }).fill(password);
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.waitForURL(/\/r\/[^/#]+$/);
  return new URL(page.url()).pathname;
}

/** The host's "Invite" dialog -> the read-only "Room link" box -> its value. */
export async function inviteLink(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite people' });
  const box = dialog.getByRole('textbox', { name: 'Room link' });
  await expect.poll(() => box.inputValue()).toMatch(/#k=/);
  const link = await box.inputValue();
  await dialog.getByRole('button', { name: 'Done' }).click();
  return link;
}
