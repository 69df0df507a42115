// The crypto api on a real worker_thread through Comlink's node adapter: what the CLI and
// the Node peers use. Two "devices" share one worker here; each could have its own.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { transfer } from 'comlink';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startNodeCryptoWorker, type NodeCryptoWorker } from '../../client/crypto/node-worker';
import type { Result } from '../../client/crypto/result';

const ROOM_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function fingerprint(seed: number): string {
  return (
    'sha-256 ' +
    Array.from({ length: 32 }, (_, i) =>
      ((seed * 31 + i) % 256).toString(16).padStart(2, '0'),
    ).join(':')
  );
}

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
  return result.value;
}

let worker: NodeCryptoWorker;

beforeAll(() => {
  worker = startNodeCryptoWorker();
});

afterAll(async () => {
  await worker?.terminate();
});

async function openPairInWorker() {
  const { api } = worker;
  const [alice, bob] = await Promise.all([api.createIdentity(), api.createIdentity()]);
  const { room } = await api.createRoom();
  const fpA = fingerprint(1);
  const fpB = fingerprint(2);
  const a = await api.openChannel({
    identity: alice.handle,
    room,
    roomId: ROOM_ID,
    fingerprints: { local: fpA, remote: fpB },
  });
  const b = await api.openChannel({
    identity: bob.handle,
    room,
    roomId: ROOM_ID,
    fingerprints: { local: fpB, remote: fpA },
  });
  const aAuth = ok(await api.channelReceive(a.channel, b.hello));
  const bAuth = ok(await api.channelReceive(b.channel, a.hello));
  const aDone = ok(await api.channelReceive(a.channel, bAuth.reply[0]!));
  const bDone = ok(await api.channelReceive(b.channel, aAuth.reply[0]!));
  return { alice, bob, room, a: a.channel, b: b.channel, aDone, bDone, fpA, fpB };
}

describe('crypto worker over Comlink on worker_threads', () => {
  test('two devices complete a handshake and exchange messages', async () => {
    const { api } = worker;
    const pair = await openPairInWorker();
    expect(pair.aDone.established?.publicKey).toEqual(pair.bob.publicKey);
    expect(pair.bDone.established?.publicKey).toEqual(pair.alice.publicKey);
    for (const text of ['hello Bob', 'how are you?']) {
      const frames = ok(await api.channelSend(pair.a, new TextEncoder().encode(text)));
      const outcome = ok(await api.channelReceive(pair.b, frames[0]!));
      expect(new TextDecoder().decode(outcome.message!)).toBe(text);
    }
    // Both people are shown the same SAS and safety number.
    const sasAlice = ok(
      await api.computeSas({
        roomId: ROOM_ID,
        a: { identity: pair.alice, dtlsFingerprint: pair.fpA },
        b: { identity: pair.bob, dtlsFingerprint: pair.fpB },
      }),
    );
    const sasBob = ok(
      await api.computeSas({
        roomId: ROOM_ID,
        a: { identity: pair.bob, dtlsFingerprint: pair.fpB },
        b: { identity: pair.alice, dtlsFingerprint: pair.fpA },
      }),
    );
    expect(sasBob).toEqual(sasAlice);
    expect(await api.safetyNumber(pair.alice, pair.bob)).toBe(
      await api.safetyNumber(pair.bob, pair.alice),
    );
  });

  test('large buffers are transferred to the worker, not copied', async () => {
    const { api } = worker;
    const pair = await openPairInWorker();
    const big = new Uint8Array(256 * 1024).fill(42);
    const frames = ok(await api.channelSend(pair.a, transfer(big, [big.buffer])));
    // Transferred: the page's buffer is now detached (empty), the worker owns the bytes.
    expect(big.byteLength).toBe(0);
    // A large message travels as a header frame then its body; every frame is transferred.
    let message: Uint8Array | null = null;
    for (const frame of frames) {
      const outcome = ok(await api.channelReceive(pair.b, transfer(frame, [frame.buffer])));
      expect(frame.byteLength).toBe(0);
      message = outcome.message ?? message;
    }
    expect(message).toHaveLength(256 * 1024);
    expect(message![1000]).toBe(42);
  });

  test('errors cross the boundary as named errors; failures as typed results', async () => {
    const { api } = worker;
    await expect(api.channelSend('channel-doesnotexist', new Uint8Array(1))).rejects.toMatchObject({
      name: 'UnknownHandleError',
    });
    const pair = await openPairInWorker();
    const frames = ok(await api.channelSend(pair.a, new Uint8Array([1, 2, 3])));
    const tampered = frames[0]!.slice();
    tampered[tampered.length - 1]! ^= 1;
    expect(await api.channelReceive(pair.b, tampered)).toMatchObject({
      ok: false,
      reason: 'bad-tag',
    });
    expect(ok(await api.channelReceive(pair.b, frames[0]!)).message).toEqual(
      new Uint8Array([1, 2, 3]),
    );
  });

  test('the identity is saved and reloaded inside the worker; no key comes out', async () => {
    const { api } = worker;
    const identity = await api.createIdentity();
    await api.saveIdentity(identity.handle);
    const loaded = ok((await api.loadSavedIdentity())!);
    expect(loaded.publicKey).toEqual(identity.publicKey);
    expect(loaded.handle).not.toBe(identity.handle);
    const signature = await api.signEnvelope(loaded.handle, { text: 'hi' });
    expect(ok(await api.verifyEnvelope(identity, { text: 'hi' }, signature))).toBeUndefined();
    // Only public data crosses: no CryptoKey in anything the worker returned.
    for (const value of [identity, loaded]) {
      expect(Object.values(value).some((field) => field instanceof CryptoKey)).toBe(false);
    }
    expect(await api.loadSavedIdentity('nobody')).toBeNull();
  });

  test('the same worker starts under plain tsx (as the CLI runs it)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crypto-worker-'));
    try {
      const script = join(dir, 'start-worker.mts');
      const entry = join(repoRoot, 'client/crypto/node-worker.ts');
      await writeFile(
        script,
        `import { startNodeCryptoWorker } from ${JSON.stringify(entry)};
const worker = startNodeCryptoWorker();
const identity = await worker.api.createIdentity();
console.log('identity', identity.alg, identity.publicKey.length);
await worker.terminate();
`,
      );
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
        cwd: repoRoot,
        timeout: 60_000,
      });
      expect(stdout.trim()).toBe('identity ed25519 32');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
