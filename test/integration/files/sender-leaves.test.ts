// The sender leaves mid-transfer: the receiver keeps what it has, waits for a peer that
// has the file ("waiting"), and finishes from a third member who fetched it earlier and
// came back after a restart (its chunks and bitmap were on disk). The bytes match.
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';
import { FilePeer } from './file-peer-process';
import { makeFile } from './test-files';

const MiB = 1024 * 1024;

describe('a file whose sender leaves mid-way', () => {
  let server: TestServer;
  let dir: string;
  const peers: FilePeer[] = [];
  function person(name: string): FilePeer {
    const peer = new FilePeer(server.url, name, TEST_PASSWORD, join(dir, name));
    peers.push(peer);
    return peer;
  }

  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'files-three-'));
    const client = api(server.url);
    for (const name of ['alice', 'bob', 'carol']) await client.register(name);
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for a peer that has the file, then resumes from it and verifies', async () => {
    const alice = person('alice');
    const bob = person('bob');
    await Promise.all([alice.waitFor('started'), bob.waitFor('started')]);
    alice.command({ cmd: 'create' });
    const { link } = await alice.waitFor('ready');
    bob.command({ cmd: 'join', link });
    await bob.waitFor('peer-joined');

    const file = await makeFile(dir, 'big.bin', 24 * MiB + 12345, 42);
    alice.command({ cmd: 'send-file', path: file.path });
    const sent = await alice.waitFor('file-sent', () => true, 60_000);
    await bob.waitFor('file-offered', (e) => e.id === sent.id);
    bob.command({ cmd: 'fetch', id: sent.id });
    await bob.waitFor('file-complete', (e) => e.id === sent.id, 60_000);
    // Bob goes offline with the file on his disk.
    await bob.stop();
    await alice.waitFor('peer-left');

    // Alice's link is slow now; Carol starts fetching from her.
    alice.command({ cmd: 'fault', mode: 'slow' });
    await alice.waitFor('fault-set');
    const carol = person('carol');
    await carol.waitFor('started');
    carol.command({ cmd: 'join', link });
    await carol.waitFor('file-offered', (e) => e.id === sent.id);
    carol.command({ cmd: 'fetch', id: sent.id });
    await carol.waitFor(
      'file-progress',
      (e) => e.id === sent.id && (e.received as number) > 2 * MiB,
      60_000,
    );
    await alice.kill();
    const waiting = await carol.waitFor('file-progress', (e) => e.state === 'waiting', 30_000);
    expect(waiting.received as number).toBeLessThan(file.size);

    // Bob comes back (same disk): history sync tells him of the offer again, he serves it.
    const bob2 = person('bob');
    await bob2.waitFor('started');
    bob2.command({ cmd: 'join', link });
    const complete = await carol.waitFor('file-complete', (e) => e.id === sent.id, 90_000);
    expect(complete).toMatchObject({ state: 'complete', received: file.size });
    const target = join(dir, 'carol-got-it.bin');
    carol.command({ cmd: 'save-to', id: sent.id, path: target });
    expect(await carol.waitFor('saved-to', () => true, 60_000)).toMatchObject({ bytes: file.size });
    const hash = createHash('sha256');
    for await (const piece of createReadStream(target)) hash.update(piece as Buffer);
    expect(hash.digest('hex')).toBe(file.sha256);
  }, 120_000);
});
