// The browser chunk store on its IndexedDB backend (the fallback where OPFS is missing),
// in fake-indexeddb: the shared ChunkStore contract, plus what a reload must find again.
// The OPFS backend runs the same contract in Chromium (test/e2e/files-store.test.ts).
import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterAll, describe, expect, it } from 'vitest';
import { BrowserChunkStore } from '../../../client/storage/browser-chunk-store';
import { IdbChunkBackend } from '../../../client/storage/idb-chunk-backend';
import { chunkStoreContract, metaFor, sealedRun } from '../core/files/chunk-store.contract';

const names: string[] = [];
function dbName(): string {
  const name = `chunks-${process.pid}-${names.length}`;
  names.push(name);
  return name;
}
afterAll(async () => {
  for (const name of names) await deleteDB(name);
});

chunkStoreContract(
  'browser (IndexedDB)',
  async () => new BrowserChunkStore(new IdbChunkBackend(dbName())),
);

describe('BrowserChunkStore on IndexedDB', () => {
  it('finds chunks and bitmap again after a reload, and a delete leaves nothing', async () => {
    const name = dbName();
    const first = new BrowserChunkStore(new IdbChunkBackend(name));
    const file = await first.open(metaFor('reloadAAAAAAAAAAAAAAAA'));
    await file.writeChunks(5, 10, sealedRun(5, 10, 9));
    await first.close();

    const second = new BrowserChunkStore(new IdbChunkBackend(name));
    const again = await second.get('reloadAAAAAAAAAAAAAAAA');
    expect([...again!.bitmap.runs(true)]).toEqual([{ from: 5, to: 15 }]);
    expect(Buffer.from(await again!.readChunks(5, 10)).equals(sealedRun(5, 10, 9))).toBe(true);
    await second.delete('reloadAAAAAAAAAAAAAAAA');
    expect(await second.list()).toEqual([]);
    await expect(again!.readChunks(5, 1)).rejects.toMatchObject({ code: 'missing' });
    await second.close();
  });

  it('deleteAll (delete local data) leaves no file of any room', async () => {
    const store = new BrowserChunkStore(new IdbChunkBackend(dbName()));
    await store.open(metaFor('wipeAAAAAAAAAAAAAAAAAA'));
    const other = await store.open(metaFor('wipeBBBBBBBBBBBBBBBBBB', { roomId: 'room-2' }));
    await other.writeChunks(0, 2, sealedRun(0, 2));
    await store.deleteAll();
    expect(await store.list()).toEqual([]);
    expect(await store.get('wipeBBBBBBBBBBBBBBBBBB')).toBeUndefined();
    await store.close();
  });

  it('hands out the plaintext for saving as one Blob of the offered type', async () => {
    const store = new BrowserChunkStore(new IdbChunkBackend(dbName()));
    async function* pieces() {
      yield new Uint8Array([1, 2, 3]);
      yield new Uint8Array([4, 5]);
    }
    const blob = await store.plainFile('plainAAAAAAAAAAAAAAAAA', pieces(), 'image/png');
    expect(blob.type).toBe('image/png');
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([1, 2, 3, 4, 5]);
    await store.close();
  });
});
