// Streaming file encryption (DESIGN.md section 8) in the c2sp.org/chunked-encryption
// format (see primitives/chunked-aead.ts), and streaming SHA-256 of a file. Memory stays
// bounded by one 16 KiB chunk plus whatever the caller pushes at once, so a 2 GiB file
// never has to be whole in memory.
import {
  CHUNK_SIZE,
  HEADER_LENGTH,
  SEALED_CHUNK_SIZE,
  createChunkCipher,
  openChunkCipher,
  type ChunkCipher,
} from './primitives/chunked-aead';
import { concatBytes } from './primitives/bytes';
import { createSha256Stream } from './primitives/sha256-stream';
import { failure, success, type Failure, type Result } from './result';

export {
  CHUNK_SIZE,
  HEADER_LENGTH,
  chunkCount,
  createChunkCipher,
  openChunkCipher,
  sealedLength,
  type ChunkCipher,
} from './primitives/chunked-aead';

export interface FileEncryptor {
  /** The 56-byte header (salt || commitment); it must precede the first chunk. */
  readonly header: Uint8Array;
  /** Buffers `data`; returns the chunks that became complete (each 16 KiB + tag). */
  push(data: Uint8Array): Promise<Uint8Array[]>;
  /** Seals what is left as the short final chunk (possibly empty). Call exactly once. */
  finish(): Promise<Uint8Array>;
}

/** `context` is bound into the key derivation, e.g. the file id from the signed offer. */
export function createFileEncryptor(
  fileKey: Uint8Array,
  context: Uint8Array,
  salt?: Uint8Array,
): FileEncryptor {
  const cipher = createChunkCipher(fileKey, context, salt);
  const buffer = new Uint8Array(CHUNK_SIZE);
  let filled = 0;
  let index = 0;
  let finished = false;
  return {
    header: cipher.header,
    async push(data) {
      if (finished) throw new Error('This file encryptor has already finished.');
      const sealed: Uint8Array[] = [];
      let offset = 0;
      while (offset < data.length) {
        const take = Math.min(CHUNK_SIZE - filled, data.length - offset);
        buffer.set(data.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        // A full buffer is never the final chunk (that one is always shorter): seal now.
        if (filled === CHUNK_SIZE) {
          sealed.push(await cipher.sealChunk(index++, buffer, false));
          filled = 0;
        }
      }
      return sealed;
    },
    async finish() {
      if (finished) throw new Error('This file encryptor has already finished.');
      finished = true;
      const last = await cipher.sealChunk(index, buffer.subarray(0, filled), true);
      buffer.fill(0);
      return last;
    },
  };
}

export interface FileDecryptor {
  /** Returns the plaintext of every chunk that became complete and authentic. */
  push(data: Uint8Array): Promise<Result<Uint8Array[]>>;
  /** Authenticates the short final chunk; fails ('truncated') if the stream was cut. */
  finish(): Promise<Result<Uint8Array>>;
}

/**
 * Fails at once ('bad-length') for a key of the wrong size. After any failure the
 * decryptor keeps failing, so a caller can never mistake a broken stream for a complete
 * one; plaintext is only ever released a whole authenticated chunk at a time.
 */
export function createFileDecryptor(
  fileKey: Uint8Array,
  context: Uint8Array,
): Result<FileDecryptor> {
  if (fileKey.length !== 32) return failure('bad-length', 'A file key must be 32 bytes.');
  const key = fileKey.slice();
  let cipher: ChunkCipher | undefined;
  let pending: Uint8Array = new Uint8Array(0);
  let index = 0;
  let broken: Failure | undefined;
  let finished = false;

  function fail(result: Failure): Failure {
    broken = result;
    pending = new Uint8Array(0);
    return result;
  }

  return success({
    async push(data) {
      if (broken) return broken;
      if (finished) return fail(failure('wrong-state', 'This file stream has already ended.'));
      pending = pending.length === 0 ? data.slice() : concatBytes(pending, data);
      if (!cipher) {
        if (pending.length < HEADER_LENGTH) return success([]);
        const opened = openChunkCipher(key, context, pending.subarray(0, HEADER_LENGTH));
        if (!opened.ok) return fail(opened);
        cipher = opened.value;
        pending = pending.subarray(HEADER_LENGTH);
      }
      const plaintexts: Uint8Array[] = [];
      let offset = 0;
      // A chunk of exactly 16 KiB + tag is never final, so it can be opened right away.
      while (pending.length - offset >= SEALED_CHUNK_SIZE) {
        const sealed = pending.subarray(offset, offset + SEALED_CHUNK_SIZE);
        const opened = await cipher.openChunk(index, sealed, false);
        if (!opened.ok) return fail(opened);
        plaintexts.push(opened.value);
        index++;
        offset += SEALED_CHUNK_SIZE;
      }
      pending = pending.slice(offset);
      return success(plaintexts);
    },
    async finish() {
      if (broken) return broken;
      if (finished) return fail(failure('wrong-state', 'This file stream has already ended.'));
      finished = true;
      if (!cipher) return fail(failure('truncated', 'The encrypted file ends inside its header.'));
      const opened = await cipher.openChunk(index, pending, true);
      if (!opened.ok) {
        return fail(
          opened.reason === 'bad-length' || opened.reason === 'truncated'
            ? failure('truncated', 'The encrypted file was cut short or has trailing data.')
            : opened,
        );
      }
      pending = new Uint8Array(0);
      return opened;
    },
  });
}

/** Whole-buffer convenience for small files and tests. */
export async function encryptFileBytes(
  fileKey: Uint8Array,
  context: Uint8Array,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  const encryptor = createFileEncryptor(fileKey, context);
  const chunks = await encryptor.push(plaintext);
  return concatBytes(encryptor.header, ...chunks, await encryptor.finish());
}

/** Whole-buffer convenience: all of the plaintext, or a failure and none of it. */
export async function decryptFileBytes(
  fileKey: Uint8Array,
  context: Uint8Array,
  sealed: Uint8Array,
): Promise<Result<Uint8Array>> {
  const created = createFileDecryptor(fileKey, context);
  if (!created.ok) return created;
  const body = await created.value.push(sealed);
  if (!body.ok) return body;
  const last = await created.value.finish();
  if (!last.ok) return last;
  return success(concatBytes(...body.value, last.value));
}

/** SHA-256 of a file read as a stream of chunks (a ReadableStream is an AsyncIterable). */
export async function sha256OfStream(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const hasher = await createSha256Stream();
  for await (const chunk of source) hasher.update(chunk);
  return hasher.digest();
}
