// The big Node test, through three terminal clients: a 200 MiB file, its sender
// killed (SIGKILL, no goodbye) when the receiver is half-way, and the rest fetched from a
// third peer that holds the file. The receiver keeps what it had (no restart from 0), and
// the file it saves has the sender's SHA-256.
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliPeer } from '../../helpers/cli-peer';
import { allVerified, useServerWithPeers } from '../core/room-fixture';
import { makeFile } from './test-files';

const MiB = 1024 * 1024;
const SIZE = 200 * MiB;

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(path, { highWaterMark: 4 * MiB })) {
    hash.update(piece as Buffer);
  }
  return hash.digest('hex');
}

describe('a 200 MiB file at the terminal', () => {
  const scene = useServerWithPeers();
  const dir = mkdtempSync(join(tmpdir(), 'cli-200mib-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'survives its sender being killed at 50%: a third peer that has it serves the rest',
    {
      timeout: 600_000,
    },
    async () => {
      const started = Date.now();
      const server = scene.server.url;
      const alice = new CliPeer({ server, username: 'big-alice', room: 'create' });
      scene.peers.push(alice);
      const link = await alice.link(30_000);
      const carol = new CliPeer({ server, username: 'big-carol', room: link });
      const bob = new CliPeer({ server, username: 'big-bob', room: link });
      scene.peers.push(carol, bob);
      await allVerified([alice, bob, carol]);

      const file = await makeFile(dir, 'video.bin', SIZE, 2026);
      const made = Date.now();
      alice.send(`/send ${file.path}`);
      const offer = await alice.waitForEvent('file-offered', (e) => e.own, { timeout: 300_000 });
      expect(offer).toMatchObject({ size: SIZE, sha256: file.sha256 });
      const prepared = Date.now();

      // Carol fetches all of it first: she is the third peer that holds the file.
      await carol.waitForEvent('file-offered', (e) => e.id === offer.id);
      carol.send(`/get ${offer.id} ${join(dir, 'carol.bin')}`);
      const carolSaved = await carol.waitForEvent('file-saved', () => true, { timeout: 300_000 });
      expect(carolSaved).toMatchObject({ bytes: SIZE, sha256: file.sha256 });
      const carolDone = Date.now();

      // Bob fetches from the sender (the author is asked first) until half-way...
      await bob.waitForEvent('file-offered', (e) => e.id === offer.id);
      const bobPath = join(dir, 'bob.bin');
      bob.send(`/get ${offer.id} ${bobPath}`);
      const half = await bob.waitForEvent(
        'file-progress',
        (e) => e.id === offer.id && e.percent >= 50,
        { timeout: 300_000 },
      );
      expect(half.state).toBe('fetching');
      // ...when the sender's process dies without a word.
      await alice.kill();
      const killed = Date.now();
      const afterKill = bob.mark();

      const saved = await bob.waitForEvent('file-saved', () => true, { timeout: 300_000 });
      expect(saved).toMatchObject({ path: bobPath, bytes: SIZE, sha256: file.sha256 });
      const bobDone = Date.now();
      // What bob had at the kill was kept: the rest came from carol, not a new start.
      const later = bob.all('file-progress', afterKill).filter((e) => e.id === offer.id);
      expect(Math.min(...later.map((e) => e.received))).toBeGreaterThanOrEqual(half.received);
      expect(bob.all('file-failed')).toHaveLength(0);
      // The bytes on bob's disk are the sender's (checked here, not only by the client).
      expect(await sha256OfFile(bobPath)).toBe(file.sha256);

      const secs = (ms: number) => (ms / 1000).toFixed(1);
      console.info(
        `200 MiB: sealing ${secs(prepared - made)} s, carol's fetch ${secs(carolDone - prepared)} s ` +
          `(${(200 / ((carolDone - prepared) / 1000)).toFixed(1)} MiB/s), bob killed sender at ` +
          `${half.percent}% and finished ${secs(bobDone - killed)} s later; total ${secs(Date.now() - started)} s`,
      );
    },
  );
});
