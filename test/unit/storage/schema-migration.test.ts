// Schema v1 -> v2: a database exactly as v1 wrote it (test/helpers/v1-chat-db.ts) opens
// in the current app, every v1 record still reads back, and the v2 stores work.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteDB, openDB } from 'idb';
import { createCryptoApi } from '../../../client/crypto/api';
import { indexedDbKeyStore } from '../../../client/crypto/worker-api/keystore';
import { DeviceVault } from '../../../client/app/device/vault';
import { CHAT_DB_VERSION } from '../../../client/storage/db';
import {
  V1_PIN_USERNAME,
  V1_ROOM_ID,
  V1_ROOM_NAME,
  V1_TEXTS,
  seedV1ChatDB,
} from '../../helpers/v1-chat-db';
import { testDBName } from './idb-test-db';

const PASS = 'passphrase from the v1 days';

describe('IndexedDB schema migration', () => {
  let name: string;
  let keys: string;
  beforeEach(() => {
    name = testDBName();
    keys = `${name}-keys`;
  });
  afterEach(async () => {
    await deleteDB(name);
    await deleteDB(keys);
  });

  it('v1 -> v2 keeps every room, message, mark, outbox entry, pin and the wrapped key', async () => {
    await seedV1ChatDB(name, createCryptoApi({ keyStore: indexedDbKeyStore(keys) }), PASS);
    const before = await openDB(name);
    expect(before.version).toBe(1);
    const v1Counts = await Promise.all(
      [...before.objectStoreNames].map(async (store) => [store, await before.count(store)]),
    );
    before.close();

    const crypto = createCryptoApi({ keyStore: indexedDbKeyStore(keys) });
    const vault = await DeviceVault.open(crypto, { dbName: name });
    expect(vault.state).toBe('locked'); // v1 kept the key under the passphrase
    await expect(vault.unlock('not the passphrase')).rejects.toMatchObject({
      code: 'wrong-passphrase',
    });
    await vault.unlock(PASS);
    const store = await vault.openHistory();

    const rooms = await store.listRooms();
    expect(rooms).toEqual([
      expect.objectContaining({ roomId: V1_ROOM_ID, name: V1_ROOM_NAME, role: 'member' }),
    ]);
    const secrets = await crypto.openRoomSecrets(
      vault.dataKey(),
      rooms[0]!.secrets[0]!.record,
      V1_ROOM_ID,
    );
    expect(secrets.ok).toBe(true);
    const history = await store.history(V1_ROOM_ID);
    expect(history.map((m) => m.envelope.text)).toEqual([...V1_TEXTS].reverse());
    expect(history[0]!.envelope.$odd).toBe('kept');
    expect(history[0]!.signature).toEqual(new Uint8Array(64).fill(3));
    expect((await store.outbox()).map((m) => m.envelope.text)).toEqual([V1_TEXTS[2]]);
    expect(await store.countMessages(V1_ROOM_ID, 1)).toBe(2);
    expect((await store.highWaterMarks(V1_ROOM_ID)).map((m) => m.contiguous).sort()).toEqual([
      1, 2,
    ]);
    expect(await store.getPin(V1_PIN_USERNAME)).toMatchObject({ verified: true });

    // v2 stores work, and new messages go after the v1 ones in the same bucket scheme.
    await vault.saveDraft(V1_ROOM_ID, 'typed after the upgrade');
    await vault.writeSetting('settings', { sound: false });
    const [latest] = await store.history(V1_ROOM_ID, { limit: 1 });
    await store.addMessages([{ ...latest!, counter: 2, lamport: 4, state: 'pending' }]);
    expect(await store.countMessages(V1_ROOM_ID)).toBe(4);
    await vault.close();

    const after = await openDB(name);
    expect(after.version).toBe(CHAT_DB_VERSION);
    expect(CHAT_DB_VERSION).toBe(2);
    expect([...after.objectStoreNames]).toEqual(expect.arrayContaining(['drafts', 'settings']));
    for (const [store, count] of v1Counts as [string, number][]) {
      if (store === 'device' || store === 'rooms' || store === 'pins') {
        expect(await after.count(store as 'rooms')).toBe(count);
      }
    }
    after.close();
  });

  it('a v2 database opened again does not run the v2 step twice (drafts survive)', async () => {
    const crypto = createCryptoApi({ keyStore: indexedDbKeyStore(keys) });
    const vault = await DeviceVault.open(crypto, { dbName: name });
    await vault.saveDraft('r', 'still here');
    await vault.close();
    const again = await DeviceVault.open(createCryptoApi({ keyStore: indexedDbKeyStore(keys) }), {
      dbName: name,
    });
    expect(await again.loadDraft('r')).toBe('still here');
    await again.close();
  });
});
