// The crypto api's random-access file chunks: any run sealed or opened in any order, the
// running SHA-256, and every kind of damaged chunk refused by index.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCryptoApi } from '../../../../client/crypto/api';
import { decryptFileBytes } from '../../../../client/crypto/file-stream';
import { sealedRunBytes } from '../../../../client/core/files/file-layout';

const api = createCryptoApi();
const context = new TextEncoder().encode('room\u0000file');

function content(size: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i * 7 + (i >> 14)) & 0xff);
}

async function sealAll(size: number) {
  const fileKey = await api.createFileKey();
  const created = await api.createFileChunkCipher(fileKey, context, size);
  if (!created.ok) throw new Error(created.message);
  const plain = content(size);
  const chunks = Math.floor(size / 16384) + 1;
  // Sealed out of order on purpose: second half first.
  const half = Math.floor(chunks / 2);
  const later = await api.sealFileChunks(
    created.value.handle,
    half,
    chunks - half,
    plain.subarray(half * 16384),
  );
  const earlier =
    half > 0
      ? await api.sealFileChunks(created.value.handle, 0, half, plain.subarray(0, half * 16384))
      : new Uint8Array(0);
  const sealed = new Uint8Array([...earlier, ...later]);
  const digest = await api.fileChunksDigest(created.value.handle);
  return {
    fileKey,
    header: created.value.header,
    handle: created.value.handle,
    plain,
    sealed,
    chunks,
    digest,
  };
}

describe('file chunk cipher (crypto api)', () => {
  it('seals runs in any order into the standard C2SP format', async () => {
    const size = 5 * 16384 + 100;
    const { fileKey, header, sealed, plain } = await sealAll(size);
    expect(sealed.length).toBe(sealedRunBytes(size, 0, 6));
    const key = api.exportFileKey(fileKey);
    const opened = await decryptFileBytes(key, context, new Uint8Array([...header, ...sealed]));
    expect(opened.ok && Buffer.from(opened.value).equals(plain)).toBe(true);
  });

  it('hashes the plaintext once every chunk went by in order', async () => {
    const size = 4 * 16384; // the final chunk is empty
    const { handle, fileKey, header, sealed, plain, digest } = await sealAll(size);
    // Sealing ran second half first: the hash could not advance past chunk 0 then.
    expect(digest.sha256).toBeNull();
    const receiver = await api.createFileChunkCipher(fileKey, context, size, header);
    if (!receiver.ok) throw new Error(receiver.message);
    // Out of order: chunks 2-4, then 0-1. The hash waits for chunk 0, then catches up only
    // as far as it can (2-4 went by before): a caller re-feeds them from storage.
    const tail = await api.openFileChunks(receiver.value.handle, 2, 3, sealed.slice(2 * 16400));
    expect(tail.bad).toEqual([]);
    expect(tail.hashed).toBe(0);
    const head = await api.openFileChunks(receiver.value.handle, 0, 2, sealed.slice(0, 2 * 16400));
    expect(head.hashed).toBe(2);
    const again = await api.openFileChunks(receiver.value.handle, 2, 3, sealed.slice(2 * 16400));
    expect(again.hashed).toBe(5);
    const expected = createHash('sha256').update(plain).digest('hex');
    expect((await api.fileChunksDigest(receiver.value.handle)).sha256).toBe(expected);
    // Asking twice gives the same answer.
    expect((await api.fileChunksDigest(receiver.value.handle)).sha256).toBe(expected);
    await api.release(handle);
  });

  it('opens runs handed in at once, without waiting between calls, hashing them in call order', async () => {
    const size = 9 * 16384 + 321;
    const { fileKey, header, sealed, plain } = await sealAll(size);
    const receiver = await api.createFileChunkCipher(fileKey, context, size, header);
    if (!receiver.ok) throw new Error(receiver.message);
    const handle = receiver.value.handle;
    // Three runs in flight together (as a fetch hands frames over), the middle one damaged.
    const damaged = sealed.slice(3 * 16400, 6 * 16400);
    damaged[20]! ^= 1;
    const results = await Promise.all([
      api.openFileChunks(handle, 0, 3, sealed.slice(0, 3 * 16400)),
      api.openFileChunks(handle, 3, 3, damaged),
      api.openFileChunks(handle, 6, 4, sealed.slice(6 * 16400)),
    ]);
    expect(results.map((r) => r.bad)).toEqual([[], [3], []]);
    // The hash stops at the damaged chunk and takes nothing after it out of order.
    expect(results.map((r) => r.hashed)).toEqual([3, 3, 3]);
    const refetched = await Promise.all([
      api.openFileChunks(handle, 3, 3, sealed.slice(3 * 16400, 6 * 16400)),
      api.openFileChunks(handle, 6, 4, sealed.slice(6 * 16400)),
    ]);
    expect(refetched.map((r) => r.hashed)).toEqual([6, 10]);
    expect((await api.fileChunksDigest(handle)).sha256).toBe(
      createHash('sha256').update(plain).digest('hex'),
    );
  });

  it('names each damaged, misplaced or cut-short chunk and opens the rest', async () => {
    const size = 3 * 16384 + 5;
    const { fileKey, header, sealed } = await sealAll(size);
    const receiver = await api.createFileChunkCipher(fileKey, context, size, header);
    if (!receiver.ok) throw new Error(receiver.message);
    const handle = receiver.value.handle;
    const flipped = sealed.slice();
    flipped[16400 + 10]! ^= 1;
    expect((await api.openFileChunks(handle, 0, 4, flipped)).bad).toEqual([1]);
    // Chunk 0's bytes presented as chunk 1: its nonce does not match.
    expect((await api.openFileChunks(handle, 1, 1, sealed.slice(0, 16400))).bad).toEqual([1]);
    // The final chunk presented as a middle one, and a middle one as the final one.
    expect((await api.openFileChunks(handle, 3, 1, sealed.slice(16400, 2 * 16400))).bad).toEqual([
      3,
    ]);
    // A run cut short: every chunk in it is refused.
    expect((await api.openFileChunks(handle, 0, 2, sealed.slice(0, 2 * 16400 - 1))).bad).toEqual([
      0, 1,
    ]);
    const whole = await api.openFileChunks(handle, 0, 4, sealed, true);
    expect(whole.bad).toEqual([]);
    expect(whole.plaintext?.length).toBe(size);
  });

  it('refuses a header that does not belong to the key or the context', async () => {
    const { fileKey, header } = await sealAll(100);
    const other = await api.createFileKey();
    const wrongKey = await api.createFileChunkCipher(other, context, 100, header);
    expect(wrongKey.ok || wrongKey.reason).toBe('bad-tag');
    const wrongContext = await api.createFileChunkCipher(fileKey, new Uint8Array([1]), 100, header);
    expect(wrongContext.ok || wrongContext.reason).toBe('bad-tag');
    await expect(api.sealFileChunks('nope', 0, 1, new Uint8Array(1))).rejects.toThrow(/handle/);
  });
});
