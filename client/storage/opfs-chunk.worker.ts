// The OPFS side of the browser chunk store, in a dedicated worker: only workers get
// synchronous access handles, which write at any offset in place (createWritable() in a
// page copies the whole file on every commit: useless for a 2 GiB file written 256 KiB at
// a time). Layout: /chunks/<fileId>/{data, meta, bitmap, plain}. File ids are checked by
// the page-side store (22 base64url characters: never a path).
import { expose, transfer } from 'comlink';

interface SyncAccessHandle {
  read(buffer: Uint8Array, options?: { at?: number }): number;
  write(buffer: Uint8Array, options?: { at?: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}

type Part = 'data' | 'meta' | 'bitmap' | 'plain';

const handles = new Map<string, Promise<SyncAccessHandle>>();
let chunksDir: Promise<FileSystemDirectoryHandle> | undefined;

function top(): Promise<FileSystemDirectoryHandle> {
  chunksDir ??= navigator.storage
    .getDirectory()
    .then((root) => root.getDirectoryHandle('chunks', { create: true }));
  return chunksDir;
}

async function fileDir(fileId: string, create: boolean): Promise<FileSystemDirectoryHandle> {
  return (await top()).getDirectoryHandle(fileId, { create });
}

function handle(fileId: string, part: Part, create = true): Promise<SyncAccessHandle> {
  const key = `${fileId}/${part}`;
  let open = handles.get(key);
  if (!open) {
    open = (async () => {
      const file = await (await fileDir(fileId, create)).getFileHandle(part, { create });
      // 'readwrite-unsafe': a second tab of the app may open the same file (no exclusive lock).
      const withMode = file as unknown as {
        createSyncAccessHandle(options?: { mode?: string }): Promise<SyncAccessHandle>;
      };
      return withMode.createSyncAccessHandle({ mode: 'readwrite-unsafe' });
    })();
    handles.set(key, open);
    open.catch(() => handles.delete(key));
  }
  return open;
}

async function release(key: string): Promise<void> {
  const open = handles.get(key);
  handles.delete(key);
  (await open?.catch(() => undefined))?.close();
}

function writeAll(target: SyncAccessHandle, bytes: Uint8Array, at: number): void {
  let done = 0;
  while (done < bytes.length) {
    const n = target.write(bytes.subarray(done), { at: at + done });
    if (n <= 0) throw new Error('The write made no progress.');
    done += n;
  }
}

async function replace(fileId: string, part: Part, bytes: Uint8Array): Promise<void> {
  const target = await handle(fileId, part);
  target.truncate(0);
  writeAll(target, bytes, 0);
  target.flush();
}

async function readWhole(fileId: string, part: Part): Promise<Uint8Array | undefined> {
  try {
    const source = await handle(fileId, part, false);
    const out = new Uint8Array(source.getSize());
    source.read(out, { at: 0 });
    return out;
  } catch {
    return undefined;
  }
}

const api = {
  async writeData(fileId: string, offset: number, bytes: Uint8Array): Promise<void> {
    writeAll(await handle(fileId, 'data'), bytes, offset);
  },

  async readData(fileId: string, offset: number, length: number): Promise<Uint8Array> {
    const source = await handle(fileId, 'data', false);
    const out = new Uint8Array(length);
    const n = source.read(out, { at: offset });
    const result = n === length ? out : out.slice(0, n);
    return transfer(result, [result.buffer]);
  },

  async saveState(fileId: string, state: { meta: string; bitmap?: Uint8Array }): Promise<void> {
    if (state.bitmap) await replace(fileId, 'bitmap', state.bitmap);
    await replace(fileId, 'meta', new TextEncoder().encode(state.meta));
  },

  async loadState(fileId: string): Promise<{ meta: string; bitmap?: Uint8Array } | undefined> {
    const meta = await readWhole(fileId, 'meta');
    if (!meta || meta.length === 0) return undefined;
    const bitmap = await readWhole(fileId, 'bitmap');
    return { meta: new TextDecoder().decode(meta), ...(bitmap ? { bitmap } : {}) };
  },

  async ids(): Promise<string[]> {
    const ids: string[] = [];
    const dir = (await top()) as unknown as AsyncIterable<[string, FileSystemHandle]>;
    for await (const [name, entry] of dir) if (entry.kind === 'directory') ids.push(name);
    return ids;
  },

  async remove(fileId: string): Promise<void> {
    for (const part of ['data', 'meta', 'bitmap', 'plain'] as const) {
      await release(`${fileId}/${part}`);
    }
    try {
      await (await top()).removeEntry(fileId, { recursive: true });
    } catch (error) {
      if ((error as { name?: string }).name !== 'NotFoundError') throw error;
    }
  },

  /** Starts (or restarts) the plaintext copy: an empty 'plain' file. */
  async plainBegin(fileId: string): Promise<void> {
    (await handle(fileId, 'plain')).truncate(0);
  },

  async plainWrite(fileId: string, offset: number, bytes: Uint8Array): Promise<void> {
    writeAll(await handle(fileId, 'plain'), bytes, offset);
  },

  /** Closes the copy, so the page can open it as a File (a locked file cannot be read). */
  async plainEnd(fileId: string): Promise<void> {
    (await handle(fileId, 'plain')).flush();
    await release(`${fileId}/plain`);
  },

  async plainRemove(fileId: string): Promise<void> {
    await release(`${fileId}/plain`);
    try {
      await (await top()).getDirectoryHandle(fileId).then((dir) => dir.removeEntry('plain'));
    } catch (error) {
      if ((error as { name?: string }).name !== 'NotFoundError') throw error;
    }
  },

  async close(): Promise<void> {
    for (const key of [...handles.keys()]) await release(key);
  },
};

expose(api);

export type OpfsChunkApi = typeof api;
