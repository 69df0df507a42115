// The page's side of the OPFS chunk backend: calls into opfs-chunk.worker.ts over Comlink.
// Written bytes are copied to the worker (the caller keeps its buffer); read bytes are
// transferred back (no copy). The plaintext copy for saving is read back as a File, which
// Chromium keeps on disk: a 2 GiB download never passes through the JS heap.
import { wrap, type Remote } from 'comlink';
import type { ChunkBackend, StoredState } from './chunk-backend';
import { ChunkStoreError } from './chunk-store';
import type { OpfsChunkApi } from './opfs-chunk.worker';

/** How long a copy that looks short is looked at again (50 ms, doubling). */
const PLAIN_COPY_PATIENCE_MS = 3000;

export class OpfsChunkBackend implements ChunkBackend {
  readonly kind = 'opfs' as const;
  private readonly api: Remote<OpfsChunkApi>;
  private readonly worker: Worker;

  constructor() {
    this.worker = new Worker(new URL('./opfs-chunk.worker.ts', import.meta.url), {
      type: 'module',
    });
    this.api = wrap<OpfsChunkApi>(this.worker);
  }

  /** True where OPFS and module workers exist (Chromium, Firefox, Safari 17+). */
  static available(): boolean {
    return (
      typeof Worker !== 'undefined' &&
      typeof navigator !== 'undefined' &&
      typeof navigator.storage?.getDirectory === 'function'
    );
  }

  writeData(fileId: string, offset: number, bytes: Uint8Array): Promise<void> {
    return this.api.writeData(fileId, offset, bytes);
  }

  readData(fileId: string, offset: number, length: number): Promise<Uint8Array> {
    return this.api.readData(fileId, offset, length);
  }

  saveState(fileId: string, state: StoredState): Promise<void> {
    return this.api.saveState(fileId, state);
  }

  loadState(fileId: string): Promise<StoredState | undefined> {
    return this.api.loadState(fileId);
  }

  ids(): Promise<string[]> {
    return this.api.ids();
  }

  remove(fileId: string): Promise<void> {
    return this.api.remove(fileId);
  }

  async plainCopy(fileId: string, pieces: AsyncIterable<Uint8Array>, type: string): Promise<Blob> {
    await this.api.plainBegin(fileId);
    let at = 0;
    for await (const piece of pieces) {
      await this.api.plainWrite(fileId, at, piece);
      at += piece.length;
    }
    await this.api.plainEnd(fileId);
    const root = await navigator.storage.getDirectory();
    const dir = await (await root.getDirectoryHandle('chunks')).getDirectoryHandle(fileId);
    const handle = await dir.getFileHandle('plain');
    // NOTE: a private window keeps OPFS in memory, and there a 1 GiB copy was once handed
    // out short although every byte had been written. Never give the user a short file:
    // look again for a while (the worker's writes may still be landing), then fail.
    for (let wait = 50; ; wait *= 2) {
      const file = await handle.getFile();
      // slice() keeps it on disk and gives it the offered type (image previews need one).
      if (file.size === at) return file.slice(0, file.size, type);
      if (wait > PLAIN_COPY_PATIENCE_MS) {
        throw new ChunkStoreError(
          'io',
          `The copy for saving came out incomplete (${file.size} of ${at} bytes), so nothing ` +
            'was saved. Try again; in a private window, large files may not fit.',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  removePlain(fileId: string): Promise<void> {
    return this.api.plainRemove(fileId);
  }

  close(): Promise<void> {
    return this.api.close();
  }
}
