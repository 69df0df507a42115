// The crypto worker in a real browser: the page starts it with new Worker(new URL(...)),
// two channels complete a handshake inside it, and the page never gets key bytes.
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { serveFixture, type FixturePage } from '../helpers/fixture-page';

const fixtureRoot = fileURLToPath(new URL('./fixtures/crypto/', import.meta.url));
let fixture: FixturePage | undefined;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  fixture = await serveFixture(fixtureRoot);
  baseUrl = fixture.url;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
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
