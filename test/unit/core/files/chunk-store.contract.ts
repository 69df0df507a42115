// The contract every ChunkStore keeps (memory, Node; the browser's OPFS/IndexedDB one in
// phase 2 runs this same file): chunks written in any order read back byte for byte, the
// bitmap tracks them, wrong input is refused, delete removes everything.
import { describe, expect, it } from 'vitest';
import { sealedChunkBytes, sealedRunBytes } from '../../../../client/core/files/file-layout';
import {
  ChunkStoreError,
  type ChunkFileMeta,
  type ChunkStore,
} from '../../../../client/storage/chunk-store';

export const SIZE = 40 * 16384 + 1234; // 41 chunks, the last one short

export function metaFor(fileId: string, change: Partial<ChunkFileMeta> = {}): ChunkFileMeta {
  return {
    fileId,
    roomId: 'room-1',
    messageId: `${'a'.repeat(64)}:1`,
    size: SIZE,
    expiresAt: 2_000_000_000_000,
    state: 'fetching',
    ...change,
  };
}

export function sealedRun(first: number, count: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(sealedRunBytes(SIZE, first, count));
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i + first * 131 + seed) & 0xff;
  return bytes;
}

export function chunkStoreContract(name: string, makeStore: () => Promise<ChunkStore>): void {
  describe(`${name}: the ChunkStore contract`, () => {
    const id = (n: number) => `file${String(n).padStart(18, '0')}`;

    it('reads back what was written, in any order, and keeps the bitmap', async () => {
      const store = await makeStore();
      const file = await store.open(metaFor(id(1)));
      await file.writeChunks(30, 11, sealedRun(30, 11)); // includes the short final chunk
      await file.writeChunks(0, 15, sealedRun(0, 15));
      expect(file.bitmap.size).toBe(26);
      expect([...file.bitmap.runs(false)]).toEqual([{ from: 15, to: 30 }]);
      expect(Buffer.from(await file.readChunks(30, 11)).equals(sealedRun(30, 11))).toBe(true);
      expect(Buffer.from(await file.readChunks(3, 2))).toEqual(
        Buffer.from(sealedRun(0, 15).subarray(3 * 16400, 5 * 16400)),
      );
      expect((await file.readChunks(40, 1)).length).toBe(sealedChunkBytes(SIZE, 40));
      await store.close();
    });

    it('refuses to read chunks it does not hold, and chunks of the wrong size', async () => {
      const store = await makeStore();
      const file = await store.open(metaFor(id(2)));
      await file.writeChunks(0, 2, sealedRun(0, 2));
      await expect(file.readChunks(1, 2)).rejects.toMatchObject({ code: 'missing' });
      await expect(file.writeChunks(2, 1, new Uint8Array(100))).rejects.toBeInstanceOf(
        ChunkStoreError,
      );
      await expect(file.writeChunks(40, 2, sealedRun(40, 1))).rejects.toMatchObject({
        code: 'bad-input',
      });
      await file.forget(0, 1);
      await expect(file.readChunks(0, 1)).rejects.toMatchObject({ code: 'missing' });
      await store.close();
    });

    it('lists files with their meta, updates it, and deletes everything of a file', async () => {
      const store = await makeStore();
      const file = await store.open(metaFor(id(3), { messageId: 'pending' }));
      await file.writeChunks(0, 1, sealedRun(0, 1));
      await file.update({ messageId: `${'b'.repeat(64)}:7`, state: 'sent' });
      expect(await store.list()).toContainEqual(
        metaFor(id(3), { messageId: `${'b'.repeat(64)}:7`, state: 'sent' }),
      );
      // Opening it again gives the same file, not a fresh one.
      expect((await store.open(metaFor(id(3)))).bitmap.size).toBe(1);
      await store.delete(id(3));
      expect(await store.get(id(3))).toBeUndefined();
      expect((await store.list()).map((m) => m.fileId)).not.toContain(id(3));
      await store.close();
    });

    it('refuses ids that are not file ids (no paths)', async () => {
      const store = await makeStore();
      await expect(store.open(metaFor('../../etc/passwd'))).rejects.toBeInstanceOf(ChunkStoreError);
      await store.close();
    });
  });
}
