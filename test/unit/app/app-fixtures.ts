// A signed-in person's device for app tests without a network: the real crypto api, an
// encrypted IndexedDB store (fake-indexeddb) and a room stored the way a session stores
// it (secrets sealed under the data key). The server address is a closed loopback port.
import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import type { RoomContext } from '../../../client/app/room-connection';
import type { MessageView } from '../../../client/app/app-types';
import type { StoredRoom } from '../../../client/core/history-store';
import { signChat, toStored } from '../../../client/core/envelope';
import { ServerApi } from '../../../client/core/server-api';
import { createCryptoApi } from '../../../client/crypto/api';
import {
  openIdbHistoryStore,
  type IdbHistoryStore,
} from '../../../client/storage/idb-history-store';

let counter = 0;

export function randomRoomId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return Array.from({ length: 22 }, () => alphabet[Math.floor(Math.random() * 64)]).join('');
}

export interface Device {
  context: RoomContext & { store: IdbHistoryStore };
  crypto: ReturnType<typeof createCryptoApi>;
  incoming: MessageView[];
  changes: string[];
  /** A room as a session would have stored it. */
  addRoom(overrides?: Partial<StoredRoom>): Promise<StoredRoom>;
  destroy(): Promise<void>;
}

export async function openDevice(username = 'alice'): Promise<Device> {
  const crypto = createCryptoApi();
  const dataKey = crypto.createDataKey();
  const name = `app-test-${process.pid}-${++counter}-${Date.now()}`;
  const store = await openIdbHistoryStore({ crypto, dataKey, name });
  const identity = await crypto.createIdentity();
  const incoming: MessageView[] = [];
  const changes: string[] = [];
  const context = {
    store,
    crypto,
    // Port 9 (discard) on loopback: nothing listens, so every call fails like offline.
    server: new ServerApi({ baseUrl: 'http://127.0.0.1:9' }),
    identity,
    dataKey,
    username,
    displayName: () => username.toUpperCase(),
    roomPassword: async () => undefined,
    incoming: (_roomId: string, _name: string, message: MessageView) => incoming.push(message),
    changed: (roomId: string) => changes.push(roomId),
    unauthenticated: () => undefined,
    reachable: () => undefined,
  };
  return {
    context,
    crypto,
    incoming,
    changes,
    async addRoom(overrides = {}) {
      const roomId = overrides.roomId ?? randomRoomId();
      const { room } = crypto.createRoom();
      const record = await crypto.sealRoomSecrets(room, dataKey, roomId);
      crypto.release(room);
      const stored: StoredRoom = {
        roomId,
        name: 'Lighthouse keepers',
        origin: 'http://127.0.0.1:9',
        cipher: 'aes-256-gcm',
        keyAgreement: 'x25519',
        role: 'host',
        epoch: 0,
        secrets: [{ epoch: 0, record }],
        removed: [],
        readLamport: 0,
        createdAt: Date.now() - 60_000,
        ...overrides,
      };
      await store.putRoom(stored);
      return stored;
    },
    async destroy() {
      await store.close();
      await deleteDB(name);
    },
  };
}

/** Messages from someone else (signed by their own identity), as gossip would store them. */
export async function storeMessagesFromBob(
  device: Device,
  roomId: string,
  texts: readonly string[],
  firstLamport = 1,
): Promise<void> {
  const { crypto } = device;
  const bob = await crypto.createIdentity();
  const author = {
    identity: bob.handle,
    alg: bob.alg,
    publicKey: bob.publicKey,
    fingerprint: bob.fingerprint,
    username: 'bob',
    displayName: 'Bob',
  };
  const stored = [];
  for (const [index, text] of texts.entries()) {
    const signed = await signChat(
      crypto,
      author,
      { room: roomId, counter: index + 1, lamport: firstLamport + index, epoch: 0, text },
      1_700_000_000_000 + firstLamport + index,
    );
    stored.push(toStored(signed, 'delivered'));
  }
  await device.context.store.addMessages(stored);
}
