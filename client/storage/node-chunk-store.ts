// Node only (the terminal client, Node tests): a ChunkStore in a directory of the CLI's
// data dir. Per file: `<id>.chunks` (sealed chunk i at i * 16400, a sparse file while
// partial), `<id>.bitmap` (held chunks) and `<id>.json` (meta: no key, no name). The
// bitmap is saved shortly after writes and on flush; a crash loses at most the last
// moments' bits, and those chunks are simply fetched again.
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ChunkBitmap } from '../core/files/chunk-bitmap';
import { chunksOf, sealedOffset, sealedRunBytes } from '../core/files/file-layout';
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
  size: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative(),
  state: z.enum(['sent', 'fetching', 'complete']),
});

function storageError(error: unknown, what: string): ChunkStoreError {
  if (error instanceof ChunkStoreError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') {
    return new ChunkStoreError('quota', 'The disk is full: there is no room for this file.', {
      cause: error,
    });
  }
  return new ChunkStoreError('io', `Could not ${what} (${code ?? 'error'}).`, { cause: error });
}

class NodeChunkFile implements ChunkFile {
  private readonly saver = new DelayedSave(() => this.writeState(), BITMAP_SAVE_DELAY_MS);
  /** Once closed (or deleted) nothing is written for this file again. */
  private closed = false;

  constructor(
    private readonly paths: { data: string; bitmap: string; meta: string },
    private current: ChunkFileMeta,
    readonly bitmap: ChunkBitmap,
    private readonly handle: FileHandle,
  ) {}

  get meta(): ChunkFileMeta {
    return { ...this.current };
  }

  async writeChunks(first: number, count: number, sealed: Uint8Array): Promise<void> {
    if (first < 0 || first + count > this.bitmap.count) {
      throw new ChunkStoreError('bad-input', 'These chunks lie beyond the end of the file.');
    }
    if (sealed.length !== sealedRunBytes(this.current.size, first, count)) {
      throw new ChunkStoreError('bad-input', 'These chunks have the wrong length.');
    }
    try {
      await this.handle.write(sealed, 0, sealed.length, sealedOffset(first));
    } catch (error) {
      throw storageError(error, 'write the file');
    }
    this.bitmap.setRun(first, count);
    this.saver.schedule();
  }

  async readChunks(first: number, count: number): Promise<Uint8Array> {
    for (let i = first; i < first + count; i++) {
      if (!this.bitmap.has(i)) throw new ChunkStoreError('missing', `Chunk ${i} is not here.`);
    }
    const out = new Uint8Array(sealedRunBytes(this.current.size, first, count));
    try {
      const { bytesRead } = await this.handle.read(out, 0, out.length, sealedOffset(first));
      if (bytesRead !== out.length)
        throw new ChunkStoreError('io', 'The file is shorter than its bitmap says.');
    } catch (error) {
      throw storageError(error, 'read the file');
    }
    return out;
  }

  async forget(first: number, count: number): Promise<void> {
    for (let i = first; i < first + count; i++) this.bitmap.clear(i);
    await this.flush();
  }

  async update(
    change: Partial<Pick<ChunkFileMeta, 'state' | 'expiresAt' | 'messageId'>>,
  ): Promise<void> {
    this.current = { ...this.current, ...change };
    await this.flush();
  }

  /** The state as it is now, each part replaced whole (write, then rename); nothing once closed. */
  private async writeState(): Promise<void> {
    if (this.closed) return;
    try {
      await writeFile(this.paths.bitmap + '.tmp', this.bitmap.toBytes());
      await rename(this.paths.bitmap + '.tmp', this.paths.bitmap);
      await writeFile(this.paths.meta + '.tmp', JSON.stringify(this.current));
      await rename(this.paths.meta + '.tmp', this.paths.meta);
    } catch (error) {
      throw storageError(error, 'save the file state');
    }
  }

  flush(): Promise<void> {
    return this.saver.now();
  }

