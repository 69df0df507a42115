// The browser chunk store on OPFS (sync access handles in its worker), in Chromium: the
// same ChunkStore contract as the memory, Node and IndexedDB stores, driven from here
// through a thin proxy (every call runs in the page), plus a restart on a new worker
// finding chunks and bitmap again.
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChunkBitmap } from '../../client/core/files/chunk-bitmap';
import { chunksOf } from '../../client/core/files/file-layout';
import {
  ChunkStoreError,
  type ChunkFile,
  type ChunkFileMeta,
  type ChunkStore,
  type ChunkStoreErrorCode,
} from '../../client/storage/chunk-store';
import { launchChromium } from '../helpers/chromium';
import { serveFixture, type FixturePage } from '../helpers/fixture-page';
import { chunkStoreContract, metaFor, sealedRun } from '../unit/core/files/chunk-store.contract';

const fixtureRoot = fileURLToPath(new URL('./fixtures/files-store/', import.meta.url));
let fixture: FixturePage | undefined;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  fixture = await serveFixture(fixtureRoot);
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(fixture.url);
  await page.getByText('ready').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
  expect(pageErrors).toEqual([]);
});

async function call<T>(op: string, ...args: unknown[]): Promise<T> {
  const reply = await page.evaluate(([op, args]) => window.chunkStoreCall(op, args), [
    op,
    args,
  ] as const);
  if ('error' in reply) {
    const { code, message } = reply.error;
    if (code) throw new ChunkStoreError(code as ChunkStoreErrorCode, message);
    throw new Error(message);
  }
  return reply.value as T;
}

interface Shape {
  meta: ChunkFileMeta;
  bitmap: string;
}

/** A ChunkFile whose every call runs in the page; meta and bitmap follow each answer. */
class RemoteFile implements ChunkFile {
  private shape!: Shape;
  private bits!: ChunkBitmap;

  constructor(shape: Shape) {
    this.take(shape);
  }

  private take(shape: Shape): void {
    this.shape = shape;
    this.bits = new ChunkBitmap(chunksOf(shape.meta.size), Buffer.from(shape.bitmap, 'base64'));
  }

  get meta() {
    return this.shape.meta;
  }

  get bitmap() {
    return this.bits;
  }

  async writeChunks(first: number, count: number, sealed: Uint8Array) {
    const base64 = Buffer.from(sealed).toString('base64');
    this.take(await call<Shape>('write', this.meta.fileId, first, count, base64));
  }

  async readChunks(first: number, count: number) {
    const base64 = await call<string>('read', this.meta.fileId, first, count);
    return new Uint8Array(Buffer.from(base64, 'base64'));
  }

  async forget(first: number, count: number) {
    this.take(await call<Shape>('forget', this.meta.fileId, first, count));
  }

  async update(change: Partial<Pick<ChunkFileMeta, 'state' | 'expiresAt' | 'messageId'>>) {
    this.take(await call<Shape>('update', this.meta.fileId, change));
  }

  flush() {
    return call<void>('flush', this.meta.fileId);
  }
}

const remoteStore: ChunkStore = {
  open: async (meta) => new RemoteFile(await call<Shape>('open', meta)),
  get: async (id) => {
    const shape = await call<Shape | null>('get', id);
    return shape ? new RemoteFile(shape) : undefined;
  },
  list: () => call<ChunkFileMeta[]>('list'),
  delete: (id) => call<void>('delete', id),
  close: () => call<void>('close'),
};

chunkStoreContract('browser (OPFS in Chromium)', async () => {
  await call('restart');
  return remoteStore;
});

describe('BrowserChunkStore on OPFS', () => {
  it('a new worker (a reload) finds the chunks and the bitmap again; delete leaves nothing', async () => {
    await call('restart');
    const file = await remoteStore.open(metaFor('opfsRestartAAAAAAAAAAA'));
    await file.writeChunks(5, 10, sealedRun(5, 10, 9));
    await call('restart');
    const again = await remoteStore.get('opfsRestartAAAAAAAAAAA');
    expect([...again!.bitmap.runs(true)]).toEqual([{ from: 5, to: 15 }]);
    expect(Buffer.from(await again!.readChunks(5, 10)).equals(sealedRun(5, 10, 9))).toBe(true);
    await remoteStore.delete('opfsRestartAAAAAAAAAAA');
    expect((await remoteStore.list()).map((m) => m.fileId)).not.toContain('opfsRestartAAAAAAAAAAA');
    const left = await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const chunks = await root.getDirectoryHandle('chunks');
      const names: string[] = [];
      for await (const name of (chunks as unknown as { keys(): AsyncIterable<string> }).keys()) {
        names.push(name);
      }
      return names;
    });
    expect(left).not.toContain('opfsRestartAAAAAAAAAAA');
  });

  it('the plaintext copy made for Download is gone after removePlainCopies (lock); the sealed chunks stay', async () => {
    await call('restart');
    const id = 'opfsPlainAAAAAAAAAAAAA';
    const file = await remoteStore.open(metaFor(id));
    await file.writeChunks(0, 2, sealedRun(0, 2, 3));
    expect(await call<number>('plainCopy', id, 'the decrypted file')).toBe(18);
    const partsOf = () =>
      page.evaluate(async (fileId) => {
        const root = await navigator.storage.getDirectory();
        const dir = await (await root.getDirectoryHandle('chunks')).getDirectoryHandle(fileId);
        const names: string[] = [];
        for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) {
          names.push(name);
        }
        return names.sort();
      }, id);
    expect(await partsOf()).toContain('plain');
    await call('removePlainCopies');
    expect(await partsOf()).not.toContain('plain');
    const again = await remoteStore.get(id);
    expect(Buffer.from(await again!.readChunks(0, 2)).equals(sealedRun(0, 2, 3))).toBe(true);
    await remoteStore.delete(id);
  });
});
