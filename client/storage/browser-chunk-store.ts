// The browser's ChunkStore (DESIGN.md section 8): sealed chunks at fixed offsets in OPFS
// (or IndexedDB where OPFS is missing), a bitmap saved shortly after writes and on flush,
// and the meta (no key, no name). Same contract as the memory and Node stores
// (test/unit/core/files/chunk-store.contract.ts). A crash loses at most the last moments'
// bits; those chunks are simply fetched again.
import { z } from 'zod';
import { ChunkBitmap } from '../core/files/chunk-bitmap';
import { chunksOf, sealedOffset, sealedRunBytes } from '../core/files/file-layout';
import { isQuotaError, type ChunkBackend } from './chunk-backend';
import { DelayedSave } from './delayed-save';
import {
  checkFileId,
  ChunkStoreError,
  FILE_ID_PATTERN,
  type ChunkFile,
  type ChunkFileMeta,
  type ChunkStore,
} from './chunk-store';

const BITMAP_SAVE_DELAY_MS = 250;

const Meta = z.strictObject({
  fileId: z.string().regex(FILE_ID_PATTERN),
  roomId: z.string().min(1).max(256),
  messageId: z.string().min(1).max(200),
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  expiresAt: z.number().int().nonnegative(),
  state: z.enum(['sent', 'fetching', 'complete']),
});

function storageError(error: unknown, what: string): ChunkStoreError {
  if (error instanceof ChunkStoreError) return error;
  if (isQuotaError(error)) {
    return new ChunkStoreError(
      'quota',
      'The storage for this site is full: there is no room for this file.',
      { cause: error },
    );
  }
  const name = (error as { name?: string } | null)?.name ?? 'error';
  return new ChunkStoreError('io', `Could not ${what} (${name}).`, { cause: error });
}

class BrowserChunkFile implements ChunkFile {
  private readonly saver = new DelayedSave(() => this.writeState(), BITMAP_SAVE_DELAY_MS);
  deleted = false;

  constructor(
    private readonly backend: ChunkBackend,
    private current: ChunkFileMeta,
    readonly bitmap: ChunkBitmap,
  ) {}

  get meta(): ChunkFileMeta {
    return { ...this.current };
  }

  private alive(): void {
    if (this.deleted) throw new ChunkStoreError('missing', 'This file was deleted.');
  }

  async writeChunks(first: number, count: number, sealed: Uint8Array): Promise<void> {
    this.alive();
    if (first < 0 || count < 0 || first + count > this.bitmap.count) {
      throw new ChunkStoreError('bad-input', 'These chunks lie beyond the end of the file.');
    }
    if (sealed.length !== sealedRunBytes(this.current.size, first, count)) {
      throw new ChunkStoreError('bad-input', 'These chunks have the wrong length.');
    }
    try {
      await this.backend.writeData(this.current.fileId, sealedOffset(first), sealed);
    } catch (error) {
      throw storageError(error, 'write the file');
    }
    this.alive();
    this.bitmap.setRun(first, count);
    this.saver.schedule();
  }

  async readChunks(first: number, count: number): Promise<Uint8Array> {
    this.alive();
    for (let i = first; i < first + count; i++) {
      if (!this.bitmap.has(i)) throw new ChunkStoreError('missing', `Chunk ${i} is not here.`);
    }
    const length = sealedRunBytes(this.current.size, first, count);
    let out: Uint8Array;
    try {
      out = await this.backend.readData(this.current.fileId, sealedOffset(first), length);
    } catch (error) {
      throw storageError(error, 'read the file');
    }
    if (out.length !== length) {
      throw new ChunkStoreError('io', 'The stored file is shorter than its bitmap says.');
    }
    return out;
  }

  async forget(first: number, count: number): Promise<void> {
    for (let i = first; i < first + count && i < this.bitmap.count; i++) this.bitmap.clear(i);
    await this.flush();
  }

  async update(
    change: Partial<Pick<ChunkFileMeta, 'state' | 'expiresAt' | 'messageId'>>,
  ): Promise<void> {
    this.current = { ...this.current, ...change };
    await this.flush();
  }

  /** The state as it is now; nothing once deleted. */
  private async writeState(): Promise<void> {
    if (this.deleted) return;
    try {
      await this.backend.saveState(this.current.fileId, {
        meta: JSON.stringify(this.current),
        bitmap: this.bitmap.toBytes(),
      });
    } catch (error) {
      throw storageError(error, 'save the file state');
    }
  }

