// A ChunkStore in memory, for unit tests; `capacity` (bytes) simulates a full disk.
import { ChunkBitmap } from '../core/files/chunk-bitmap';
import { chunksOf, sealedChunkBytes, sealedRunBytes } from '../core/files/file-layout';
import {
  checkFileId,
  ChunkStoreError,
  type ChunkFile,
  type ChunkFileMeta,
  type ChunkStore,
} from './chunk-store';

interface Entry {
  meta: ChunkFileMeta;
  bitmap: ChunkBitmap;
  chunks: Map<number, Uint8Array>;
  file: ChunkFile;
}

export class MemoryChunkStore implements ChunkStore {
  private readonly files = new Map<string, Entry>();
  private used = 0;

  constructor(private readonly capacity = Infinity) {}

  async open(meta: ChunkFileMeta): Promise<ChunkFile> {
    checkFileId(meta.fileId);
    const existing = this.files.get(meta.fileId);
    if (existing) return existing.file;
    const entry = {
      meta: { ...meta },
      bitmap: new ChunkBitmap(chunksOf(meta.size)),
      chunks: new Map(),
    } as Entry;
    entry.file = this.fileOf(entry);
    this.files.set(meta.fileId, entry);
    return entry.file;
  }

  private fileOf(entry: Entry): ChunkFile {
    // The file's methods account for space in this store.
    const usage = {
      add: (bytes: number) => {
        if (this.used + bytes > this.capacity) {
          throw new ChunkStoreError('quota', 'There is no room left for this file.');
        }
        this.used += bytes;
      },
      remove: (bytes: number) => (this.used -= bytes),
      deleted: () => !this.files.has(entry.meta.fileId),
    };
    return {
      get meta() {
        return { ...entry.meta };
      },
      bitmap: entry.bitmap,
      async writeChunks(first, count, sealed) {
        if (usage.deleted()) throw new ChunkStoreError('missing', 'Deleted.');
        if (
          first + count > entry.bitmap.count ||
          sealed.length !== sealedRunBytes(entry.meta.size, first, count)
        ) {
          throw new ChunkStoreError('bad-input', 'These chunks do not fit this file.');
        }
        let at = 0;
        for (let i = first; i < first + count; i++) {
          const length = sealedChunkBytes(entry.meta.size, i);
          if (!entry.chunks.has(i)) usage.add(length);
          entry.chunks.set(i, sealed.slice(at, at + length));
          entry.bitmap.set(i);
          at += length;
        }
      },
      async readChunks(first, count) {
        const out = new Uint8Array(sealedRunBytes(entry.meta.size, first, count));
        let at = 0;
        for (let i = first; i < first + count; i++) {
          const chunk = entry.bitmap.has(i) ? entry.chunks.get(i) : undefined;
          if (!chunk) throw new ChunkStoreError('missing', `Chunk ${i} is not here.`);
          out.set(chunk, at);
          at += chunk.length;
        }
        return out;
      },
      async forget(first, count) {
        for (let i = first; i < first + count; i++) {
          const chunk = entry.chunks.get(i);
          if (chunk) usage.remove(chunk.length);
          entry.chunks.delete(i);
          entry.bitmap.clear(i);
        }
      },
      async update(change) {
        entry.meta = { ...entry.meta, ...change };
      },
      async flush() {},
    };
  }

  async get(fileId: string): Promise<ChunkFile | undefined> {
    return this.files.get(fileId)?.file;
  }

  async list(): Promise<ChunkFileMeta[]> {
    return [...this.files.values()].map((e) => ({ ...e.meta }));
  }

  async delete(fileId: string): Promise<void> {
    const entry = this.files.get(fileId);
    if (!entry) return;
    for (const chunk of entry.chunks.values()) this.used -= chunk.length;
    this.files.delete(fileId);
  }

  async close(): Promise<void> {}

  /** Bytes held (tests check partial data is removed). */
  get bytesUsed(): number {
    return this.used;
  }
}
