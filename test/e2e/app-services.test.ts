// The app services in real Chromium pages, with no UI: two people register, one creates a
// room, the other opens its link (sign-in first, secret out of the address bar), they chat
// both ways over WebRTC, and after a reload the room opens again from the device alone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { passwordOf } from '../helpers/app-browser';
import { startTestServer, type TestServer } from '../helpers/server';

const fixtureRoot = fileURLToPath(new URL('./fixtures/app/', import.meta.url));
let outDir: string;
let server: TestServer;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'app-services-e2e-'));
  await build({
    root: fixtureRoot,
    configFile: false,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' },
  });
  server = await startTestServer(
    { STATIC_DIR: outDir },
    { rateLimits: { registerPerIp: { points: 100, durationSeconds: 3600 } } },
  );
  baseUrl = server.url.replace(/\/+$/, '');
  // Alert sounds play without a click first, as they do once the person used the page.
  browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

async function openPage(url: string, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.getByText('ready', { exact: true }).waitFor();
  return page;
}

/** Opens the room in the page and records its messages and delivery states. */
async function openRoom(page: Page, roomId: string): Promise<void> {
  await page.evaluate(async (id) => {
    const room = await window.app.openRoom(id);
    room.on('message', (message) => window.received.push(message));
    room.on('delivery', (delivery) => window.deliveries.push(delivery));
    window.rooms.set(id, room);
  }, roomId);
}

test('register, create, join by link after signing in, chat both ways, reopen after reload', async () => {
  const errors: string[] = [];
  const alice = await openPage(baseUrl + '/', errors);
  const aliceState = await alice.evaluate(
    async ([password]) => {
      await window.app.register('alice', password!);
      const { roomId } = await window.app.createRoom({
        name: 'Harbour <b>watch</b>',
        cipher: 'aes-256-gcm',
        keyAgreement: 'x25519',
      });
      return { roomId, snapshot: window.app.snapshot() };
    },
    [passwordOf('alice')],
  );
  expect(aliceState.snapshot.phase).toBe('ready');
  expect(aliceState.snapshot.account).toEqual({ username: 'alice', isAdmin: false });
  expect(aliceState.snapshot.rooms.map((room) => room.name)).toEqual(['Harbour <b>watch</b>']);
  const { roomId } = aliceState;
  await openRoom(alice, roomId);
  const link = await alice.evaluate((id) => window.rooms.get(id)!.inviteLink(), roomId);
  expect(link).toMatch(new RegExp(`^${baseUrl}/r/${roomId}#k=[\\w-]{43}$`));
  const secret = link.split('#k=')[1]!;

  // Bob opens the link while signed out: the secret leaves the address bar at once.
  const bob = await openPage(link, errors);
  const before = await bob.evaluate(() => ({
    href: location.href,
    snapshot: window.app.snapshot(),
    stored: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    historyState: JSON.stringify(history.state),
  }));
  expect(before.href).toBe(`${baseUrl}/r/${roomId}`);
  expect(before.snapshot.phase).toBe('signed-out');
  expect(before.snapshot.pendingJoin).toEqual({ roomId, needsPassword: false });
  expect(JSON.stringify(before)).not.toContain(secret);

  // Signing up joins the waiting room by itself; opening it waits for that.
  await bob.evaluate(async (password) => window.app.register('bob', password), passwordOf('bob'));
  await openRoom(bob, roomId);
  const joined = await bob.evaluate(() => window.app.snapshot());
  expect(joined.pendingJoin).toBeNull();
  expect(joined.rooms.map((room) => room.roomId)).toEqual([roomId]);
  // The name comes from the host over the secure channel (the server never has it).
  await bob.waitForFunction((id) => window.rooms.get(id)!.name === 'Harbour <b>watch</b>', roomId);

  // Both want a sound for messages from others (never for their own).
  for (const page of [alice, bob])
    await page.evaluate(() => window.app.updateSettings({ sound: true }));
  const sent = await bob.evaluate((id) => window.rooms.get(id)!.send('hello from bob'), roomId);
  expect(sent.own).toBe(true);
  await alice.waitForFunction(() => window.received.some((m) => m.text === 'hello from bob'));
  await alice.waitForFunction(() => window.beeps === 1);
  await bob.waitForFunction(
    (id) => window.deliveries.some((d) => d.id === id && d.state === 'delivered'),
    sent.id,
  );
  await alice.evaluate((id) => window.rooms.get(id)!.send('hi bob, <script>x</script>'), roomId);
  await bob.waitForFunction(() =>
    window.received.some((m) => m.text === 'hi bob, <script>x</script>' && !m.own),
  );
  await bob.waitForFunction(() => window.beeps === 1);
  expect(await alice.evaluate(() => window.beeps)).toBe(1);
  const members = await bob.evaluate((id) => window.rooms.get(id)!.members(), roomId);
  expect(members.map((m) => [m.username, m.isHost, m.online])).toEqual([['alice', true, true]]);

  // A new display name is on the next message at once (signed with it), and so in Members.
  await bob.evaluate(() => window.app.updateSettings({ displayName: 'Bobby Tables' }));
  await bob.evaluate((id) => window.rooms.get(id)!.send('new name, same bob'), roomId);
  await alice.waitForFunction(() =>
    window.received.some(
      (m) => m.text === 'new name, same bob' && m.displayName === 'Bobby Tables',
    ),
  );

  await alice.waitForFunction(
    (id) => window.rooms.get(id)!.members()[0]?.displayName === 'Bobby Tables',
    roomId,
  );

  // After a reload (no fragment any more) the room opens from the sealed secrets.
  await bob.reload();
  await bob.getByText('ready', { exact: true }).waitFor();
  const reloaded = await bob.evaluate(async (id) => {
    const snapshot = window.app.snapshot();
    const room = await window.app.openRoom(id);
    return {
      snapshot,
      name: room.name,
      history: (await room.page()).map((m) => [m.username, m.text, m.own]),
    };
  }, roomId);
  expect(reloaded.snapshot.phase).toBe('ready');
  expect(reloaded.snapshot.pendingJoin).toBeNull();
  expect(reloaded.name).toBe('Harbour <b>watch</b>');
  expect(reloaded.history).toEqual([
    ['bob', 'hello from bob', true],
    ['alice', 'hi bob, <script>x</script>', false],
    ['bob', 'new name, same bob', true],
  ]);
  await bob.waitForFunction(
    (id) => window.app.openRoom(id).then((room) => room.status().connection === 'online'),
    roomId,
  );

  // Alice deletes her account: the room she hosts closes for Bob, and her app ends clean.
  await alice.evaluate((password) => window.app.deleteAccount(password), passwordOf('alice'));
  expect(await alice.evaluate(() => window.app.snapshot())).toMatchObject({
    phase: 'signed-out',
    rooms: [],
  });
  await bob.waitForFunction(
    (id) => window.app.snapshot().rooms.find((room) => room.roomId === id)?.ended === 'closed',
    roomId,
  );
  expect(errors).toEqual([]);
});
