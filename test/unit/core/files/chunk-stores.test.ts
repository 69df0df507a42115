// Both chunk stores against the contract, plus what only each one does: the Node store
// keeps chunks and bitmap across a restart; the memory store's capacity stands in for a
// full disk.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryChunkStore } from '../../../../client/storage/memory-chunk-store';
import { NodeChunkStore } from '../../../../client/storage/node-chunk-store';
import { chunkStoreContract, metaFor, sealedRun } from './chunk-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'chunk-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

chunkStoreContract('memory', async () => new MemoryChunkStore());
chunkStoreContract('node', async () => new NodeChunkStore(join(dir, `store-${++n}`)));

describe('NodeChunkStore', () => {
  it('finds chunks and bitmap again after a restart', async () => {
    const path = join(dir, 'restart');
    const first = new NodeChunkStore(path);
    const file = await first.open(metaFor('restartAAAAAAAAAAAAAAA'));
    await file.writeChunks(5, 10, sealedRun(5, 10, 9));
    await first.close();

    const second = new NodeChunkStore(path);
    const again = await second.get('restartAAAAAAAAAAAAAAA');
    expect(again?.bitmap.size).toBe(10);
    expect([...again!.bitmap.runs(true)]).toEqual([{ from: 5, to: 15 }]);
    expect(Buffer.from(await again!.readChunks(5, 10)).equals(sealedRun(5, 10, 9))).toBe(true);
    await second.delete('restartAAAAAAAAAAAAAAA');
    expect(readdirSync(path)).toEqual([]);
    await second.close();
  });
});

describe('MemoryChunkStore', () => {
  it('says the disk is full and frees the space of deleted files', async () => {
    const store = new MemoryChunkStore(3 * 16400);
    const file = await store.open(metaFor('quotaAAAAAAAAAAAAAAAAA'));
    await file.writeChunks(0, 3, sealedRun(0, 3));
    await expect(file.writeChunks(3, 1, sealedRun(3, 1))).rejects.toMatchObject({ code: 'quota' });
    await store.delete('quotaAAAAAAAAAAAAAAAAA');
    expect(store.bytesUsed).toBe(0);
  });
});
