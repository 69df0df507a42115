// Files between two people through the real server and real WebRTC (@roamhq/wrtc): sizes
// at the edges, a medium file with chat flowing beside it, every kind of broken chunk
// (rejected and fetched again), a lying offer (discarded), and expiry after the TTL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';
import { FilePeer } from './file-peer-process';
import { makeFile } from './test-files';

const MiB = 1024 * 1024;

describe('files between two room sessions', () => {
  let server: TestServer;
  let dir: string;
  let alice: FilePeer;
  let bob: FilePeer;

  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'files-two-'));
    const client = api(server.url);
    for (const name of ['alice', 'bob']) await client.register(name);
    alice = new FilePeer(server.url, 'alice', TEST_PASSWORD, join(dir, 'alice'));
    bob = new FilePeer(server.url, 'bob', TEST_PASSWORD, join(dir, 'bob'));
    await Promise.all([alice.waitFor('started'), bob.waitFor('started')]);
    alice.command({ cmd: 'create' });
    const { link } = await alice.waitFor('ready');
    bob.command({ cmd: 'join', link });
    await Promise.all([alice.waitFor('peer-joined'), bob.waitFor('peer-joined')]);
  });
  afterAll(async () => {
    await Promise.all([alice?.stop(), bob?.stop()]);
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Alice offers a new file, Bob fetches and saves it; returns both ends' views. */
  async function transfer(name: string, size: number, seed: number) {
    const file = await makeFile(dir, name, size, seed);
    alice.command({ cmd: 'send-file', path: file.path });
    const sent = await alice.waitFor('file-sent', (e) => e.name === name, 60_000);
    const offered = await bob.waitFor('file-offered', (e) => e.id === sent.id);
    expect(offered).toMatchObject({ name, size, sha256: file.sha256, from: 'alice', own: false });
    const started = Date.now();
    bob.command({ cmd: 'fetch', id: sent.id });
    const complete = await bob.waitFor('file-complete', (e) => e.id === sent.id, 120_000);
    const seconds = (Date.now() - started) / 1000;
    bob.command({ cmd: 'save', id: sent.id });
    const saved = await bob.waitFor('saved', (e) => e.id === sent.id, 60_000);
    expect(saved).toMatchObject({ sha256: file.sha256, bytes: size });
    return { sent, complete, seconds };
  }

  it('sends files of every edge size and a medium one, verified byte for byte', async () => {
    for (const [i, size] of [0, 1000, 3 * 16384, 15 * 16384 + 1].entries()) {
      const { complete } = await transfer(`edge-${i}.bin`, size, i + 1);
      expect(complete).toMatchObject({ state: 'complete', received: size, rejectedChunks: 0 });
    }
    const { seconds } = await transfer('medium.bin', 48 * MiB, 99);
    console.log(`files: 48 MiB in ${seconds.toFixed(1)} s = ${(48 / seconds).toFixed(1)} MiB/s`);
    const progress = bob.events.filter(
      (e) => e.event === 'file-progress' && e.state === 'fetching',
    );
    expect(progress.length).toBeGreaterThan(0);
  });

  it('keeps chat flowing while a large file is on the way', async () => {
    const file = await makeFile(dir, 'beside-chat.bin', 64 * MiB, 7);
    alice.command({ cmd: 'send-file', path: file.path });
    const sent = await alice.waitFor('file-sent', (e) => e.name === 'beside-chat.bin', 60_000);
    await bob.waitFor('file-offered', (e) => e.id === sent.id);
    bob.command({ cmd: 'fetch', id: sent.id });
    await bob.waitFor('file-progress', (e) => e.id === sent.id && (e.received as number) > 4 * MiB);
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const text = `during transfer ${i}`;
      const before = Date.now();
      alice.command({ cmd: 'send', text });
      await bob.waitFor('message', (e) => e.text === text);
      latencies.push(Date.now() - before);
    }
    const complete = await bob.waitFor('file-complete', (e) => e.id === sent.id, 120_000);
    expect(complete.state).toBe('complete');
    console.log(`files: chat latency during a 64 MiB transfer: ${latencies.join(', ')} ms`);
    // Chat did not queue behind the chunks: every message arrived before the file was done
    // (typically in 10-30 ms; a loaded test machine can take longer).
    const completeAt = bob.events.indexOf(complete);
    for (let i = 0; i < 5; i++) {
      const at = bob.events.findIndex(
        (e) => e.event === 'message' && e.text === `during transfer ${i}`,
      );
      expect(at).toBeLessThan(completeAt);
    }
    expect(Math.max(...latencies)).toBeLessThan(2000);
  });

  it('rejects tampered, cut-short, misplaced chunks and fetches them again; duplicates and reordering do no harm', async () => {
    for (const [i, mode] of (['tamper', 'truncate', 'reorder', 'duplicate'] as const).entries()) {
      alice.command({ cmd: 'fault', mode });
      await alice.waitFor('fault-set', (e) => e.mode === mode);
      const { complete } = await transfer(`faulty-${mode}.bin`, 3 * MiB + 777, 20 + i);
      if (mode === 'duplicate') expect(complete.rejectedChunks).toBe(0);
      else expect(complete.rejectedChunks as number).toBeGreaterThan(0);
    }
    alice.command({ cmd: 'fault', mode: 'none' });
    await alice.waitFor('fault-set', (e) => e.mode === 'none');
  });

  it('pauses, resumes and cancels a fetch', async () => {
    alice.command({ cmd: 'fault', mode: 'slow' });
    await alice.waitFor('fault-set', (e) => e.mode === 'slow');
    const file = await makeFile(dir, 'pausable.bin', 8 * MiB, 31);
    alice.command({ cmd: 'send-file', path: file.path });
    const sent = await alice.waitFor('file-sent', (e) => e.name === 'pausable.bin', 60_000);
    await bob.waitFor('file-offered', (e) => e.id === sent.id);
    bob.command({ cmd: 'fetch', id: sent.id });
    await bob.waitFor('file-progress', (e) => e.id === sent.id && (e.received as number) > MiB);
    bob.command({ cmd: 'pause', id: sent.id });
    const paused = await bob.waitFor('paused', (e) => e.id === sent.id);
    expect(paused.state).toBe('paused');
    await bob.waitFor('file-progress', (e) => e.id === sent.id && e.state === 'paused');
    alice.command({ cmd: 'fault', mode: 'none' });
    await alice.waitFor('fault-set', (e) => e.mode === 'none');
    bob.command({ cmd: 'resume', id: sent.id });
    await bob.waitFor('file-complete', (e) => e.id === sent.id, 60_000);
    bob.command({ cmd: 'save', id: sent.id });
    expect(await bob.waitFor('saved', (e) => e.id === sent.id)).toMatchObject({
      sha256: file.sha256,
    });

    // Cancel: the partial data goes, the offer stays and can be fetched again.
    alice.command({ cmd: 'fault', mode: 'slow' });
    await alice.waitFor('fault-set', (e) => e.mode === 'slow');
    const second = await makeFile(dir, 'cancelled.bin', 8 * MiB, 32);
    alice.command({ cmd: 'send-file', path: second.path });
    const offer = await alice.waitFor('file-sent', (e) => e.name === 'cancelled.bin', 60_000);
    await bob.waitFor('file-offered', (e) => e.id === offer.id);
    bob.command({ cmd: 'fetch', id: offer.id });
    await bob.waitFor('file-progress', (e) => e.id === offer.id && (e.received as number) > MiB);
    bob.command({ cmd: 'cancel', id: offer.id });
    expect(await bob.waitFor('cancelled', (e) => e.id === offer.id)).toMatchObject({
      state: 'offered',
      received: 0,
    });
    const stored = await bob.ask({ cmd: 'stored' }, 'stored', (e) =>
      (e.files as { fileId: string }[]).every((f) => f.fileId !== offer.id),
    );
    expect(stored.files).not.toContainEqual(expect.objectContaining({ fileId: offer.id }));
    alice.command({ cmd: 'fault', mode: 'none' });
    await alice.waitFor('fault-set', (e) => e.mode === 'none');
  });

  it('discards a file that does not match the SHA-256 of its offer, and says so', async () => {
    alice.command({ cmd: 'fault', mode: 'lie' });
    await alice.waitFor('fault-set', (e) => e.mode === 'lie');
    const file = await makeFile(dir, 'liar.bin', MiB, 5);
    alice.command({ cmd: 'send-file', path: file.path });
    const sent = await alice.waitFor('file-sent', (e) => e.name === 'liar.bin', 60_000);
    alice.command({ cmd: 'fault', mode: 'none' });
    await bob.waitFor('file-offered', (e) => e.id === sent.id);
    bob.command({ cmd: 'fetch', id: sent.id });
    const failed = await bob.waitFor('file-failed', (e) => e.id === sent.id, 60_000);
    expect(failed).toMatchObject({ reason: 'hash-mismatch', state: 'failed' });
    expect(String(failed.message)).toMatch(/did not match/);
    const stored = await bob.ask({ cmd: 'stored' }, 'stored');
    expect((stored.files as { fileId: string }[]).some((f) => f.fileId === sent.id)).toBe(false);
    expect(await bob.ask({ cmd: 'save', id: sent.id }, 'failed')).toMatchObject({
      code: 'not-ready',
    });
  });

  it('deletes files after the room TTL; the offers stay and say expired', async () => {
    const before = (await bob.ask({ cmd: 'stored' }, 'stored')).files as { fileId: string }[];
    expect(before.length).toBeGreaterThan(0);
    // The room's TTL (7 days by default) passes on Bob's clock.
    bob.command({ cmd: 'clock', offsetMs: 8 * 86400_000 });
    const offered = bob.events.filter((e) => e.event === 'file-offered').map((e) => e.id);
    expect(offered.length).toBeGreaterThan(before.length);
    for (const id of offered) await bob.waitFor('file-expired', (e) => e.id === id);
    const after = await bob.ask({ cmd: 'stored' }, 'stored');
    expect(after.files).toEqual([]);
    const { files } = await bob.ask({ cmd: 'files' }, 'files');
    expect((files as unknown[]).length).toBe(offered.length);
    expect((files as { state: string }[]).every((f) => f.state === 'expired')).toBe(true);
    expect(await bob.ask({ cmd: 'fetch', id: before[0]!.fileId }, 'failed')).toMatchObject({
      code: 'expired',
    });
  });
});
