// Search across every stored conversation: case-insensitive, newest first, capped, with
// the room's name, over the encrypted store's scan.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_HITS, searchMessages } from '../../../client/app/search';
import { listRoomSummaries } from '../../../client/app/room-summaries';
import { openDevice, storeMessagesFromBob, type Device } from './app-fixtures';

describe('searching stored messages', () => {
  let device: Device;
  beforeEach(async () => {
    device = await openDevice();
  });
  afterEach(async () => {
    await device.destroy();
  });

  it('finds a phrase in any case across rooms, newest first, named by room', async () => {
    const harbour = await device.addRoom({ name: 'Harbour' });
    const lighthouse = await device.addRoom({ name: 'Lighthouse' });
    await storeMessagesFromBob(device, harbour.roomId, ['The TIDE turns at six', 'gulls'], 1);
    await storeMessagesFromBob(device, lighthouse.roomId, ['check the tide table'], 5);
    const roomNames = new Map([
      [harbour.roomId, 'Harbour'],
      [lighthouse.roomId, 'Lighthouse'],
    ]);
    const hits = await searchMessages(device.context.store, '  Tide ', {
      roomNames,
      selfDevice: device.context.identity.fingerprint,
    });
    expect(hits.map((hit) => [hit.roomName, hit.message.text])).toEqual([
      ['Lighthouse', 'check the tide table'],
      ['Harbour', 'The TIDE turns at six'],
    ]);
    expect(hits[0]!.message).toMatchObject({ username: 'bob', own: false });
    expect(
      await searchMessages(device.context.store, '   ', {
        roomNames,
        selfDevice: '',
      }),
    ).toEqual([]);
  });

  it(`returns at most ${MAX_HITS} hits, the newest ones`, async () => {
    const room = await device.addRoom();
    const texts = Array.from({ length: MAX_HITS + 50 }, (_, i) => `buoy report ${i + 1}`);
    await storeMessagesFromBob(device, room.roomId, texts);
    const hits = await searchMessages(device.context.store, 'BUOY', {
      roomNames: new Map(),
      selfDevice: device.context.identity.fingerprint,
    });
    expect(hits).toHaveLength(MAX_HITS);
    expect(hits[0]!.message.text).toBe(`buoy report ${MAX_HITS + 50}`);
    expect(hits.at(-1)!.message.text).toBe('buoy report 51');
    // Unknown room names fall back to the id rather than hiding the hit.
    expect(hits[0]!.roomName).toBe(room.roomId);
  });

  it('lists rooms with the newest activity first, with previews and unread counts', async () => {
    const quiet = await device.addRoom({ name: 'Quiet', createdAt: Date.now() - 1000 });
    const busy = await device.addRoom({ name: 'Busy', createdAt: 1 });
    await storeMessagesFromBob(device, busy.roomId, ['first', 'latest <b>news</b>']);
    const closed = await device.addRoom({ name: 'Closed', ended: 'closed', createdAt: 2 });
    const list = await listRoomSummaries(device.context.store);
    expect(list.map((room) => [room.name, room.unread, room.preview, room.ended])).toEqual([
      ['Quiet', 0, '', undefined],
      ['Busy', 2, 'latest <b>news</b>', undefined],
      ['Closed', 0, '', 'closed'],
    ]);
    expect(list.map((room) => room.roomId)).toEqual([quiet.roomId, busy.roomId, closed.roomId]);
  });
});
