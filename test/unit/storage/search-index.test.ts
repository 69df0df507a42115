// Search over stored history from memory: what a person typing in the search box gets
// (any case, newest first, at most a page), the index kept in step with new messages,
// deleted rooms and other tabs, and forgotten when the store locks.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deleteTestDB, openTestDB, testDBName } from './idb-test-db';
import { roomRange } from '../../../client/storage/db';
import { createCryptoApi } from '../../../client/crypto/api';
import { HistoryStoreError, type StoredMessage } from '../../../client/core/history-store';
import type { IdbHistoryStore } from '../../../client/storage/idb-history-store';
import { openIdbHistoryStore } from '../../../client/storage/idb-history-store';
import {
  MAX_INDEXED_CHARS,
  SearchIndex,
  SearchIndexFullError,
} from '../../../client/storage/search-index';
import { ALICE, BOB, message } from './fixtures';

function said(
  author: string,
  counter: number,
  text: string,
  options: { roomId?: string; sentAt?: number; lamport?: number } = {},
): StoredMessage {
  const lamport = options.lamport ?? counter;
  const base = message(author, counter, lamport, { roomId: options.roomId ?? 'room-1' });
  return {
    ...base,
    sentAt: options.sentAt ?? base.sentAt,
    envelope: { ...base.envelope, text },
  };
}

/** As the index reads it from a bucket (the bucket number is where a hit is read from). */
const at = (...args: Parameters<typeof said>) => ({ ...said(...args), bucket: 1 });

const texts = (messages: readonly StoredMessage[]) =>
  messages.map((m) => (m.envelope as { text: string }).text);

describe('SearchIndex', () => {
  it('matches in any case, newest first by sent time, then Lamport time, at most the limit', () => {
    const index = new SearchIndex();
    index.add([
      at(ALICE, 1, 'Café at NOON', { sentAt: 100 }),
      at(BOB, 1, 'no café today', { sentAt: 300, lamport: 2 }),
      at(ALICE, 2, 'CAFÉ again', { sentAt: 300, lamport: 3 }),
      at(BOB, 2, 'tea instead', { sentAt: 400 }),
    ]);
    expect(index.search('café', 10).map((e) => e.text)).toEqual([
      'café again',
      'no café today',
      'café at noon',
    ]);
    expect(index.search('café', 2)).toHaveLength(2);
    expect(index.search('coffee', 10)).toEqual([]);
  });

  it('keeps one entry per message, searches one room or all, and forgets a deleted room', () => {
    const index = new SearchIndex();
    index.append(at(ALICE, 1, 'harbour map', { roomId: 'a' }));
    index.append(at(ALICE, 1, 'harbour map', { roomId: 'a' })); // read twice by a build
    index.finish();
    index.add([at(ALICE, 1, 'harbour map', { roomId: 'a' })]);
    index.add([at(BOB, 1, 'harbour lights', { roomId: 'b' })]);
    expect(index.size).toBe(2);
    expect(index.search('harbour', 10).map((e) => e.roomId)).toEqual(['b', 'a']);
    expect(index.search('harbour', 10, 'a').map((e) => e.text)).toEqual(['harbour map']);
    index.deleteRoom('b');
    expect(index.search('harbour', 10).map((e) => e.roomId)).toEqual(['a']);
    expect(index.chars).toBe('harbour map'.length);
  });

  it('takes a large page of older messages (history sync) in order, each once', () => {
    const index = new SearchIndex();
    const newer = Array.from({ length: 100 }, (_, i) => at(ALICE, 101 + i, `kelp ${101 + i}`));
    index.add(newer);
    const older = Array.from({ length: 100 }, (_, i) => at(ALICE, 1 + i, `kelp ${1 + i}`));
    index.add([...older, ...newer.slice(0, 10), older[0]!]);
    expect(index.size).toBe(200);
    const hits = index.search('kelp', 500);
    expect(hits.map((e) => e.counter)).toEqual(Array.from({ length: 200 }, (_, i) => 200 - i));
    expect(index.chars).toBe(hits.reduce((sum, e) => sum + e.text.length, 0));
  });

  it('holds only messages with text, and gives up past its memory bound', () => {
    const index = new SearchIndex();
    const fileOnly = message(ALICE, 1, 1);
    index.add([{ ...fileOnly, envelope: { type: 'file', name: 'map.png' }, bucket: 1 }]);
    expect(index.size).toBe(0);
    expect(() => index.add([at(BOB, 1, 'x'.repeat(MAX_INDEXED_CHARS + 1))])).toThrow(
      SearchIndexFullError,
    );
  });
});

