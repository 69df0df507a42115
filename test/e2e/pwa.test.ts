// The installable app: the manifest a browser needs, the service worker that controls the
// page, precaches the shell and answers app screens offline, never caches /api, and the
// "new version" prompt that reloads only on consent.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import {
  newPerson,
  register,
  startAppServer,
  useAppAndBrowser,
  type AppServer,
  type Person,
} from '../helpers/app-browser';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium';
import { cachedUrls, waitForServiceWorkerControl } from '../helpers/pwa-browser';

const scene = useAppAndBrowser();

async function visitor(name: string): Promise<Person> {
  const person = await newPerson(scene.browser, name, { serviceWorkers: 'allow' });
  scene.people.push(person);
  return person;
}

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

describe('installing', () => {
  test('the manifest names the app, its icons, standalone display, colours, scope and share target', async () => {
    const { page } = await visitor('manifest');
    await page.goto(scene.app.url);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBe('/manifest.webmanifest');
    const manifest = await page.evaluate(async (url) => (await fetch(url)).json(), href!);
    expect(manifest).toMatchObject({
      name: 'Secure Chat',
      short_name: 'Chat',
      display: 'standalone',
      start_url: '/',
      scope: '/',
      theme_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
      background_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
      share_target: {
        action: '/share',
        method: 'POST',
        enctype: 'multipart/form-data',
        params: { files: [expect.objectContaining({ name: 'files' })] },
      },
    });
    const icons = manifest.icons as ManifestIcon[];
    const kinds = icons.map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`).sort();
    expect(kinds).toEqual(['192x192 any', '192x192 maskable', '512x512 any', '512x512 maskable']);
    for (const icon of icons) {
      const served = await page.evaluate(async (src) => {
        const response = await fetch(src);
        const bitmap = await createImageBitmap(await response.blob());
        return { type: response.headers.get('content-type'), width: bitmap.width };
      }, icon.src);
      expect(served).toEqual({ type: 'image/png', width: Number(icon.sizes.split('x')[0]) });
    }
  });

  test('Chromium finds nothing that stops installation and the app offers "Install"', async () => {
    // NOTE: browser.newContext() is incognito, where Chromium never installs apps; a
    // persistent profile is what a person has.
    const profile = await mkdtemp(path.join(tmpdir(), 'pwa-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      // Chromium otherwise waits for "engagement" (minutes of use) before offering installs.
      args: [...CHROMIUM_ARGS, '--bypass-app-banner-engagement-checks'],
      serviceWorkers: 'allow',
    });
    try {
      const page = await context.newPage();
      await page.goto(scene.app.url);
      await waitForServiceWorkerControl(page);
      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      expect(installabilityErrors).toEqual([]);
      // The header (shown once signed in) carries the button.
      await register({ name: 'installer', context, page, errors: [] }, scene.app.url);
      await page.getByRole('button', { name: 'Install' }).first().waitFor();
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  });

  test('the built page has no inline script and breaks no CSP rule', async () => {
    const html = await readFile(path.join(inject('appDist'), 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(body.trim()).toBe('');
    }
    const { page } = await visitor('csp');
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(scene.app.url);
    await waitForServiceWorkerControl(page);
    await page.reload();
    await page.getByRole('button', { name: 'Register' }).waitFor();
    expect(violations).toEqual([]);
  });
});

describe('the service worker', () => {
  test('controls the page from the first visit and precaches the app shell', async () => {
    const { page } = await visitor('control');
    await page.goto(scene.app.url);
    await waitForServiceWorkerControl(page);
    const scriptUrl = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
    expect(scriptUrl).toBe(`${scene.app.url}/sw.js`);
    // Workbox stores revisioned files under ?__WB_REVISION__=...: compare paths.
    const cached = (await cachedUrls(page)).map((url) => new URL(url).pathname);
    const entry = await page.locator('script[type="module"][src]').first().getAttribute('src');
    expect(cached).toEqual(expect.arrayContaining(['/index.html', '/manifest.webmanifest', entry]));
  });

  test('answers app screens (/r/ROOM, /settings) with the app, and server paths never', async () => {
    const { page } = await visitor('routes');
    await page.goto(scene.app.url);
    await waitForServiceWorkerControl(page);
    for (const screen of ['/r/AAAAAAAAAAAAAAAAAAAAAA', '/settings']) {
      const response = await page.goto(scene.app.url + screen);
      expect(response?.fromServiceWorker(), screen).toBe(true);
      // The app's own page: its root element, and a title that ends with the app's name
      // (the app may already have named the screen, e.g. "Log in · Secure Chat").
      await page.locator('app-root').waitFor({ state: 'attached' });
      expect(await page.title()).toMatch(/(^| · )Secure Chat$/);
    }
    const api = await page.goto(`${scene.app.url}/api/me`);
    expect(api?.status()).toBe(401);
    expect(await page.locator('script').count()).toBe(0);
    const health = await page.goto(`${scene.app.url}/healthz`);
    expect(await health?.json()).toEqual({ ok: true });
  });

  test('takes what other apps share (the share target) and opens the app instead of an error', async () => {
    const { page } = await visitor('sharer');
    await page.goto(scene.app.url);
    await waitForServiceWorkerControl(page);
    // What a share sheet does: a multipart POST navigation to the manifest's action.
    await Promise.all([
      page.waitForURL(`${scene.app.url}/`),
      page.evaluate(() => {
        const form = document.createElement('form');
        form.method = 'POST';
        form.enctype = 'multipart/form-data';
        form.action = '/share';
        const title = document.createElement('input');
        title.name = 'title';
        title.value = 'Trip photos';
        form.append(title);
        document.body.append(form);
        form.submit();
      }),
    ]);
    await page.getByRole('button', { name: 'Register' }).waitFor();
  });

  test('keeps no /api response in any cache', async () => {
    const person = await visitor('nocache');
    const { page } = person;
    // A person's first steps call the API again and again: register, me, create a room.
    await register(person, scene.app.url);
    await waitForServiceWorkerControl(page);
    await page.getByLabel('Room name').fill('Cache check');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.getByRole('list', { name: 'Messages' }).waitFor();
    await page.reload();
    await page.getByRole('list', { name: 'Messages' }).waitFor();
    const statuses = await page.evaluate(async () => {
      const urls = ['/api/me', '/api/ice'];
      return Promise.all(urls.map(async (url) => (await fetch(url)).status));
    });
    expect(statuses).toEqual([200, 200]); // answered by the server for this session
    const cached = await cachedUrls(page);
    expect(cached.length).toBeGreaterThan(0);
    expect(cached.filter((url) => new URL(url).pathname.startsWith('/api'))).toEqual([]);
  });
});

describe('updates', () => {
  let updatable: AppServer;
  let distCopy: string;

  beforeAll(async () => {
    distCopy = await mkdtemp(path.join(tmpdir(), 'pwa-update-'));
    await cp(inject('appDist'), distCopy, { recursive: true });
    updatable = await startAppServer({ STATIC_DIR: distCopy });
  });

  afterAll(async () => {
    await updatable?.close();
    await rm(distCopy, { recursive: true, force: true });
  });

  test('a new version waits for "Reload", then takes over the page', async () => {
    const { page } = await visitor('updater');
    await page.goto(updatable.url);
    await waitForServiceWorkerControl(page);
    await expect(toast(page).isVisible()).resolves.toBe(false);

    // Deploy a new version (any byte change of sw.js is one) and let the page look for it.
    const swPath = path.join(distCopy, 'sw.js');
    await writeFile(swPath, `${await readFile(swPath, 'utf8')}\n// next version\n`);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());

    await toast(page).getByText('A new version is ready').waitFor();
    const before = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
    // The old version keeps the page until the person agrees.
    expect(
      await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting),
    ).toBe(true);

    await page.evaluate(() => sessionStorage.setItem('reload-marker', 'before-reload'));
    await Promise.all([
      page.waitForEvent('load'),
      toast(page).getByRole('button', { name: 'Reload' }).click(),
    ]);
    await waitForServiceWorkerControl(page);
    const after = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return {
        waiting: !!registration?.waiting,
        controller: navigator.serviceWorker.controller?.scriptURL,
      };
    });
    expect(after).toEqual({ waiting: false, controller: before });
    await expect(toast(page).isVisible()).resolves.toBe(false);
  });
});

function toast(page: Page) {
  return page.getByRole('status').filter({ hasText: 'A new version is ready' });
}
