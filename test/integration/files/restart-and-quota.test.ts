// A receiver that restarts mid-transfer resumes from the chunks and bitmap on its disk
// (not from zero); a receiver whose storage fills up is told so and keeps no partial data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';
import { FilePeer } from './file-peer-process';
import { makeFile } from './test-files';

const MiB = 1024 * 1024;

describe('receivers that restart or run out of space', () => {
  let server: TestServer;
  let dir: string;
  let link: string;
  let alice: FilePeer;
  const peers: FilePeer[] = [];
  function person(name: string, quota?: number): FilePeer {
    const peer = new FilePeer(server.url, name, TEST_PASSWORD, join(dir, name), quota);
    peers.push(peer);
    return peer;
  }

  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'files-restart-'));
    const client = api(server.url);
    for (const name of ['alice', 'bob', 'dave']) await client.register(name);
    alice = person('alice');
    await alice.waitFor('started');
    alice.command({ cmd: 'create' });
    link = String((await alice.waitFor('ready')).link);
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes a fetch after the receiver restarts, from what it already had', async () => {
    const file = await makeFile(dir, 'resume.bin', 16 * MiB + 99, 8);
    alice.command({ cmd: 'fault', mode: 'slow' });
    await alice.waitFor('fault-set');
    alice.command({ cmd: 'send-file', path: file.path });
    const sent = await alice.waitFor('file-sent', () => true, 60_000);

    const bob = person('bob');
    await bob.waitFor('started');
    bob.command({ cmd: 'join', link });
    await bob.waitFor('file-offered', (e) => e.id === sent.id);
    bob.command({ cmd: 'fetch', id: sent.id });
    await bob.waitFor('file-progress', (e) => (e.received as number) > 4 * MiB, 60_000);
    // The bitmap is saved a moment after writes: let one more save happen, then crash.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await bob.kill();
    alice.command({ cmd: 'fault', mode: 'none' });
    await alice.waitFor('fault-set', (e) => e.mode === 'none');

    const bob2 = person('bob');
    await bob2.waitFor('started');
    bob2.command({ cmd: 'join', link });
    // No fetch command: the fetch the person started goes on by itself.
    const first = await bob2.waitFor('file-progress', (e) => e.id === sent.id, 60_000);
    expect(first.received as number).toBeGreaterThan(2 * MiB);
    await bob2.waitFor('file-complete', (e) => e.id === sent.id, 60_000);
    bob2.command({ cmd: 'save', id: sent.id });
    expect(await bob2.waitFor('saved', () => true, 60_000)).toMatchObject({
      sha256: file.sha256,
      bytes: file.size,
    });
  });

  it('says so when storage is full, and removes the partial file', async () => {
    const file = await makeFile(dir, 'too-big.bin', 3 * MiB, 9);
    alice.command({ cmd: 'send-file', path: file.path });
    const sent = await alice.waitFor('file-sent', (e) => e.name === 'too-big.bin', 60_000);
    const dave = person('dave', MiB);
    await dave.waitFor('started');
    dave.command({ cmd: 'join', link });
    await dave.waitFor('file-offered', (e) => e.id === sent.id);
    dave.command({ cmd: 'fetch', id: sent.id });
    const failed = await dave.waitFor('file-failed', (e) => e.id === sent.id, 60_000);
    expect(failed).toMatchObject({ reason: 'quota', state: 'failed', received: 0 });
    expect(String(failed.message)).toMatch(/no room left/);
    expect((await dave.ask({ cmd: 'stored' }, 'stored')).files).toEqual([]);
  });
});
