// The app as people use it in e2e tests: the real server (ephemeral port, temporary
// SQLite) serving the built PWA, and Chromium contexts acting as people. Every selector
// is a role and an accessible name, the ones issue 5 lists.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { launchChromium } from './chromium';
import { startTestServer, type TestServer } from './server';

/** Generous limits: one e2e file registers and logs in many people from 127.0.0.1. */
const E2E_RATE_LIMITS = {
  registerPerIp: { points: 1000, durationSeconds: 3600 },
  loginPerIp: { points: 1000, durationSeconds: 3600 },
  loginPerUsernameAndIp: { points: 1000, durationSeconds: 3600 },
  createRoomPerUser: { points: 1000, durationSeconds: 3600 },
  admitPerUserAndRoom: { points: 1000, durationSeconds: 3600 },
};

export interface AppServer {
  server: TestServer;
  /** e.g. http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

export async function startAppServer(env: Record<string, string> = {}): Promise<AppServer> {
  const server = await startTestServer(
    { STATIC_DIR: inject('appDist'), ...env },
    { rateLimits: E2E_RATE_LIMITS },
  );
  const url = server.url.replace(/\/+$/, '');
  return { server, url, close: () => server.close() };
}

export interface Person {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors: a test that ends with any is suspicious, so tests assert it. */
  errors: string[];
}

/** A new person: their own browser context (own storage, own service worker). */
export async function newPerson(
  browser: Browser,
  name: string,
  options: { serviceWorkers?: 'allow' | 'block' } = {},
): Promise<Person> {
  const context = await browser.newContext({ serviceWorkers: options.serviceWorkers ?? 'block' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { name, context, page, errors };
}

/** Opens the app and registers `name` (password derived from it) through the form. */
export async function register(person: Person, appUrl: string, path = '/'): Promise<void> {
  const { page } = person;
  await page.goto(appUrl + path);
  await page.getByLabel('Username').fill(person.name);
  await page.getByLabel('Password', { exact: true }).fill(passwordOf(person.name));
  await page.getByRole('button', { name: 'Register' }).click();
}

export function passwordOf(name: string): string {
  return `correct horse ${name} battery`;
}

/** What a test file of people in the app shares: one server, one Chromium, its people. */
export interface AppScene {
  app: AppServer;
  browser: Browser;
  /** People to close after the file (push each one newPerson() made). */
  people: Person[];
}

/** Starts the app server and Chromium before the file's tests; closes all of it after. */
export function useAppAndBrowser(): AppScene {
  const scene = { people: [] as Person[] } as AppScene;
  beforeAll(async () => {
    scene.app = await startAppServer();
    scene.browser = await launchChromium();
  });
  afterAll(async () => {
    for (const person of scene.people) await person.context.close().catch(() => undefined);
    await scene.browser?.close();
    await scene.app?.close();
  });
  return scene;
}
