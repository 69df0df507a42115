// Sending a file, step one (DESIGN.md section 8): one pass over the source that hashes
// the plaintext (SHA-256, for the offer) and seals it into C2SP chunks under a fresh
// per-file key, straight into the chunk store. Transfers then serve the stored sealed
// chunks as they are, so sending costs no crypto and survives a reload.
import { FILE_CHUNK_SIZE, type FileOffer } from '../../../signaling/protocol';
import type { ChunkFile, ChunkStore } from '../../storage/chunk-store';
import { toBase64Url, utf8Encode } from '../bytes';
import type { CryptoPort } from '../crypto-port';
import { chunksOf, plainRunBytes } from './file-layout';
import { FileActionError, type FileSource } from './file-views';

/** Chunks sealed per worker call while preparing (1 MiB of plaintext). */
const PREPARE_BATCH_CHUNKS = 64;

/** Bound into every chunk's key derivation: a chunk cannot move to another room or file. */
export function fileContext(roomId: string, fileId: string): Uint8Array {
  return utf8Encode(`p2p-secure-chat file v1\u0000${roomId}\u0000${fileId}`);
}

export function newFileId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

/** A File's ReadableStream or any async iterable, as an async iterable. */
export async function* readSource(source: FileSource): AsyncGenerator<Uint8Array> {
  const stream = source.stream();
  if (Symbol.asyncIterator in stream) {
    yield* stream as AsyncIterable<Uint8Array>;
    return;
  }
  const reader = (stream as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

export interface Prepared {
  offer: FileOffer;
  file: ChunkFile;
}

export async function prepareFile(options: {
  crypto: CryptoPort;
  store: ChunkStore;
  roomId: string;
  source: FileSource;
  expiresAt: number;
  onProgress(bytes: number): void;
  /** Called with the id as soon as it exists (so the caller can show progress for it). */
  onId?(id: string): void;
}): Promise<Prepared> {
  const { crypto, store, roomId, source } = options;
  const size = source.size;
  const id = newFileId();
  options.onId?.(id);
  const keyHandle = await crypto.createFileKey();
  let cipher: string | undefined;
  let file: ChunkFile | undefined;
  try {
    const created = await crypto.createFileChunkCipher(keyHandle, fileContext(roomId, id), size);
    if (!created.ok) throw new FileActionError('read-error', created.message);
    cipher = created.value.handle;
    file = await store.open({
      fileId: id,
      roomId,
      messageId: 'pending',
      size,
      expiresAt: options.expiresAt,
      state: 'fetching',
    });
    const total = chunksOf(size);
    const batch = new Uint8Array(PREPARE_BATCH_CHUNKS * FILE_CHUNK_SIZE);
    let filled = 0;
    let next = 0;
    let read = 0;
    const sealBatch = async (count: number) => {
      const plain = batch.subarray(0, plainRunBytes(size, next, count));
      const sealed = await crypto.sealFileChunks(cipher!, next, count, plain);
      await file!.writeChunks(next, count, sealed);
      next += count;
      options.onProgress(Math.min(read, size));
    };
    for await (const piece of readSource(source)) {
      read += piece.length;
      if (read > size) throw new FileActionError('read-error', 'The file grew while it was read.');
      let at = 0;
      while (at < piece.length) {
        const take = Math.min(batch.length - filled, piece.length - at);
        batch.set(piece.subarray(at, at + take), filled);
        filled += take;
        at += take;
        // A full batch is never the end (the final chunk is always short): seal it now.
        if (filled === batch.length) {
          await sealBatch(PREPARE_BATCH_CHUNKS);
          filled = 0;
        }
      }
    }
    if (read !== size)
      throw new FileActionError('read-error', 'The file changed while it was read.');
    await sealBatch(total - next);
    const digest = await crypto.fileChunksDigest(cipher);
    if (!digest.sha256) throw new FileActionError('read-error', 'The file could not be hashed.');
    await file.flush();
    const key = await crypto.exportFileKey(keyHandle);
    return {
      file,
      offer: {
        id,
        name: (source.name || 'file').slice(0, 255),
        size,
        type: (source.type ?? '').slice(0, 255),
        sha256: digest.sha256,
        chunkSize: FILE_CHUNK_SIZE,
        key: toBase64Url(key),
        header: toBase64Url(created.value.header),
        expiresAt: options.expiresAt,
      },
    };
  } catch (error) {
    await store.delete(id).catch(() => undefined);
    throw error;
  } finally {
    if (cipher) await crypto.release(cipher);
    await crypto.release(keyHandle);
  }
}
