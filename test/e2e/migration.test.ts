// IndexedDB schema migration in real Chromium: the chat database is seeded exactly as
// schema v1 wrote it (the frozen v1 writer, test/helpers/v1-chat-db.ts) by page.evaluate,
// then today's code opens it: the upgrade keeps every record readable and the passphrase
// from v1 still unlocks. First through the app itself (lock screen, rooms, messages), then
// through a bare page on DeviceVault for what the UI doesn't show (schema, device key).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createCryptoApi } from '../../client/crypto/api';
import { passwordOf, startAppServer, type AppServer } from '../helpers/app-browser';
import { launchChromium } from '../helpers/chromium';
import { V1_ROOM_NAME, V1_TEXTS, buildV1Rows, writeV1Rows } from '../helpers/v1-chat-db';

const fixtureRoot = fileURLToPath(new URL('./fixtures/migration/', import.meta.url));
const PASS = 'a passphrase set back in v1';
let outDir: string;
let server: PreviewServer;
let browser: Browser;
let baseUrl: string;
let app: AppServer;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'migration-e2e-'));
  const config = {
    root: fixtureRoot,
    configFile: false as const,
    logLevel: 'warn' as const,
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      rollupOptions: {
        input: { seed: join(fixtureRoot, 'seed.html'), app: join(fixtureRoot, 'app.html') },
      },
    },
    worker: { format: 'es' as const },
  };
  await build(config);
  server = await preview({ ...config, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('The preview server has no port.');
  baseUrl = `http://127.0.0.1:${address.port}/`;
  browser = await launchChromium();
  app = await startAppServer();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await new Promise<void>((resolve) =>
    server ? server.httpServer.close(() => resolve()) : resolve(),
  );
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

test('a v1 database opens in today’s app with all its data, and the device key takes over from the passphrase', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto(`${baseUrl}seed.html`);
  await page.getByText('ready').waitFor();
  const seeded = await page.evaluate((pass) => window.seedV1(pass), PASS);
  expect(seeded).toEqual({
    version: 1,
    stores: ['buckets', 'device', 'marks', 'messages', 'outbox', 'pins', 'rooms'],
  });

  await page.goto(`${baseUrl}app.html`);
  await page.getByText('ready').waitFor();
  const upgraded = await page.evaluate((pass) => window.openAfterUpgrade(pass), PASS);
  expect(upgraded.stateAtStart).toBe('locked');
  expect(upgraded.wrongPassphrase).toBe('wrong-passphrase');
  expect(upgraded.before).toEqual({
    rooms: [V1_ROOM_NAME],
    texts: [...V1_TEXTS].reverse(),
    outbox: [V1_TEXTS[2]],
    pinVerified: true,
    draft: '',
  });
  expect(upgraded.schema.version).toBe(2);
  expect(upgraded.schema.stores).toEqual([
    'buckets',
    'device',
    'drafts',
    'marks',
    'messages',
    'outbox',
    'pins',
    'rooms',
    'settings',
  ]);

  await page.reload();
  await page.getByText('ready').waitFor();
  const reopened = await page.evaluate(() => window.openWithDeviceKey());
  expect(reopened.state).toBe('unlocked');
  expect(reopened.data).toEqual({
    ...upgraded.before,
    draft: 'typed after the upgrade',
  });
  expect(reopened.lockRefused).toBe('invalid');
  expect(reopened.extractable).toBe(false);
  expect(reopened.exportable).toBe(false);
  expect(reopened.left).not.toContain('p2p-secure-chat');
  expect(reopened.left).not.toContain('p2pchat-keys');
  expect(errors).toEqual([]);
  await context.close();
});

test('the app opens a v1 database: lock screen, v1 passphrase, then the v1 room and its messages', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // v1's rows are sealed in Node with the real crypto api (the key travels only wrapped),
  // then written on the app's own origin before any of today's code has run there.
  const crypto = createCryptoApi();
  const rows = await buildV1Rows(crypto, PASS, app.url);
  await page.goto(`${app.url}/healthz`);
  await page.evaluate(writeV1Rows, { name: 'p2p-secure-chat', rows });

  await page.goto(`${app.url}/`);
  await page.getByLabel('Passphrase').fill(`${PASS}?`);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect
    .poll(() => page.getByRole('alert').first().textContent())
    .toMatch(/passphrase is wrong/i);
  await page.getByLabel('Passphrase').fill(PASS);
  await page.getByRole('button', { name: 'Unlock' }).click();

  await page.getByLabel('Username').fill('v1-survivor');
  await page.getByLabel('Password', { exact: true }).fill(passwordOf('v1-survivor'));
  await page.getByRole('button', { name: 'Register' }).click();

  const roomLink = page.getByRole('link', {
    name: new RegExp(V1_ROOM_NAME.replace(/[()]/g, '\\$&')),
  });
  await roomLink.click();
  const messages = page.getByRole('list', { name: 'Messages' });
  for (const text of V1_TEXTS) await expect.poll(() => messages.textContent()).toContain(text);
  expect(errors).toEqual([]);
  await context.close();
});
