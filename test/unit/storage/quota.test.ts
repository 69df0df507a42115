// A full disk: every kind of write says so in words (HistoryStoreError / AppError
// 'quota'), the failed write changes nothing, and what was stored before is intact.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setDiskFull } from './disk-full';
import { deleteTestDB, testDBName } from './idb-test-db';
import { ALICE, BOB, message, pin, room } from './fixtures';
import { createCryptoApi } from '../../../client/crypto/api';
import {
  openIdbHistoryStore,
  type IdbHistoryStore,
} from '../../../client/storage/idb-history-store';
import { testDevice, type TestDevice } from '../app/device/vault-harness';

const QUOTA = { code: 'quota', message: expect.stringMatching(/out of storage space/) };

describe('storage full (QuotaExceededError)', () => {
  const crypto = createCryptoApi();
  let name: string;
  let dataKey: string;
  let store: IdbHistoryStore;

  beforeEach(async () => {
    name = testDBName();
    dataKey = crypto.createDataKey();
    store = await openIdbHistoryStore({ crypto, dataKey, name });
    await store.putRoom(room());
    await store.addMessages([message(ALICE, 1, 1), message(ALICE, 2, 2)]);
  });
  afterEach(async () => {
    setDiskFull(false);
    await store.close();
    crypto.release(dataKey);
    await deleteTestDB(name);
  });

  it('a message that does not fit is refused by name and nothing stored is lost', async () => {
    setDiskFull(true);
    await expect(
      store.addMessages([message(BOB, 1, 3, { state: 'pending' })]),
    ).rejects.toMatchObject(QUOTA);
    await expect(store.putRoom(room({ name: 'renamed' }))).rejects.toMatchObject(QUOTA);
    await expect(store.putPin(pin())).rejects.toMatchObject(QUOTA);
    await expect(store.setDeliveryState('room-1', ALICE, 1, 'delivered')).resolves.toBe(
      'delivered',
    );
    setDiskFull(false);

    expect((await store.history('room-1')).map((m) => m.counter)).toEqual([2, 1]);
    expect(await store.outbox()).toEqual([]);
    expect(await store.highWaterMarks('room-1')).toEqual([
      { authorDevice: ALICE, contiguous: 2, highest: 2 },
    ]);
    expect((await store.getRoom('room-1'))?.name).toBe(room().name);
    // Space again: the same write now succeeds.
    expect(await store.addMessages([message(BOB, 1, 3, { state: 'pending' })])).toHaveLength(1);
    expect(await store.countMessages('room-1')).toBe(3);
  });

  it('a delivery update that does not fit leaves the message pending, not half-updated', async () => {
    await store.addMessages([message(BOB, 1, 3, { state: 'pending' })]);
    setDiskFull(true);
    await expect(store.setDeliveryState('room-1', BOB, 1, 'sent')).rejects.toMatchObject(QUOTA);
    setDiskFull(false);
    expect((await store.getMessage('room-1', BOB, 1))?.state).toBe('pending');
    expect((await store.outbox()).map((m) => m.authorDevice)).toEqual([BOB]);
  });
});

describe('vault writes on a full disk', () => {
  let device: TestDevice;
  beforeEach(() => {
    device = testDevice();
  });
  afterEach(async () => {
    setDiskFull(false);
    await device.destroy();
  });

  it('drafts, settings and the passphrase switch fail with AppError quota and keep the old values', async () => {
    const { vault } = await device.start();
    await vault.saveDraft('room-1', 'kept draft');
    setDiskFull(true);
    await expect(vault.saveDraft('room-1', 'new draft')).rejects.toMatchObject(QUOTA);
    await expect(vault.writeSetting('settings', { sound: true })).rejects.toMatchObject(QUOTA);
    await expect(vault.setPassphrase('a passphrase')).rejects.toMatchObject(QUOTA);
    setDiskFull(false);
    expect(await vault.loadDraft('room-1')).toBe('kept draft');
    expect(vault.passphraseSet).toBe(false);
    await vault.close();
    expect((await device.start()).vault.state).toBe('unlocked'); // still the device-wrapped key
  });
});