  async close(save: boolean): Promise<void> {
    if (save && !this.closed) await this.flush().catch(() => undefined);
    this.closed = true;
    this.saver.drop();
    await this.saver.idle();
    await this.handle.close().catch(() => undefined);
  }
}

export class NodeChunkStore implements ChunkStore {
  private readonly open_ = new Map<string, Promise<NodeChunkFile>>();
  /** Files being deleted: not to be opened again meanwhile. */
  private readonly deleting = new Set<string>();

  /** `dir` is created if needed (mode 0700: it holds sealed data and bitmaps). */
  constructor(private readonly dir: string) {}

  private paths(fileId: string) {
    checkFileId(fileId);
    const base = join(this.dir, fileId);
    return { data: base + '.chunks', bitmap: base + '.bitmap', meta: base + '.json' };
  }

  async open(meta: ChunkFileMeta): Promise<ChunkFile> {
    const parsed = Meta.safeParse(meta);
    if (!parsed.success) throw new ChunkStoreError('bad-input', 'Bad file meta.');
    const existing = await this.get(meta.fileId);
    if (existing) return existing;
    const opening = this.create(parsed.data);
    this.open_.set(meta.fileId, opening);
    opening.catch(() => this.open_.delete(meta.fileId));
    return opening;
  }

  private async create(meta: ChunkFileMeta): Promise<NodeChunkFile> {
    const paths = this.paths(meta.fileId);
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const handle = await open(paths.data, 'w+', 0o600);
      await writeFile(paths.meta, JSON.stringify(meta), { mode: 0o600 });
      return new NodeChunkFile(paths, meta, new ChunkBitmap(chunksOf(meta.size)), handle);
    } catch (error) {
      throw storageError(error, 'create the file');
    }
  }

  private async load(fileId: string): Promise<NodeChunkFile | undefined> {
    const paths = this.paths(fileId);
    let meta: ChunkFileMeta;
    try {
      meta = Meta.parse(JSON.parse(await readFile(paths.meta, 'utf8')));
    } catch {
      return undefined;
    }
    const bits = await readFile(paths.bitmap).catch(() => undefined);
    try {
      const handle = await open(paths.data, 'r+');
      const bitmap = new ChunkBitmap(chunksOf(meta.size), bits);
      return new NodeChunkFile(paths, meta, bitmap, handle);
    } catch {
      return undefined;
    }
  }

  async get(fileId: string): Promise<ChunkFile | undefined> {
    checkFileId(fileId);
    if (this.deleting.has(fileId)) return undefined;
    let file = this.open_.get(fileId);
    if (!file) {
      const loaded = await this.load(fileId);
      if (!loaded) return undefined;
      if (this.deleting.has(fileId)) {
        await loaded.close(false);
        return undefined;
      }
      // Another caller may have opened it while we read.
      file = this.open_.get(fileId) ?? Promise.resolve(loaded);
      if (!this.open_.has(fileId)) this.open_.set(fileId, file);
      else await loaded.close(false);
    }
    return file;
  }

  async list(): Promise<ChunkFileMeta[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const metas: ChunkFileMeta[] = [];
    for (const name of names) {
      const id = name.endsWith('.json') ? name.slice(0, -5) : '';
      if (!FILE_ID_PATTERN.test(id)) continue;
      const file = await this.get(id);
      if (file) metas.push(file.meta);
    }
    return metas;
  }

  async delete(fileId: string): Promise<void> {
    const paths = this.paths(fileId);
    this.deleting.add(fileId);
    try {
      const open = this.open_.get(fileId);
      this.open_.delete(fileId);
      if (open) await (await open.catch(() => undefined))?.close(false);
      for (const path of [
        paths.meta,
        paths.bitmap,
        paths.data,
        paths.bitmap + '.tmp',
        paths.meta + '.tmp',
      ]) {
        await rm(path, { force: true });
      }
    } finally {
      this.deleting.delete(fileId);
    }
  }

  async close(): Promise<void> {
    const files = [...this.open_.values()];
    this.open_.clear();
    for (const file of files) await (await file.catch(() => undefined))?.close(true);
  }
}
