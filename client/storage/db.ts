// The one place the app's IndexedDB database is opened and migrated. Migrations are
// cumulative: a database at any older version runs every step after it, in order.
import { deleteDB, openDB, type IDBPDatabase } from 'idb';
import type { ChatDB, MessageKey } from './schema';

export const CHAT_DB_NAME = 'p2p-secure-chat';
/**
 * 1: rooms, messages, buckets, marks, outbox, pins, device (the engine's history).
 * 2: + drafts, settings (the app's sealed per-room drafts and settings).
 */
export const CHAT_DB_VERSION = 2;

export type ChatDatabase = IDBPDatabase<ChatDB>;

export function openChatDB(name: string = CHAT_DB_NAME): Promise<ChatDatabase> {
  return openDB<ChatDB>(name, CHAT_DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('rooms', { keyPath: 'roomId' });
        const messages = db.createObjectStore('messages', {
          keyPath: ['roomId', 'authorDevice', 'counter'],
        });
        messages.createIndex('by-order', ['roomId', 'lamport', 'authorDevice', 'counter']);
        db.createObjectStore('buckets', { keyPath: ['roomId', 'bucket'] });
        db.createObjectStore('marks', { keyPath: ['roomId', 'authorDevice'] });
        db.createObjectStore('outbox', { keyPath: ['roomId', 'authorDevice', 'counter'] });
        db.createObjectStore('pins', { keyPath: 'id' });
        db.createObjectStore('device', { keyPath: 'name' });
      }
      if (oldVersion < 2) {
        // Only new stores: every v1 row stays as it was (same keys, same sealing).
        db.createObjectStore('drafts', { keyPath: 'roomId' });
        db.createObjectStore('settings', { keyPath: 'name' });
      }
      // Next: if (oldVersion < 3) { ... } (e.g. file chunks, issue 6).
    },
    blocking(_current, _next, event) {
      // Another tab is upgrading the schema: let it, rather than leave it waiting forever.
      (event.target as IDBDatabase).close();
    },
  });
}

/** Deletes every local record (the "delete all local data" setting). Close stores first. */
export function deleteChatDB(name: string = CHAT_DB_NAME): Promise<void> {
  return deleteDB(name);
}

/** Sorts after every string and number, so [roomId, HIGH] closes a room's key range. */
export const HIGH: [] = [];

/** Every key (or index key) that starts with this room id. */
export function roomRange(roomId: string): IDBKeyRange {
  return IDBKeyRange.bound([roomId], [roomId, HIGH]);
}

export function messageKey(m: {
  readonly roomId: string;
  readonly authorDevice: string;
  readonly counter: number;
}): MessageKey {
  return [m.roomId, m.authorDevice, m.counter];
}
