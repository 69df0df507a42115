// Random-access file chunks for transfers (DESIGN.md section 8): a per-file C2SP chunk
// cipher behind a handle, sealing and opening runs of consecutive 16 KiB chunks by index
// (so any peer can serve any chunk and a receiver can take them in any order), and a
// SHA-256 of the plaintext that advances whenever the next chunk in file order passes by.
import { transfer } from 'comlink';
import { z } from 'zod';
import {
  CHUNK_SIZE,
  CHUNK_TAG_LENGTH,
  HEADER_LENGTH,
  MAX_CHUNKS,
  createChunkCipher,
  openChunkCipher,
  type ChunkCipher,
} from '../primitives/chunked-aead';
import { toHex } from '../primitives/bytes';
import { createSha256Stream, type Sha256Stream } from '../primitives/sha256-stream';
import { failure, success, type Result } from '../result';
import type { HandleStore } from './handles';
import type { StorageEntry } from './storage';

export interface FileChunksEntry {
  kind: 'file-chunks';
  cipher: ChunkCipher;
  size: number;
  chunks: number;
  hash: Sha256Stream;
  /** Chunks [0, hashed) went into `hash`, in order. */
  hashed: number;
  /** Hex digest, once taken (a hash-wasm hasher digests only once). */
  digest?: string;
  /** Calls on one handle take their turn to feed the hash, in call order. */
  tail: Promise<unknown>;
}

const Size = z
  .number()
  .int()
  .nonnegative()
  .max((MAX_CHUNKS - 1) * CHUNK_SIZE);
const Index = z.number().int().nonnegative().max(MAX_CHUNKS);

function chunkBytes(entry: FileChunksEntry, index: number): number {
  return index < entry.chunks - 1 ? CHUNK_SIZE : entry.size - (entry.chunks - 1) * CHUNK_SIZE;
}

function runBytes(entry: FileChunksEntry, first: number, count: number, tag: number): number {
  let total = 0;
  for (let i = first; i < first + count; i++) total += chunkBytes(entry, i) + tag;
  return total;
}

function checkRun(entry: FileChunksEntry, first: unknown, count: unknown): [number, number] {
  const f = Index.parse(first);
  const c = z.number().int().positive().max(4096).parse(count);
  if (f + c > entry.chunks) throw new RangeError('These chunks lie beyond the end of the file.');
  return [f, c];
}

function bytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array.`);
  return value;
}

function serial<T>(entry: FileChunksEntry, run: () => Promise<T>): Promise<T> {
  const next = entry.tail.then(run);
  entry.tail = next.catch(() => undefined);
  return next;
}

export interface OpenedChunks {
  /** The sealed bytes handed in, handed back (they were moved to the worker). */
  sealed: Uint8Array;
  /** Indexes whose chunk failed authentication: reject them and fetch them again. */
  bad: number[];
  /** The plaintext of the whole run, when asked for and every chunk opened. */
  plaintext?: Uint8Array;
  /** How many chunks, from the start of the file, the running SHA-256 has taken in. */
  hashed: number;
}

export function createFileChunksApi(handles: HandleStore<FileChunksEntry | StorageEntry>) {
  return {
    /**
     * A cipher for the file of `size` bytes under the per-file key. Without `header` a
     * fresh salt is drawn (the sender); with it, the header is checked against the key and
     * context first (a receiver): a wrong key, context or header fails with 'bad-tag'.
     */
    async createFileChunkCipher(
      fileKey: string,
      context: Uint8Array,
      size: number,
      header?: Uint8Array,
    ): Promise<Result<{ handle: string; header: Uint8Array }>> {
      const key = handles.get(fileKey, 'file-key').key;
      const fileSize = Size.parse(size);
      let cipher: ChunkCipher;
      if (header === undefined) {
        cipher = createChunkCipher(key, bytes(context, 'A context'));
      } else {
        if (bytes(header, 'A header').length !== HEADER_LENGTH) {
          return failure('bad-length', 'A file header is 56 bytes.');
        }
        const opened = openChunkCipher(key, bytes(context, 'A context'), header);
        if (!opened.ok) return opened;
        cipher = opened.value;
      }
      const handle = handles.add({
        kind: 'file-chunks',
        cipher,
        size: fileSize,
        chunks: Math.floor(fileSize / CHUNK_SIZE) + 1,
        hash: await createSha256Stream(),
        hashed: 0,
        tail: Promise.resolve(),
      });
      return success({ handle, header: cipher.header.slice() });
    },

    /**
     * Seals `count` chunks from `first`; `plaintext` is exactly their bytes (16 KiB each,
     * the file's final chunk shorter). Returns the sealed chunks back to back.
     */
    async sealFileChunks(
      handle: string,
      first: number,
      count: number,
      plaintext: Uint8Array,
    ): Promise<Uint8Array> {
      const entry = handles.get(handle, 'file-chunks');
      const [f, c] = checkRun(entry, first, count);
      const data = bytes(plaintext, 'File data');
      if (data.length !== runBytes(entry, f, c, 0)) {
        throw new RangeError('The plaintext does not match these chunks.');
      }
      return serial(entry, async () => {
        const sealed = new Uint8Array(runBytes(entry, f, c, CHUNK_TAG_LENGTH));
        const pieces: Uint8Array[] = [];
        for (let i = 0, at = 0; i < c; i++) {
          const length = chunkBytes(entry, f + i);
          pieces.push(data.subarray(at, at + length));
          at += length;
        }
        const parts = await Promise.all(
          pieces.map((piece, i) =>
            entry.cipher.sealChunk(f + i, piece, f + i === entry.chunks - 1),
          ),
        );
        let at = 0;
        for (const [i, part] of parts.entries()) {
          sealed.set(part, at);
          at += part.length;
          if (f + i === entry.hashed) {
            entry.hash.update(pieces[i]!);
            entry.hashed++;
          }
        }
        return transfer(sealed, [sealed.buffer as ArrayBuffer]);
      });
    },

    /**
     * Opens `count` sealed chunks from `first` (back to back in `sealed`). A run of the
     * wrong total length is truncated or padded: every chunk in it counts as bad.
     */
    async openFileChunks(
      handle: string,
      first: number,
      count: number,
      sealed: Uint8Array,
      wantPlaintext = false,
    ): Promise<OpenedChunks> {
      const entry = handles.get(handle, 'file-chunks');
      const [f, c] = checkRun(entry, first, count);
      const input = bytes(sealed, 'Sealed chunks');
      const all = Array.from({ length: c }, (_, i) => f + i);
      if (input.length !== runBytes(entry, f, c, CHUNK_TAG_LENGTH)) {
        return serial(entry, async () =>
          transfer({ sealed: input, bad: all, hashed: entry.hashed }, [
            input.buffer as ArrayBuffer,
          ]),
        );
      }
      // The chunks are opened now, beside earlier calls still being opened (WebCrypto runs
      // them off this thread); only feeding the hash waits for those calls, in order.
      const opened: Promise<Result<Uint8Array>>[] = [];
      for (let i = 0, at = 0; i < c; i++) {
        const length = chunkBytes(entry, f + i) + CHUNK_TAG_LENGTH;
        const index = f + i;
        opened.push(
          entry.cipher.openChunk(
            index,
            input.subarray(at, at + length),
            index === entry.chunks - 1,
          ),
        );
        at += length;
      }
      for (const one of opened) one.catch(() => undefined); // awaited below, in turn
      return serial(entry, async () => {
        const results = await Promise.all(opened);
        const bad: number[] = [];
        for (const [i, result] of results.entries()) {
          if (!result.ok) {
            bad.push(f + i);
            continue;
          }
          if (f + i === entry.hashed && bad.length === 0) {
            entry.hash.update(result.value);
            entry.hashed++;
          }
        }
        let plaintext: Uint8Array | undefined;
        if (wantPlaintext && bad.length === 0) {
          plaintext = new Uint8Array(runBytes(entry, f, c, 0));
          let at = 0;
          for (const result of results) {
            if (!result.ok) continue;
            plaintext.set(result.value, at);
            at += result.value.length;
          }
        }
        const buffers = [input.buffer as ArrayBuffer];
        if (plaintext) buffers.push(plaintext.buffer as ArrayBuffer);
        return transfer(
          { sealed: input, bad, hashed: entry.hashed, ...(plaintext ? { plaintext } : {}) },
          buffers,
        );
      });
    },

    /** The plaintext SHA-256 (hex) once every chunk went through in order; else null. */
    fileChunksDigest(handle: string): Promise<{ hashed: number; sha256: string | null }> {
      const entry = handles.get(handle, 'file-chunks');
      return serial(entry, async () => {
        if (entry.hashed === entry.chunks) entry.digest ??= toHex(entry.hash.digest());
        return { hashed: entry.hashed, sha256: entry.digest ?? null };
      });
    },
  };
}
