// The crypto worker in a real browser: the page starts it with new Worker(new URL(...)),
// two channels complete a handshake inside it, and the page never gets key bytes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../helpers/chromium';

const fixtureRoot = fileURLToPath(new URL('./fixtures/crypto/', import.meta.url));
let outDir: string;
let server: PreviewServer;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'crypto-e2e-'));
  const config = {
    root: fixtureRoot,
    configFile: false as const,
    logLevel: 'warn' as const,
    build: { outDir, emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' as const },
  };
  await build(config);
  server = await preview({ ...config, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('The preview server has no port.');
  baseUrl = `http://127.0.0.1:${address.port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) =>
    server ? server.httpServer.close(() => resolve()) : resolve(),
  );
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

test("two channels shake hands inside the page's crypto worker; the page cannot read keys", async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(baseUrl);
  await page.getByText('ready').waitFor();
  const result = await page.evaluate(() => window.runHandshake());
  expect(result.message).toBe('hello from the page');
  expect(result.bobSeesAlice).toBe(true);
  expect(result.aliceSeesBob).toBe(true);
  expect(['ed25519', 'ecdsa-p256']).toContain(result.aliceAlg);
  expect(result.handleTypes).toEqual(['string', 'string', 'string']);
  expect(result.channelInfoKeys).toEqual(['epoch', 'peerIdentity', 'state']);
  expect(result.reloadedSameKey).toBe(true);
  expect(result.returnedCryptoKeys).toBe(0);
  expect(result.privateKeyExtractable).toBe(false);
  expect(result.privateKeyReadable).toBe(false);
  expect(result.identityRecordReachable).toBe(false);
  expect(result.stateDumpReachable).toBe(false);
  expect(errors).toEqual([]);
  await page.close();
});
