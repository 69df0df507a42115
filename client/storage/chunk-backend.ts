// What a browser chunk store needs from where it keeps bytes: raw sealed data at chunk
// offsets, a small state (meta + bitmap) per file, and a plaintext copy for saving.
// Two kinds: OPFS (a worker with sync access handles: fast, disk-backed) and IndexedDB
// (a record per chunk: works where OPFS does not). browser-chunk-store.ts holds the logic.

export interface StoredState {
  /** The meta as JSON (validated by the store, not here). */
  meta: string;
  bitmap?: Uint8Array;
}

export interface ChunkBackend {
  readonly kind: 'opfs' | 'indexeddb';
  /** Writes sealed bytes at `offset` of the file's data (chunk-aligned). */
  writeData(fileId: string, offset: number, bytes: Uint8Array): Promise<void>;
  readData(fileId: string, offset: number, length: number): Promise<Uint8Array>;
  saveState(fileId: string, state: StoredState): Promise<void>;
  loadState(fileId: string): Promise<StoredState | undefined>;
  /** Every file id that has anything stored. */
  ids(): Promise<string[]>;
  /** Deletes the file's data, state and plaintext copy. */
  remove(fileId: string): Promise<void>;
  /**
   * Writes the verified plaintext (piece by piece) where the browser can hand it out as a
   * File without reading it into memory; returns that File/Blob.
   */
  plainCopy(fileId: string, pieces: AsyncIterable<Uint8Array>, type: string): Promise<Blob>;
  /** Deletes the file's plaintext copy, if any (the sealed chunks stay). */
  removePlain(fileId: string): Promise<void>;
  close(): Promise<void>;
}

/** A QuotaExceededError from IndexedDB, OPFS or a worker's structured clone of one. */
export function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  const message = String((error as { message?: unknown } | null)?.message ?? '');
  return name === 'QuotaExceededError' || /quota/i.test(message);
}
