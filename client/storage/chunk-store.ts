// Where a device keeps file chunks (DESIGN.md section 8): sealed, exactly as they travel
// (C2SP chunks under the per-file key, which only the signed offer in history holds), at
// fixed offsets so they can be written as they arrive and served in any order, with a
// bitmap of held chunks that survives a restart. Implementations: memory (tests),
// Node (a file per transfer in the CLI's data dir); the browser's (OPFS, with an
// IndexedDB fallback) passes the same contract tests (test/unit/core/files/chunk-store.contract.ts).
import type { ChunkBitmap } from '../core/files/chunk-bitmap';

export interface ChunkFileMeta {
  readonly fileId: string;
  readonly roomId: string;
  /** `${authorDevice}:${counter}` of the offer's message (the key is read from there). */
  readonly messageId: string;
  /** Plaintext size: fixes the chunk count and every chunk's length. */
  readonly size: number;
  /** ms since the epoch; the data is deleted after this. */
  readonly expiresAt: number;
  /** 'sent': our own file; 'fetching': partial; 'complete': all chunks, hash verified. */
  readonly state: 'sent' | 'fetching' | 'complete';
}

export type ChunkStoreErrorCode = 'quota' | 'missing' | 'io' | 'bad-input';

export class ChunkStoreError extends Error {
  override name = 'ChunkStoreError';
  constructor(
    readonly code: ChunkStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ChunkFile {
  readonly meta: ChunkFileMeta;
  /** Live: which chunks are held. Do not set bits directly; writeChunks does. */
  readonly bitmap: ChunkBitmap;
  /** Stores `count` sealed chunks from `first` (back to back in `sealed`) and marks them held. */
  writeChunks(first: number, count: number, sealed: Uint8Array): Promise<void>;
  /** The sealed bytes of `count` held chunks from `first` ('missing' if any is not held). */
  readChunks(first: number, count: number): Promise<Uint8Array>;
  /** Forgets held chunks (e.g. data that failed the whole-file hash). */
  forget(first: number, count: number): Promise<void>;
  update(change: Partial<Pick<ChunkFileMeta, 'state' | 'expiresAt' | 'messageId'>>): Promise<void>;
  /** Persists the bitmap now; the store keeps the file open for other users. */
  flush(): Promise<void>;
}

export interface ChunkStore {
  /** Opens the file's chunks, creating them when new (an existing file keeps its meta). */
  open(meta: ChunkFileMeta): Promise<ChunkFile>;
  /** An existing file, or undefined. */
  get(fileId: string): Promise<ChunkFile | undefined>;
  list(): Promise<ChunkFileMeta[]>;
  /** Deletes the file's chunks, bitmap and meta (no-op when absent). */
  delete(fileId: string): Promise<void>;
  /** Flushes and releases everything open (end of a session or process). */
  close(): Promise<void>;
}

export const FILE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function checkFileId(fileId: string): void {
  if (!FILE_ID_PATTERN.test(fileId)) throw new ChunkStoreError('bad-input', 'Not a file id.');
}
