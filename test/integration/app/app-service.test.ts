// The App as the UI uses it, on one device at a time against the real server: accounts,
// rooms and their list, settings, offline start with the remembered account, pending
// messages, search, joining by link with a room password, the lock, deleting data.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../client/app/app-types';
import type { AppService } from '../../../client/app/app-service';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';
import { appDevice, type AppDevice } from './app-harness';

const ROOM = { cipher: 'aes-256-gcm', keyAgreement: 'x25519' } as const;

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError');
}

describe('AppService', () => {
  let server: TestServer;
  const devices: AppDevice[] = [];
  const newDevice = () => {
    const device = appDevice(server.url);
    devices.push(device);
    return device;
  };

  beforeAll(async () => {
    server = await startTestServer();
    await api(server.url).register('olga');
  });
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((device) => device.destroy()));
  });
  afterAll(async () => {
    await server.close();
  });

  it('registers, creates a room, keeps settings and rooms across a restart', async () => {
    const device = newDevice();
    const app = await device.start();
    expect(app.snapshot()).toMatchObject({ phase: 'signed-out', account: null, rooms: [] });
    const bad = await refusal(app.login('nobody', 'wrong password here'));
    expect(bad.code).toBe('unauthenticated');
    await app.register('petra', TEST_PASSWORD);
    expect(app.snapshot()).toMatchObject({
      phase: 'ready',
      online: true,
      account: { username: 'petra', isAdmin: false },
    });
    const { roomId } = await app.createRoom({ name: 'Tide tables', ...ROOM });
    expect(app.snapshot().rooms).toEqual([
      expect.objectContaining({ roomId, name: 'Tide tables', role: 'host', unread: 0 }),
    ]);
    await app.updateSettings({ displayName: 'Petra P.', sound: true });
    expect((await refusal(app.updateSettings({ autoLockMinutes: -1 }))).code).toBe('invalid');
    await app.dispose();

    const again = await device.start();
    expect(again.snapshot()).toMatchObject({
      phase: 'ready',
      account: { username: 'petra' },
      settings: { displayName: 'Petra P.', sound: true, notifications: false },
      rooms: [expect.objectContaining({ roomId, name: 'Tide tables' })],
    });
  });

  it('starts offline with the remembered account; a message written then is pending and searchable', async () => {
    const device = newDevice();
    const online = await device.start();
    await online.login('olga', TEST_PASSWORD);
    const { roomId } = await online.createRoom({ name: 'Net loft', ...ROOM });
    await online.dispose();

    const app = await device.start({ offline: true });
    expect(app.snapshot()).toMatchObject({
      phase: 'ready',
      online: false,
      account: { username: 'olga' },
    });
    const room = await app.openRoom(roomId);
    expect(room.name).toBe('Net loft');
    const sent = await room.send('Mend the NETS before Friday');
    expect(sent).toMatchObject({ state: 'pending', own: true, username: 'olga' });
    expect((await room.page()).map((m) => [m.text, m.state])).toEqual([
      ['Mend the NETS before Friday', 'pending'],
    ]);
    await room.saveDraft('half a thought');
    expect(await room.loadDraft()).toBe('half a thought');
    const hits = await app.search('nets before');
    expect(hits.map((hit) => [hit.roomName, hit.message.text])).toEqual([
      ['Net loft', 'Mend the NETS before Friday'],
    ]);
    expect(await app.search('nothing like this')).toEqual([]);
    expect((await refusal(room.kick('someone'))).code).toBe('network');
  });

  it('joins a password room by link: asks for the password, refuses a wrong one, reopens after restart', async () => {
    const host = newDevice();
    const hostApp = await host.start();
    await hostApp.register('quentin', TEST_PASSWORD);
    const { roomId } = await hostApp.createRoom({
      name: 'Quiet cove',
      password: 'cove password',
      ...ROOM,
    });
    const link = await (await hostApp.openRoom(roomId)).inviteLink();
    // Nobody else is in the room now: y-webrtc allows one provider per room per process.
    await hostApp.dispose();

    const guest = newDevice();
    const app = await guest.start();
    await app.register('rita', TEST_PASSWORD);
    const broken = await refusal(app.joinLink(link.split('#')[0]!));
    expect(broken).toMatchObject({ code: 'bad-link' });
    expect(broken.message).toMatch(/incomplete/);
    const needs = await refusal(app.joinLink(link));
    expect(needs.code).toBe('wrong-secret-or-password');
    expect(app.snapshot().pendingJoin).toEqual({ roomId, needsPassword: true });
    await refusal(app.submitRoomPassword('not it'));
    expect(app.snapshot().pendingJoin).toMatchObject({ roomId, needsPassword: true });
    expect(app.snapshot().pendingJoin?.error).toMatch(/Wrong room password/);
    expect(await app.submitRoomPassword('cove password')).toEqual({ roomId });
    expect(app.snapshot().pendingJoin).toBeNull();
    expect(app.snapshot().rooms.map((room) => room.roomId)).toEqual([roomId]);
    await app.dispose();

    // No peer was met, so the room is not stored yet: it still opens after a restart.
    const again = await guest.start();
    expect(again.snapshot().rooms.map((room) => room.roomId)).toEqual([roomId]);
    const room = await again.openRoom(roomId);
    await expect.poll(() => room.status().connection, { timeout: 10_000 }).toBe('online');
  });

  it('locks with a passphrase, refuses a wrong one, and unlocks to the same rooms', async () => {
    const device = newDevice();
    const app = await device.start();
    await app.login('olga', TEST_PASSWORD);
    const { roomId } = await app.createRoom({ name: 'Harbour master', ...ROOM });
    await app.setPassphrase('lantern and rope');
    expect(app.snapshot().passphraseSet).toBe(true);
    await app.lock();
    expect(app.snapshot()).toMatchObject({ phase: 'locked', rooms: [] });
    expect((await refusal(app.openRoom(roomId))).code).toBe('invalid');
    expect((await refusal(app.unlock('wrong passphrase'))).code).toBe('wrong-passphrase');
    await app.unlock('lantern and rope');
    expect(app.snapshot().phase).toBe('ready');
    expect(app.snapshot().rooms.map((room) => room.name)).toEqual(['Harbour master']);
    await app.dispose();

    const restarted = await device.start();
    expect(restarted.snapshot().phase).toBe('locked');
    await restarted.unlock('lantern and rope');
    expect(restarted.snapshot().rooms.map((room) => room.roomId)).toEqual([roomId]);
  });

  it('locks itself after the idle minutes of the settings; activity postpones it', async () => {
    const device = newDevice();
    const app = await device.start();
    await app.login('olga', TEST_PASSWORD);
    await app.setPassphrase('idle harbour');
    // Only setTimeout and Date: fake-indexeddb schedules its own work with setImmediate.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      await app.updateSettings({ autoLockMinutes: 1 });
      vi.advanceTimersByTime(50_000);
      app.touch();
      vi.advanceTimersByTime(50_000);
      expect(app.snapshot().phase).toBe('ready');
      vi.advanceTimersByTime(11_000);
    } finally {
      vi.useRealTimers();
    }
    await expect.poll(() => app.snapshot().phase).toBe('locked');
    await app.unlock('idle harbour');
    expect(app.snapshot()).toMatchObject({ phase: 'ready', settings: { autoLockMinutes: 1 } });
  });

  it("refuses to show one person's conversations to another account on the same device", async () => {
    await api(server.url).register('sven');
    const device = newDevice();
    const app = await device.start();
    await app.login('olga', TEST_PASSWORD);
    await app.createRoom({ name: "Olga's room", ...ROOM });
    await app.logout();
    const refused = await refusal(app.login('sven', TEST_PASSWORD));
    expect(refused.message).toMatch(/holds the conversations of olga/);
    expect(app.snapshot()).toMatchObject({ phase: 'signed-out', account: null, rooms: [] });
    expect(await device.server.me()).toBeNull();
    await app.login('olga', TEST_PASSWORD);
    expect(app.snapshot().rooms.map((room) => room.name)).toEqual(["Olga's room"]);
    // After "delete all local data" the device is free for anyone.
    await app.deleteLocalData();
    await app.logout();
    await app.login('sven', TEST_PASSWORD);
    expect(app.snapshot()).toMatchObject({ phase: 'ready', account: { username: 'sven' } });
  });

  it('changes the password (signing out) and deletes the account with all local data', async () => {
    await api(server.url).register('tomas');
    const device = newDevice();
    const app = await device.start();
    await app.login('tomas', TEST_PASSWORD);
    await app.createRoom({ name: 'Short-lived', ...ROOM });
    const wrong = await refusal(app.changePassword('not the password', 'a brand new password'));
    expect(wrong).toMatchObject({ code: 'invalid', message: 'Your current password is wrong.' });
    await app.changePassword(TEST_PASSWORD, 'a brand new password');
    expect(app.snapshot()).toMatchObject({ phase: 'signed-out', account: null });
    await app.login('tomas', 'a brand new password');
    expect(app.snapshot().rooms.map((room) => room.name)).toEqual(['Short-lived']);

    expect((await refusal(app.deleteAccount('wrong'))).code).toBe('invalid');
    await app.deleteAccount('a brand new password');
    expect(app.snapshot()).toMatchObject({ phase: 'signed-out', account: null, rooms: [] });
    expect((await refusal(app.login('tomas', 'a brand new password'))).code).toBe(
      'unauthenticated',
    );
  });

  it('deletes a conversation, logs out (forgetting the account), deletes all local data', async () => {
    const device = newDevice();
    const app: AppService = await device.start();
    await app.login('olga', TEST_PASSWORD);
    const kept = await app.createRoom({ name: 'Keep me', ...ROOM });
    const dropped = await app.createRoom({ name: 'Drop me', ...ROOM });
    await (await app.openRoom(dropped.roomId)).send('soon gone');
    await app.deleteConversation(dropped.roomId);
    expect(app.snapshot().rooms.map((room) => room.roomId)).toEqual([kept.roomId]);
    expect(await app.search('soon gone')).toEqual([]);

    await app.deleteLocalData();
    expect(app.snapshot()).toMatchObject({ phase: 'ready', rooms: [] });

    await app.logout();
    expect(app.snapshot()).toMatchObject({ phase: 'signed-out', account: null });
    await app.dispose();
    const offline = await device.start({ offline: true });
    expect(offline.snapshot()).toMatchObject({ phase: 'signed-out', online: false });
  });
});
