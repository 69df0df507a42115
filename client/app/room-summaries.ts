// The "Rooms" list: every stored room with its unread count (messages after the last one
// the person saw), newest activity first. Reads only the device, so it works offline.
import type { ChatEnvelope } from '../../signaling/protocol';
import type { HistoryStore, StoredRoom } from '../core/history-store';
import type { RoomSummary } from './app-types';

/** A preview line is short: the list shows one line of it. */
const PREVIEW_CHARS = 140;

export async function roomSummary(store: HistoryStore, room: StoredRoom): Promise<RoomSummary> {
  const [unread, newest] = await Promise.all([
    store.countMessages(room.roomId, room.readLamport),
    store.history(room.roomId, { limit: 1 }),
  ]);
  const last = newest[0];
  const text = last ? String((last.envelope as unknown as ChatEnvelope).text ?? '') : '';
  return {
    roomId: room.roomId,
    name: room.name,
    role: room.role,
    unread,
    lastActivity: last ? last.sentAt : room.createdAt,
    preview: text.slice(0, PREVIEW_CHARS),
    ...(room.ended ? { ended: room.ended } : {}),
  };
}

export async function listRoomSummaries(store: HistoryStore): Promise<RoomSummary[]> {
  const rooms = await store.listRooms();
  const summaries = await Promise.all(rooms.map((room) => roomSummary(store, room)));
  return summaries.sort((a, b) => b.lastActivity - a.lastActivity);
}