  flush(): Promise<void> {
    return this.saver.now();
  }

  /** Stops pending saves (delete) or writes the last state (close). */
  async settle(save: boolean): Promise<void> {
    if (save) await this.flush().catch(() => undefined);
    else this.saver.drop();
    await this.saver.idle();
  }
}

export class BrowserChunkStore implements ChunkStore {
  private readonly files = new Map<string, Promise<BrowserChunkFile | undefined>>();

  constructor(private readonly backend: ChunkBackend) {}

  get kind(): ChunkBackend['kind'] {
    return this.backend.kind;
  }

  async open(meta: ChunkFileMeta): Promise<ChunkFile> {
    const parsed = Meta.safeParse(meta);
    if (!parsed.success) throw new ChunkStoreError('bad-input', 'Bad file meta.');
    const existing = await this.get(meta.fileId);
    if (existing) return existing;
    const creating = (async () => {
      const file = new BrowserChunkFile(
        this.backend,
        parsed.data,
        new ChunkBitmap(chunksOf(parsed.data.size)),
      );
      try {
        await file.flush();
      } catch (error) {
        await this.backend.remove(meta.fileId).catch(() => undefined);
        throw error;
      }
      return file;
    })();
    this.files.set(meta.fileId, creating);
    creating.catch(() => this.files.delete(meta.fileId));
    return (await creating)!;
  }

  private async load(fileId: string): Promise<BrowserChunkFile | undefined> {
    const state = await this.backend.loadState(fileId).catch(() => undefined);
    if (!state) return undefined;
    let meta: ChunkFileMeta;
    try {
      meta = Meta.parse(JSON.parse(state.meta));
    } catch {
      return undefined;
    }
    if (meta.fileId !== fileId) return undefined;
    return new BrowserChunkFile(
      this.backend,
      meta,
      new ChunkBitmap(chunksOf(meta.size), state.bitmap),
    );
  }

  async get(fileId: string): Promise<ChunkFile | undefined> {
    checkFileId(fileId);
    let file = this.files.get(fileId);
    if (!file) {
      file = this.load(fileId);
      this.files.set(fileId, file);
    }
    const found = await file;
    if (!found && this.files.get(fileId) === file) this.files.delete(fileId);
    return found;
  }

  async list(): Promise<ChunkFileMeta[]> {
    const metas: ChunkFileMeta[] = [];
    for (const id of await this.backend.ids()) {
      if (!FILE_ID_PATTERN.test(id)) continue;
      const file = await this.get(id);
      if (file) metas.push(file.meta);
      // Data with no readable state (a crash while creating it) is of no use to anyone.
      else await this.backend.remove(id).catch(() => undefined);
    }
    return metas;
  }

  async delete(fileId: string): Promise<void> {
    checkFileId(fileId);
    const open = this.files.get(fileId);
    this.files.delete(fileId);
    const file = await open?.catch(() => undefined);
    if (file) {
      file.deleted = true;
      await file.settle(false);
    }
    try {
      await this.backend.remove(fileId);
    } catch (error) {
      throw storageError(error, 'delete the file');
    }
  }

  /** Deletes every file of every room (the app's "delete local data"). */
  async deleteAll(): Promise<void> {
    for (const id of await this.backend.ids()) {
      if (FILE_ID_PATTERN.test(id)) await this.delete(id);
      else await this.backend.remove(id).catch(() => undefined);
    }
  }

  /**
   * Deletes every plaintext copy made for saving (the sealed chunks stay, so Download works
   * again). Called when the app locks and when it starts: decrypted files must not outlive
   * the unlocked session that asked for them.
   */
  async removePlainCopies(): Promise<void> {
    for (const id of await this.backend.ids()) {
      if (FILE_ID_PATTERN.test(id)) await this.backend.removePlain(id).catch(() => undefined);
    }
  }

  /**
   * The verified plaintext as a disk-backed Blob (OPFS: a File on disk, so saving a 2 GiB
   * file never holds it in memory). `pieces` is RoomSession.readFile(id).
   */
  async plainFile(fileId: string, pieces: AsyncIterable<Uint8Array>, type: string): Promise<Blob> {
    checkFileId(fileId);
    try {
      return await this.backend.plainCopy(fileId, pieces, type);
    } catch (error) {
      throw storageError(error, 'write the file for saving');
    }
  }

  async close(): Promise<void> {
    const files = [...this.files.values()];
    this.files.clear();
    for (const file of files) await (await file.catch(() => undefined))?.settle(true);
    await this.backend.close();
  }
}
