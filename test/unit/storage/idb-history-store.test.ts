// The browser's IndexedDB store (fake-indexeddb in Node): the shared contract, then what
// only a database can go through (schema, tampered rows).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteTestDB, dumpDatabase, openTestDB, testDBName } from './idb-test-db';
import { createCryptoApi } from '../../../client/crypto/api';
import { CHAT_DB_VERSION } from '../../../client/storage/db';
import { openIdbHistoryStore } from '../../../client/storage/idb-history-store';
import { readDeviceRecord, writeDeviceRecord } from '../../../client/storage/device-records';
import { ALICE, BOB, message, room } from './fixtures';
import { historyStoreContract } from './history-store.contract';

historyStoreContract('IndexedDB store', async (crypto, dataKey) => {
  const name = testDBName();
  return {
    open: (key = dataKey) => openIdbHistoryStore({ crypto, dataKey: key, name }),
    rawBytes: () => dumpDatabase(name),
    destroy: () => deleteTestDB(name),
  };
});

describe('IndexedDB store internals', () => {
  const crypto = createCryptoApi();
  let name: string;
  let dataKey: string;

  beforeEach(() => {
    name = testDBName();
    dataKey = crypto.createDataKey();
  });
  afterEach(async () => {
    crypto.release(dataKey);
    await deleteTestDB(name);
  });

  it('creates every store and index of the current schema', async () => {
    const db = await openTestDB(name);
    expect(db.version).toBe(CHAT_DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual([
      'buckets',
      'device',
      'drafts',
      'marks',
      'messages',
      'outbox',
      'pins',
      'rooms',
      'settings',
    ]);
    expect([...db.transaction('messages').store.indexNames]).toEqual(['by-order']);
    db.close();
  });

  it('refuses a message row whose clear Lamport time was edited to reorder history', async () => {
    const store = await openIdbHistoryStore({ crypto, dataKey, name });
    await store.addMessages([message(ALICE, 1, 1), message(BOB, 1, 2)]);
    await store.close();
    const db = await openTestDB(name);
    const row = await db.get('messages', ['room-1', ALICE, 1]);
    await db.put('messages', { ...row!, lamport: 99 });
    db.close();
    const reopened = await openIdbHistoryStore({ crypto, dataKey, name });
    await expect(reopened.history('room-1')).rejects.toMatchObject({ code: 'corrupt' });
    await reopened.close();
  });

  it('refuses a room record copied over another room', async () => {
    const store = await openIdbHistoryStore({ crypto, dataKey, name });
    await store.putRoom(room({ roomId: 'a' }));
    await store.putRoom(room({ roomId: 'b', role: 'member' }));
    await store.close();
    const db = await openTestDB(name);
    const a = await db.get('rooms', 'a');
    await db.put('rooms', { roomId: 'b', sealed: a!.sealed });
    db.close();
    const reopened = await openIdbHistoryStore({ crypto, dataKey, name });
    await expect(reopened.getRoom('b')).rejects.toMatchObject({ code: 'corrupt' });
    expect(await reopened.getRoom('a')).toMatchObject({ roomId: 'a' });
    await reopened.close();
  });

  it('stores 10,000 synced messages in one call, sealed 64 to a record, and pages through them', async () => {
    const store = await openIdbHistoryStore({ crypto, dataKey, name });
    const batch = Array.from({ length: 10_000 }, (_, i) => message(ALICE, i + 1, i + 1));
    expect(await store.addMessages(batch)).toHaveLength(10_000);
    expect(await store.highWaterMarks('room-1')).toEqual([
      { authorDevice: ALICE, contiguous: 10_000, highest: 10_000 },
    ]);
    const page = await store.history('room-1', { limit: 50 });
    expect(page[0]?.counter).toBe(10_000);
    expect(page.at(-1)?.counter).toBe(9_951);
    await store.close();
    const db = await openTestDB(name);
    expect(await db.count('buckets')).toBe(Math.ceil(10_000 / 64));
    db.close();
  });

  it('scans every stored message for search, a bucket at a time, and can stop early', async () => {
    const store = await openIdbHistoryStore({ crypto, dataKey, name });
    await store.addMessages(Array.from({ length: 300 }, (_, i) => message(ALICE, i + 1, i + 1)));
    await store.addMessages([message(BOB, 1, 1, { roomId: 'room-2' })]);
    const texts: string[] = [];
    await store.scanMessages((batch) => {
      for (const m of batch) texts.push(String(m.envelope.text));
    });
    expect(texts).toHaveLength(301);
    expect(texts.filter((t) => t.endsWith('#150'))).toHaveLength(1);
    let inRoom2 = 0;
    await store.scanMessages((batch) => void (inRoom2 += batch.length), 'room-2');
    expect(inRoom2).toBe(1);
    let batches = 0;
    await store.scanMessages(() => ++batches < 2);
    expect(batches).toBe(2);
    await store.close();
  });

  it('fills a room’s last bucket one live message at a time before starting the next', async () => {
    const store = await openIdbHistoryStore({ crypto, dataKey, name });
    for (let n = 1; n <= 70; n++) {
      await store.addMessages([message(n % 2 ? ALICE : BOB, n, n, { state: 'pending' })]);
      await store.setDeliveryState('room-1', n % 2 ? ALICE : BOB, n, 'sent');
    }
    expect(await store.countMessages('room-1')).toBe(70);
    expect(await store.outbox()).toEqual([]);
    const all = await store.history('room-1', { limit: 100 });
    expect(all.map((m) => m.counter)).toEqual(Array.from({ length: 70 }, (_, i) => 70 - i));
    expect(all.every((m) => m.state === 'sent')).toBe(true);
    await store.close();
    const db = await openTestDB(name);
    expect(await db.count('buckets')).toBe(2);
    db.close();
  });
  it('loses and duplicates nothing when two tabs write the same conversation at once', async () => {
    const tabA = await openIdbHistoryStore({ crypto, dataKey, name });
    const tabB = await openIdbHistoryStore({ crypto, dataKey, name });
    const mine = (n: number) => message(ALICE, n, n, { state: 'pending' });
    const theirs = (n: number) => message(BOB, n, n);
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => tabA.addMessages([mine(i + 1)])),
      ...Array.from({ length: 40 }, (_, i) => tabB.addMessages([theirs(i + 1), mine(i + 1)])),
      ...Array.from({ length: 20 }, (_, i) =>
        tabB.setDeliveryState('room-1', ALICE, i + 1, 'sent'),
      ),
    ]);
    expect(await tabA.countMessages('room-1')).toBe(80);
    const marks = await tabB.highWaterMarks('room-1');
    expect(marks.map((m) => m.contiguous)).toEqual([40, 40]);
    const history = await tabA.history('room-1', { limit: 100 });
    expect(new Set(history.map((m) => `${m.authorDevice}:${m.counter}`)).size).toBe(80);
    await tabA.close();
    await tabB.close();
  });
});

describe('device records', () => {
  const crypto = createCryptoApi();
  let name: string;
  beforeEach(() => {
    name = testDBName();
  });
  afterEach(() => deleteTestDB(name));

  it('keep the wrapped data key, which unlocks after a restart', async () => {
    const dataKey = crypto.createDataKey();
    const wrapped = await crypto.wrapDataKey(dataKey, 'a long passphrase');
    let db = await openTestDB(name);
    await writeDeviceRecord(db, { name: 'wrapped-data-key', value: wrapped });
    db.close();

    db = await openTestDB(name);
    const stored = await readDeviceRecord(db, 'wrapped-data-key');
    expect(await crypto.unwrapDataKey(stored, 'a long passphrase')).toMatchObject({ ok: true });
    expect(await crypto.unwrapDataKey(stored, 'wrong passphrase')).toMatchObject({
      ok: false,
      reason: 'bad-tag',
    });
    db.close();
    crypto.release(dataKey);
  });
});