describe('IdbHistoryStore.searchMessages', () => {
  const crypto = createCryptoApi();
  let name: string;
  let dataKey: string;
  let stores: IdbHistoryStore[];

  const open = async () => {
    const store = await openIdbHistoryStore({ crypto, dataKey, name, warmSearch: false });
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    name = testDBName();
    dataKey = crypto.createDataKey();
    stores = [];
  });
  afterEach(async () => {
    for (const store of stores) await store.close();
    crypto.release(dataKey);
    await deleteTestDB(name);
  });

  it('finds stored text in any case across rooms, newest first, whole messages', async () => {
    const store = await open();
    await store.addMessages([
      said(ALICE, 1, 'The TIDE turns at six', { sentAt: 10 }),
      said(BOB, 1, 'gulls everywhere', { sentAt: 20 }),
      said(BOB, 1, 'check the tide table', { roomId: 'room-2', sentAt: 30 }),
    ]);
    const hits = await store.searchMessages('tide', 200);
    expect(texts(hits)).toEqual(['check the tide table', 'The TIDE turns at six']);
    expect(hits[0]).toMatchObject({ roomId: 'room-2', authorDevice: BOB, counter: 1 });
    expect(hits[0]!.signature).toEqual(said(BOB, 1, '').signature);
    expect(await store.searchMessages('TIDE', 1)).toHaveLength(1);
    expect(await store.searchMessages('', 200)).toEqual([]);
    expect(store.searchIndexBuilt).toBe(true);
  });

  it('finds messages stored after the index was built, and ones stored while it was building', async () => {
    const store = await open();
    await store.addMessages([said(ALICE, 1, 'first buoy report')]);
    const building = store.searchMessages('buoy', 200);
    await store.addMessages([said(ALICE, 2, 'second buoy report')]);
    await building;
    expect(texts(await store.searchMessages('buoy', 200))).toEqual([
      'second buoy report',
      'first buoy report',
    ]);
    await store.addMessages([said(BOB, 1, 'third BUOY report', { lamport: 3 })]);
    await store.addMessages([said(BOB, 1, 'third BUOY report', { lamport: 3 })]); // a duplicate from gossip
    expect(texts(await store.searchMessages('buoy', 200))).toEqual([
      'third BUOY report',
      'second buoy report',
      'first buoy report',
    ]);
  });

  it('stops finding a deleted conversation', async () => {
    const store = await open();
    await store.addMessages([
      said(ALICE, 1, 'lighthouse keys', { roomId: 'kept' }),
      said(BOB, 1, 'lighthouse rota', { roomId: 'gone' }),
    ]);
    expect(await store.searchMessages('lighthouse', 200)).toHaveLength(2);
    await store.deleteRoom('gone');
    expect(texts(await store.searchMessages('lighthouse', 200))).toEqual(['lighthouse keys']);
  });

  it('finds what another tab stored after this one built its index', async () => {
    const here = await open();
    const otherTab = await open();
    await here.addMessages([said(ALICE, 1, 'ferry at nine')]);
    expect(await here.searchMessages('ferry', 200)).toHaveLength(1);
    await otherTab.addMessages([said(BOB, 1, 'ferry cancelled')]);
    await vi.waitFor(async () => {
      expect(texts(await here.searchMessages('ferry', 200))).toEqual([
        'ferry cancelled',
        'ferry at nine',
      ]);
    });
  });

  it('skips an indexed message that is gone, even when no tab said so', async () => {
    const here = await open();
    const otherTab = await open();
    await here.addMessages([said(ALICE, 1, 'old ferry times')]);
    expect(await here.searchMessages('ferry', 200)).toHaveLength(1);
    // The conversation is deleted behind this tab's back (a tab that closed before telling),
    // then started again: its first bucket has the same number and other messages.
    const db = await openTestDB(name);
    const tx = db.transaction(['messages', 'buckets', 'marks'], 'readwrite');
    await Promise.all([
      ...(['messages', 'buckets', 'marks'] as const).map((store) =>
        tx.objectStore(store).delete(roomRange('room-1')),
      ),
      tx.done,
    ]);
    db.close();
    await otherTab.addMessages([said(BOB, 1, 'new ferry times')]);
    await vi.waitFor(async () => {
      expect(texts(await here.searchMessages('ferry', 200))).toEqual(['new ferry times']);
    });
  });

  it('can build the index soon after opening, before anyone searches', async () => {
    await (await open()).addMessages([said(ALICE, 1, 'warm bread')]);
    const store = await openIdbHistoryStore({
      crypto,
      dataKey,
      name,
      warmSearch: true,
      warmSearchAfterMs: 0,
    });
    stores.push(store);
    await vi.waitFor(() => expect(store.searchIndexBuilt).toBe(true));
    expect(texts(await store.searchMessages('BREAD', 200))).toEqual(['warm bread']);
  });

  it('forgets the indexed text when the store closes (the vault locks)', async () => {
    const store = await open();
    await store.addMessages([said(ALICE, 1, 'the safe code is 1234')]);
    expect(await store.searchMessages('safe code', 200)).toHaveLength(1);
    expect(store.searchIndexBuilt).toBe(true);
    await store.close('Local data is locked.');
    expect(store.searchIndexBuilt).toBe(false);
    await expect(store.searchMessages('safe code', 200)).rejects.toThrow(HistoryStoreError);
    const reopened = await open();
    expect(reopened.searchIndexBuilt).toBe(false);
    expect(await reopened.searchMessages('SAFE CODE', 200)).toHaveLength(1);
  });
});
