// A room with no session (no network): what is written is stored as pending (the outbox)
// and shown, history and the invite link come from the device, unread counts follow reads.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RoomConnection } from '../../../client/app/room-connection';
import { roomSummary } from '../../../client/app/room-summaries';
import type { MessageView, RoomStatus } from '../../../client/app/app-types';
import { openDevice, storeMessagesFromBob, type Device } from './app-fixtures';

describe('a room with no connection', () => {
  let device: Device;
  beforeEach(async () => {
    device = await openDevice();
  });
  afterEach(async () => {
    await device.destroy();
  });

  it('stores a message written offline as pending, shows it, and keeps it in the outbox', async () => {
    const room = await device.addRoom();
    const connection = new RoomConnection(device.context, room.roomId, room);
    const shown: MessageView[] = [];
    connection.on('message', (message) => shown.push(message));

    const first = await connection.send('the lamp needs oil');
    const second = await connection.send('and a new wick');

    expect(first).toMatchObject({ text: 'the lamp needs oil', state: 'pending', own: true });
    expect([first.counter, second.counter]).toEqual([1, 2]);
    expect(shown.map((m) => m.text)).toEqual(['the lamp needs oil', 'and a new wick']);
    const outbox = await device.context.store.outbox(room.roomId);
    expect(outbox.map((m) => m.counter)).toEqual([1, 2]);
    const page = await connection.page();
    expect(page.map((m) => [m.text, m.state])).toEqual([
      ['the lamp needs oil', 'pending'],
      ['and a new wick', 'pending'],
    ]);
    expect(await connection.count()).toBe(2);
    // Own messages never alert.
    expect(device.incoming).toEqual([]);
  });

  it('continues the counter after a restart instead of reusing one', async () => {
    const room = await device.addRoom();
    await new RoomConnection(device.context, room.roomId, room).send('before the restart');
    const again = new RoomConnection(device.context, room.roomId, room);
    const after = await again.send('after the restart');
    expect(after.counter).toBe(2);
    expect((await again.page()).map((m) => m.text)).toEqual([
      'before the restart',
      'after the restart',
    ]);
  });

  it('refuses an empty message and one in a room that is over', async () => {
    const room = await device.addRoom();
    const connection = new RoomConnection(device.context, room.roomId, room);
    await expect(connection.send('   ')).rejects.toThrow('There is nothing to send.');
    const closed = await device.addRoom({ ended: 'closed' });
    const over = new RoomConnection(device.context, closed.roomId, closed);
    await expect(over.send('hello?')).rejects.toThrow('no longer in this room');
    expect(await device.context.store.outbox()).toEqual([]);
  });

  it('says offline (not an error) when the server cannot be reached, and still sends', async () => {
    const room = await device.addRoom();
    const connection = new RoomConnection(device.context, room.roomId, room);
    const states: RoomStatus['connection'][] = [];
    connection.on('status', (status) => states.push(status.connection));
    await connection.connect();
    expect(states).toEqual(['connecting', 'offline']);
    expect(connection.status()).toMatchObject({ connection: 'offline', failures: [] });
    expect(connection.connected).toBe(false);
    expect((await connection.send('still here')).state).toBe('pending');
  });

  it('gives the invite link from the sealed secrets, without a network', async () => {
    const room = await device.addRoom();
    const connection = new RoomConnection(device.context, room.roomId, room);
    const link = await connection.inviteLink();
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:9/r/${room.roomId}#k=[\\w-]{43}$`));
    const opened = await device.crypto.openRoomLink(link);
    expect(opened.ok && opened.value.roomId).toBe(room.roomId);
  });

  it('pages back through history from a message id, oldest first', async () => {
    const room = await device.addRoom();
    await storeMessagesFromBob(
      device,
      room.roomId,
      Array.from({ length: 7 }, (_, i) => `note ${i + 1}`),
    );
    const connection = new RoomConnection(device.context, room.roomId, room);
    const newest = await connection.page({ limit: 3 });
    expect(newest.map((m) => m.text)).toEqual(['note 5', 'note 6', 'note 7']);
    const older = await connection.page({ beforeId: newest[0]!.id, limit: 3 });
    expect(older.map((m) => m.text)).toEqual(['note 2', 'note 3', 'note 4']);
    expect(older.every((m) => !m.own && m.username === 'bob')).toBe(true);
  });

  it("counts others' messages as unread until the room is read", async () => {
    const room = await device.addRoom();
    await storeMessagesFromBob(device, room.roomId, ['one', 'two', 'three']);
    expect(await roomSummary(device.context.store, room)).toMatchObject({
      unread: 3,
      preview: 'three',
      name: 'Lighthouse keepers',
    });
    const connection = new RoomConnection(device.context, room.roomId, room);
    await connection.markRead();
    const read = (await device.context.store.getRoom(room.roomId))!;
    expect(await roomSummary(device.context.store, read)).toMatchObject({ unread: 0 });
    await storeMessagesFromBob(device, room.roomId, ['four'], 10);
    expect((await roomSummary(device.context.store, read)).unread).toBe(1);
    expect(device.changes).toContain(room.roomId);
  });
});
