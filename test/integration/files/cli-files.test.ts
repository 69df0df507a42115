// Files through `npm run cli`: /send, /files, /get with its size shown first and its
// progress line on stderr, the saved bytes matching the sender's (SHA-256). Each person is
// a real client process over real WebRTC and the real server.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliPeer } from '../../helpers/cli-peer';
import { useServerWithPeers } from '../core/room-fixture';
import { makeFile } from './test-files';

const MiB = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('files at the terminal', () => {
  const scene = useServerWithPeers();
  const dir = mkdtempSync(join(tmpdir(), 'cli-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a file sent with /send is listed, got with /get into a directory and matches', async () => {
    const alice = new CliPeer({ server: scene.server.url, username: 'fa1', room: 'create' });
    scene.peers.push(alice);
    const link = await alice.link(30_000);
    // Bob reads text, as a person does: the offer with its size, the progress line.
    const bob = new CliPeer({ server: scene.server.url, username: 'fb1', room: link, text: true });
    scene.peers.push(bob);
    await Promise.all([alice.waitForVerified('fb1'), bob.waitForText(/fa1: connection secured/)]);

    const file = await makeFile(dir, 'holiday photos.bin', 6 * MiB + 777, 7);
    alice.send('/send nothing-here.bin');
    expect((await alice.waitForEvent('error')).message).toMatch(/Cannot read "nothing-here.bin"/);
    alice.send(`/send ${file.path}`);
    const offered = await alice.waitForEvent('file-offered', (e) => e.own, { timeout: 60_000 });
    expect(offered).toMatchObject({
      name: 'holiday photos.bin',
      size: file.size,
      sha256: file.sha256,
    });

    // Before anything is fetched bob sees the name, the size and the id to /get.
    const [, id] = await bob.waitForText(
      /fa1: \[file\] holiday photos\.bin \(6\.0 MiB\), \/get (\S+)/,
    );
    expect(id).toBe(offered.id);
    bob.send('/files');
    await bob.waitForText(new RegExp(`${id}  holiday photos\\.bin  6\\.0 MiB  from fa1  offered`));

    // A path that exists is never overwritten.
    const taken = join(dir, 'taken.bin');
    writeFileSync(taken, 'mine');
    bob.send(`/get ${id!.slice(0, 6)} ${taken}`);
    await bob.waitForText(/"[^"]*taken\.bin" already exists: choose another PATH/);
    expect(readFileSync(taken, 'utf8')).toBe('mine');

    const downloads = mkdtempSync(join(dir, 'downloads-'));
    bob.send(`/get ${id!.slice(0, 6)} ${downloads}`);
    await bob.waitForText(/getting "holiday photos\.bin" \(6\.0 MiB\) from fa1 into /);
    const saved = await bob.waitForText(
      /saved "holiday photos\.bin" to (.+) \(6\.0 MiB, SHA-256 ([0-9a-f]{16})/,
      60_000,
    );
    expect(saved[1]).toBe(join(downloads, 'holiday photos.bin'));
    expect(saved[2]).toBe(file.sha256.slice(0, 16));
    expect(sha256(readFileSync(saved[1]!))).toBe(file.sha256);
    // The progress line: percent and amount, and the end shown.
    expect(bob.stderr).toMatch(
      /holiday photos\.bin: (receiving|verifying) \d+% \([\d.]+ (B|KiB|MiB) of 6\.0 MiB\)/,
    );
    expect(bob.stderr).toMatch(/received and verified \(SHA-256 matches the offer\)/);

    // A second /get of the same file saves a numbered copy next to the first.
    bob.send(`/get ${id} ${downloads}`);
    await bob.waitForText(/saved "holiday photos\.bin" to .*holiday photos \(1\)\.bin/);
    expect(sha256(readFileSync(join(downloads, 'holiday photos (1).bin')))).toBe(file.sha256);
  });

  it('reports progress with speed and time left to scripts, and /cancel drops a fetch', async () => {
    const alice = new CliPeer({ server: scene.server.url, username: 'fa2', room: 'create' });
    scene.peers.push(alice);
    const link = await alice.link(30_000);
    const bob = new CliPeer({ server: scene.server.url, username: 'fb2', room: link });
    scene.peers.push(bob);
    await Promise.all([alice.waitForVerified('fb2'), bob.waitForVerified('fa2')]);

    const file = await makeFile(dir, 'big.bin', 40 * MiB, 9);
    alice.send(`/send ${file.path}`);
    const offer = await bob.waitForEvent('file-offered', (e) => e.name === 'big.bin', {
      timeout: 60_000,
    });
    expect(offer).toMatchObject({ size: file.size, own: false, from: 'fa2', state: 'offered' });
    const out = join(dir, 'big-copy.bin');
    bob.send(`/get ${offer.id} ${out}`);
    const moving = await bob.waitForEvent(
      'file-progress',
      (e) => e.state === 'fetching' && e.bytesPerSecond > 0 && e.received > 0,
      { timeout: 60_000 },
    );
    expect(moving.percent).toBeGreaterThanOrEqual(0);
    expect(moving.percent).toBeLessThan(100);
    expect(moving.secondsLeft).toBeGreaterThan(0);
    const saved = await bob.waitForEvent('file-saved', () => true, { timeout: 120_000 });
    expect(saved).toMatchObject({ path: out, bytes: file.size, sha256: file.sha256 });

    // Alice offers it again; bob starts and cancels: nothing is kept, nothing saved.
    const mark = bob.mark();
    alice.send(`/send ${file.path}`);
    const again = await bob.waitForEvent('file-offered', (e) => e.id !== offer.id, {
      timeout: 60_000,
      after: mark,
    });
    const out2 = join(dir, 'cancelled.bin');
    bob.send(`/get ${again.id} ${out2}`);
    await bob.waitForEvent('file-progress', (e) => e.id === again.id && e.received > 0, {
      timeout: 60_000,
      after: mark,
    });
    bob.send(`/cancel ${again.id}`);
    await bob.waitForEvent('notice', (e) => /cancelled, nothing kept/.test(e.message), {
      after: mark,
    });
    bob.send('/files');
    const list = await bob.waitForEvent('files', () => true, { after: mark });
    expect(list.files.find((f) => f.id === again.id)).toMatchObject({
      state: 'offered',
      received: 0,
    });
    expect(bob.all('file-saved', mark)).toHaveLength(0);
  });

  it('an offer from before a restart is still listed and fetched (nothing of it was on disk)', async () => {
    const alice = new CliPeer({ server: scene.server.url, username: 'fa3', room: 'create' });
    scene.peers.push(alice);
    const link = await alice.link(30_000);
    const bobDir = mkdtempSync(join(dir, 'bob-data-'));
    const bob = new CliPeer({
      server: scene.server.url,
      username: 'fb3',
      room: link,
      dataDir: bobDir,
    });
    scene.peers.push(bob);
    await Promise.all([alice.waitForVerified('fb3'), bob.waitForVerified('fa3')]);
    const file = await makeFile(dir, 'later.bin', 3 * MiB + 5, 11);
    alice.send(`/send ${file.path}`);
    const offer = await bob.waitForEvent('file-offered', (e) => e.name === 'later.bin', {
      timeout: 60_000,
    });
    expect(await bob.quit()).toBe(0);

    // The same person starts again on the same data: the offer shows in the history, and
    // /files and /get know it although no chunk of it was ever stored here.
    const again = new CliPeer({
      server: scene.server.url,
      username: 'fb3',
      room: link,
      dataDir: bobDir,
    });
    scene.peers.push(again);
    await again.waitForEvent('history', (e) => e.file?.id === offer.id, { timeout: 60_000 });
    again.send('/files');
    const list = await again.waitForEvent('files', () => true);
    expect(list.files.find((f) => f.id === offer.id)).toMatchObject({ state: 'offered' });
    await again.waitForVerified('fa3');
    const out = join(dir, 'later-copy.bin');
    again.send(`/get ${offer.id} ${out}`);
    const saved = await again.waitForEvent('file-saved', () => true, { timeout: 120_000 });
    expect(saved).toMatchObject({ path: out, bytes: file.size, sha256: file.sha256 });
  });
});
