// DeviceVault: the data key's life on one device, from first run through passphrase lock,
// unlock, change, removal and "delete all local data", in fake-indexeddb with the real
// crypto api (a fresh api object per start stands for the page's new worker).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../../../client/app/app-types';
import { LocalDataUnreadableError } from '../../../../client/app/device/vault';
import { openTestDB } from '../../storage/idb-test-db';
import { ALICE, SECRET_TEXT, message, room } from '../../storage/fixtures';
import { databaseNames, testDevice, type TestDevice } from './vault-harness';

const PASS = 'correct horse battery staple';
const NEXT = 'a different, longer passphrase';

describe('DeviceVault', () => {
  let device: TestDevice;
  beforeEach(() => {
    device = testDevice();
  });
  afterEach(() => device.destroy());

  it('starts unlocked with no passphrase and reads its history after a restart, with no question asked', async () => {
    const first = await device.start();
    expect(first.vault.state).toBe('unlocked');
    expect(first.vault.passphraseSet).toBe(false);
    const store = await first.vault.openHistory();
    await store.putRoom(room());
    await store.addMessages([message(ALICE, 1, 1)]);
    await first.vault.close();

    const second = await device.start();
    expect(second.vault.state).toBe('unlocked');
    const reopened = await second.vault.openHistory();
    expect((await reopened.history('room-1')).map((m) => m.envelope.text)).toEqual([
      `${SECRET_TEXT} #1`,
    ]);
    // Only the device-wrapped copy of the key is stored, and it is not the key itself.
    const db = await openTestDB(device.dbName);
    const rows = await db.getAll('device');
    db.close();
    expect(rows.map((row) => row.name)).toEqual(['device-wrapped-data-key']);
    expect(rows[0]!.value).toMatchObject({ version: 1, kind: 'device' });
  });

  it('with a passphrase: only the Argon2id copy is kept, a restart is locked, a wrong passphrase is refused by name', async () => {
    const first = await device.start();
    const store = await first.vault.openHistory();
    await store.putRoom(room());
    await first.vault.setPassphrase(PASS);
    expect(first.vault.passphraseSet).toBe(true);
    await first.vault.close();

    const db = await openTestDB(device.dbName);
    expect((await db.getAll('device')).map((row) => row.name)).toEqual(['wrapped-data-key']);
    db.close();

    const { vault } = await device.start();
    expect(vault.state).toBe('locked');
    expect(vault.passphraseSet).toBe(true);
    await expect(vault.openHistory()).rejects.toThrow(/locked/);
    const wrong = await vault.unlock('correct horse battery stapler').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(AppError);
    expect(wrong).toMatchObject({
      code: 'wrong-passphrase',
      message: expect.stringMatching(/passphrase is wrong/),
    });
    expect(vault.state).toBe('locked');
    await vault.unlock(PASS);
    expect(vault.state).toBe('unlocked');
    expect((await (await vault.openHistory()).getRoom('room-1'))?.name).toBe(room().name);
  });

  it('lock() closes stores and releases the key in the worker: reads fail with a clear error until unlock', async () => {
    const { vault, crypto } = await device.start();
    await vault.setPassphrase(PASS);
    const store = await vault.openHistory();
    await store.addMessages([message(ALICE, 1, 1)]);
    await vault.saveDraft('room-1', 'half a sentence');
    const states: string[] = [];
    vault.onStateChange((state) => states.push(state));
    const handlesBefore = crypto.liveHandles();
    const dataKey = vault.dataKey();

    await vault.lock();
    expect(states).toEqual(['locked']);
    expect(crypto.liveHandles()).toBe(handlesBefore - 1);
    await expect(
      crypto.encryptRecord(dataKey, { store: 's', id: 'i' }, new Uint8Array(1)),
    ).rejects.toThrow(/released/);
    await expect(store.history('room-1')).rejects.toMatchObject({
      code: 'closed',
      message: expect.stringMatching(/locked: unlock it with your passphrase/),
    });
    await expect(vault.loadDraft('room-1')).rejects.toMatchObject({
      message: expect.stringMatching(/locked/),
    });
    expect(() => vault.dataKey()).toThrow(AppError);

    await vault.unlock(PASS);
    expect(states).toEqual(['locked', 'unlocked']);
    expect(await (await vault.openHistory()).countMessages('room-1')).toBe(1);
    expect(await vault.loadDraft('room-1')).toBe('half a sentence');
  });

  it('a lock that arrives during a write waits for it: the draft is whole after unlock', async () => {
    const { vault } = await device.start();
    await vault.setPassphrase(PASS);
    const text = 'typed just before the auto-lock';
    await Promise.all([vault.saveDraft('room-1', text), vault.lock()]);
    expect(vault.state).toBe('locked');
    await vault.unlock(PASS);
    expect(await vault.loadDraft('room-1')).toBe(text);
  });

  it('changes the passphrase: the old one stops working, the new one unlocks, a wrong current one changes nothing', async () => {
    const { vault } = await device.start();
    await vault.setPassphrase(PASS);
    await expect(vault.setPassphrase(NEXT)).rejects.toMatchObject({ code: 'wrong-passphrase' });
    await expect(vault.setPassphrase(NEXT, 'not it')).rejects.toMatchObject({
      code: 'wrong-passphrase',
    });
    await expect(vault.setPassphrase('   ', PASS)).rejects.toMatchObject({ code: 'invalid' });
    await vault.setPassphrase(NEXT, PASS);
    await vault.close();

    const restarted = (await device.start()).vault;
    await expect(restarted.unlock(PASS)).rejects.toMatchObject({ code: 'wrong-passphrase' });
    await restarted.unlock(NEXT);
    expect(restarted.state).toBe('unlocked');
  });

  it('removes the passphrase (only with the right one): the next start unlocks by itself and lock() is refused', async () => {
    const { vault } = await device.start();
    await (await vault.openHistory()).putRoom(room());
    await vault.setPassphrase(PASS);
    await vault.lock();
    await expect(vault.removePassphrase('nope')).rejects.toMatchObject({
      code: 'wrong-passphrase',
    });
    expect(vault.passphraseSet).toBe(true);
    await vault.removePassphrase(PASS);
    expect(vault.state).toBe('unlocked');
    expect(vault.passphraseSet).toBe(false);
    await vault.close();

    const restarted = (await device.start()).vault;
    expect(restarted.state).toBe('unlocked');
    expect(await (await restarted.openHistory()).getRoom('room-1')).toMatchObject({
      roomId: 'room-1',
    });
    await expect(restarted.lock()).rejects.toMatchObject({ code: 'invalid' });
    const db = await openTestDB(device.dbName);
    expect((await db.getAll('device')).map((row) => row.name)).toEqual(['device-wrapped-data-key']);
    db.close();
  });

  it('keeps drafts per room and settings sealed; deleting a conversation deletes its draft', async () => {
    const { vault } = await device.start();
    await vault.saveDraft('room-1', `${SECRET_TEXT} (draft)`);
    await vault.saveDraft('room-2', 'other');
    await vault.writeSetting('settings', { displayName: 'Marguerite', notifications: true });
    await vault.close();

    const db = await openTestDB(device.dbName);
    const raw = JSON.stringify([await db.getAll('drafts'), await db.getAll('settings')]);
    db.close();
    expect(raw).not.toContain('draft');
    expect(raw).not.toContain('Marguerite');

    const { vault: again } = await device.start();
    expect(await again.loadDraft('room-1')).toBe(`${SECRET_TEXT} (draft)`);
    const Settings = z.object({ displayName: z.string(), notifications: z.boolean() });
    expect(await again.readSetting('settings', Settings)).toEqual({
      displayName: 'Marguerite',
      notifications: true,
    });
    expect(await again.readSetting('account', z.string())).toBeUndefined();
    await expect(again.readSetting('settings', z.string())).rejects.toMatchObject({
      code: 'invalid',
    });
    await again.saveDraft('room-2', '');
    expect(await again.loadDraft('room-2')).toBe('');
    const store = await again.openHistory();
    await store.putRoom(room());
    await store.deleteRoom('room-1');
    expect(await again.loadDraft('room-1')).toBe('');
  });

  it('deletes everything: chat database, identity and device key; the next start is a new, empty device', async () => {
    const { vault, crypto } = await device.start();
    const identity = await crypto.createIdentity();
    await crypto.saveIdentity(identity.handle);
    await (await vault.openHistory()).putRoom(room());
    await vault.saveDraft('room-1', 'text');
    expect(await databaseNames()).toEqual(
      expect.arrayContaining([device.dbName, device.keyDbName]),
    );

    await vault.deleteEverything();
    expect(await databaseNames()).not.toContain(device.dbName);
    expect(await databaseNames()).not.toContain(device.keyDbName);
    await expect(vault.openHistory()).rejects.toThrow(/deleted/);

    const fresh = await device.start();
    expect(await fresh.crypto.loadSavedIdentity()).toBeNull();
    expect(fresh.vault.state).toBe('unlocked');
    expect(await (await fresh.vault.openHistory()).listRooms()).toEqual([]);
    expect(await fresh.vault.loadDraft('room-1')).toBe('');
  });

  it('says clearly when the device key is gone, and starts afresh after deleting local data', async () => {
    const { vault, crypto } = await device.start();
    await (await vault.openHistory()).putRoom(room());
    await vault.close();
    await crypto.forgetDeviceKeys(); // e.g. the browser cleared only the worker's database

    const failed = await device.start().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(LocalDataUnreadableError);
    expect(failed).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/Delete local data/),
    });

    const { DeviceVault } = await import('../../../../client/app/device/vault');
    await DeviceVault.deleteEverything(device.worker(), { dbName: device.dbName });
    const fresh = await device.start();
    expect(await (await fresh.vault.openHistory()).listRooms()).toEqual([]);
  });

  it('two tabs opening a new device at once end up with one data key', async () => {
    const [a, b] = await Promise.all([device.start(), device.start()]);
    const storeA = await a.vault.openHistory();
    await storeA.putRoom(room());
    expect(await (await b.vault.openHistory()).getRoom('room-1')).toMatchObject({
      roomId: 'room-1',
    });
  });
});
