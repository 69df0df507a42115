import { describe, expect, it } from 'vitest';
import {
  CHUNK_SIZE,
  HEADER_LENGTH,
  chunkCount,
  createChunkCipher,
  createFileDecryptor,
  createFileEncryptor,
  decryptFileBytes,
  encryptFileBytes,
  openChunkCipher,
  sealedLength,
  sha256OfStream,
} from '../../../client/crypto/file-stream';
import { concatBytes, randomBytes, toHex, utf8 } from '../../../client/crypto/primitives/bytes';
import { CryptoInputError } from '../../../client/crypto/primitives/errors';
import { sha256 } from '../../../client/crypto/primitives/kdf';

const fileKey = randomBytes(32);
const context = utf8('file:device-1:7');
const SEALED_CHUNK = CHUNK_SIZE + 16;

async function reasonOf(sealed: Uint8Array, key = fileKey, ctx = context): Promise<string> {
  const result = await decryptFileBytes(key, ctx, sealed);
  return result.ok ? 'opened' : result.reason;
}

/** Chunk k of a sealed file (k = -1 means the header). */
function chunkAt(sealed: Uint8Array, k: number): Uint8Array {
  if (k < 0) return sealed.subarray(0, HEADER_LENGTH);
  const start = HEADER_LENGTH + k * SEALED_CHUNK;
  return sealed.subarray(start, Math.min(sealed.length, start + SEALED_CHUNK));
}

describe('chunked file encryption', () => {
  it.each([0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 5])(
    'round-trips %i bytes with the exact C2SP length',
    async (size) => {
      const plaintext = randomBytes(size);
      const sealed = await encryptFileBytes(fileKey, context, plaintext);
      expect(sealed.length).toBe(sealedLength(size));
      const opened = await decryptFileBytes(fileKey, context, sealed);
      expect(opened.ok && toHex(opened.value)).toBe(toHex(plaintext));
    },
  );

  it('gives the same ciphertext however the plaintext is pushed, and decrypts however it arrives', async () => {
    const plaintext = randomBytes(5 * CHUNK_SIZE + 123);
    const salt = randomBytes(24);
    const whole = createFileEncryptor(fileKey, context, salt);
    const expected = concatBytes(
      whole.header,
      ...(await whole.push(plaintext)),
      await whole.finish(),
    );
    const pieces = createFileEncryptor(fileKey, context, salt);
    const parts = [pieces.header];
    for (let offset = 0; offset < plaintext.length; offset += 1000) {
      parts.push(...(await pieces.push(plaintext.subarray(offset, offset + 1000))));
    }
    parts.push(await pieces.finish());
    expect(toHex(concatBytes(...parts))).toBe(toHex(expected));

    const created = createFileDecryptor(fileKey, context);
    if (!created.ok) throw new Error('decryptor');
    const out: Uint8Array[] = [];
    for (let offset = 0; offset < expected.length; offset += 7777) {
      const pushed = await created.value.push(expected.subarray(offset, offset + 7777));
      if (!pushed.ok) throw new Error(pushed.message);
      out.push(...pushed.value);
    }
    const last = await created.value.finish();
    expect(last.ok).toBe(true);
    if (last.ok) out.push(last.value);
    expect(toHex(concatBytes(...out))).toBe(toHex(plaintext));
  });

  it('detects truncation at every chunk boundary and inside chunks', async () => {
    const sealed = await encryptFileBytes(fileKey, context, randomBytes(3 * CHUNK_SIZE + 10));
    const cuts = [0, 10, HEADER_LENGTH, HEADER_LENGTH + 1, HEADER_LENGTH + SEALED_CHUNK];
    cuts.push(
      HEADER_LENGTH + 2 * SEALED_CHUNK,
      HEADER_LENGTH + 3 * SEALED_CHUNK,
      sealed.length - 1,
    );
    for (const cut of cuts) {
      expect(['truncated', 'bad-tag']).toContain(await reasonOf(sealed.subarray(0, cut)));
    }
    // Dropping the short final chunk entirely is the classic truncation attack.
    const withoutLast = sealed.subarray(0, HEADER_LENGTH + 3 * SEALED_CHUNK);
    expect(await reasonOf(withoutLast)).toBe('truncated');
  });

  it('detects reordered, duplicated and extra chunks, and trailing data', async () => {
    const sealed = await encryptFileBytes(fileKey, context, randomBytes(3 * CHUNK_SIZE + 10));
    const [h, c0, c1, c2, c3] = [-1, 0, 1, 2, 3].map((k) => chunkAt(sealed, k)) as Uint8Array[];
    const variants = [
      concatBytes(h!, c1!, c0!, c2!, c3!),
      concatBytes(h!, c0!, c0!, c2!, c3!),
      concatBytes(h!, c0!, c1!, c2!, c3!, c3!),
      concatBytes(h!, c0!, c2!, c3!),
      concatBytes(sealed, new Uint8Array([0])),
    ];
    for (const variant of variants) expect(await reasonOf(variant)).not.toBe('opened');
  });

  it('rejects flipped bits in the header, a chunk body and a tag, and a wrong key or context', async () => {
    const sealed = await encryptFileBytes(fileKey, context, randomBytes(CHUNK_SIZE + 50));
    for (const index of [
      0,
      30,
      HEADER_LENGTH + 5,
      HEADER_LENGTH + SEALED_CHUNK - 1,
      sealed.length - 1,
    ]) {
      const tampered = sealed.slice();
      tampered[index]! ^= 0x10;
      expect(await reasonOf(tampered)).toBe('bad-tag');
    }
    expect(await reasonOf(sealed, randomBytes(32))).toBe('bad-tag');
    expect(await reasonOf(sealed, fileKey, utf8('file:device-1:8'))).toBe('bad-tag');
    expect(await reasonOf(sealed, fileKey.subarray(1))).toBe('bad-length');
  });

  it('never releases plaintext past a bad chunk, and keeps failing afterwards', async () => {
    const sealed = await encryptFileBytes(fileKey, context, randomBytes(3 * CHUNK_SIZE));
    const tampered = sealed.slice();
    tampered[HEADER_LENGTH + SEALED_CHUNK + 3]! ^= 1; // chunk 1
    const created = createFileDecryptor(fileKey, context);
    if (!created.ok) throw new Error('decryptor');
    const pushed = await created.value.push(tampered);
    expect(pushed.ok).toBe(false);
    const again = await created.value.push(new Uint8Array(10));
    const end = await created.value.finish();
    expect([again.ok, end.ok]).toEqual([false, false]);
  });

  it('opens chunks out of order by index (resumed transfers), but only at their own index', async () => {
    const plaintext = randomBytes(2 * CHUNK_SIZE + 9);
    const sender = createChunkCipher(fileKey, context);
    const chunks = [
      await sender.sealChunk(0, plaintext.subarray(0, CHUNK_SIZE), false),
      await sender.sealChunk(1, plaintext.subarray(CHUNK_SIZE, 2 * CHUNK_SIZE), false),
      await sender.sealChunk(2, plaintext.subarray(2 * CHUNK_SIZE), true),
    ];
    const receiver = openChunkCipher(fileKey, context, sender.header);
    if (!receiver.ok) throw new Error(receiver.message);
    expect(chunkCount(plaintext.length)).toBe(3);
    const parts = [
      await receiver.value.openChunk(2, chunks[2]!, true),
      await receiver.value.openChunk(0, chunks[0]!, false),
      await receiver.value.openChunk(1, chunks[1]!, false),
    ];
    expect(parts.every((part) => part.ok)).toBe(true);
    expect((await receiver.value.openChunk(1, chunks[0]!, false)).ok).toBe(false);
    expect((await receiver.value.openChunk(3, chunks[2]!, true)).ok).toBe(false);
    // A full-size chunk presented as the final one is a truncated file.
    const asFinal = await receiver.value.openChunk(1, chunks[1]!, true);
    expect(asFinal.ok ? 'opened' : asFinal.reason).toBe('truncated');
  });

  it('refuses to seal chunks of the wrong size or index, and keys of the wrong size', async () => {
    const cipher = createChunkCipher(fileKey, context);
    await expect(cipher.sealChunk(0, new Uint8Array(10), false)).rejects.toThrow(CryptoInputError);
    await expect(cipher.sealChunk(0, new Uint8Array(CHUNK_SIZE), true)).rejects.toThrow(
      CryptoInputError,
    );
    await expect(cipher.sealChunk(-1, new Uint8Array(1), true)).rejects.toThrow(CryptoInputError);
    await expect(cipher.sealChunk(2 ** 38, new Uint8Array(1), true)).rejects.toThrow(
      CryptoInputError,
    );
    expect(() => createFileEncryptor(randomBytes(16), context)).toThrow(CryptoInputError);
  });

  it('streams 64 MiB through encryption and decryption, 1 MiB at a time', async () => {
    const piece = randomBytes(1024 * 1024);
    const encryptor = createFileEncryptor(fileKey, context);
    const created = createFileDecryptor(fileKey, context);
    if (!created.ok) throw new Error('decryptor');
    const decryptor = created.value;
    let decrypted = 0;
    const receive = async (sealed: Uint8Array[]) => {
      for (const chunk of sealed) {
        const pushed = await decryptor.push(chunk);
        if (!pushed.ok) throw new Error(pushed.message);
        for (const plain of pushed.value) decrypted += plain.length;
      }
    };
    await receive([encryptor.header]);
    for (let i = 0; i < 64; i++) await receive(await encryptor.push(piece));
    await receive([await encryptor.finish()]);
    const last = await decryptor.finish();
    expect(last.ok && last.value.length).toBe(0);
    expect(decrypted).toBe(64 * 1024 * 1024);
  });
});

describe('streaming SHA-256 of a file', () => {
  it('hashes a stream of chunks to the one-shot digest', async () => {
    const data = randomBytes(100_000);
    async function* pieces() {
      for (let offset = 0; offset < data.length; offset += 30_000)
        yield data.subarray(offset, offset + 30_000);
    }
    expect(toHex(await sha256OfStream(pieces()))).toBe(toHex(await sha256(data)));
    const web = new Blob([data]).stream() as unknown as AsyncIterable<Uint8Array>;
    expect(toHex(await sha256OfStream(web))).toBe(toHex(await sha256(data)));
  });
});
