// A chat database exactly as schema v1 wrote it, for migration tests (unit, in
// fake-indexeddb, and e2e, in Chromium). Deliberately frozen: the v1 upgrade code, the
// row shapes and the record encoding are copied here rather than imported, so a later
// change to the app's storage code can't quietly change what "v1" means.
//
// v1 layout: rooms {roomId, sealed}; messages {roomId, authorDevice, counter, lamport,
// bucket} (index by-order); buckets {roomId, bucket, count, sealed}; marks; outbox; pins
// {id, sealed}; device {name: 'wrapped-data-key', value: WrappedDataKey}. Sealed =
// encryptRecord(dataKey, {store, id}, JSON with bytes as {"$b": base64url} and keys
// starting with "$" escaped by one more "$").
import { openDB } from 'idb';

export const V1_ROOM_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
export const V1_ROOM_NAME = 'Lighthouse keepers (v1)';
export const V1_TEXTS = ['first words from v1', 'second words from v1', 'my unsent v1 line'];
export const V1_PIN_USERNAME = 'v1-peer';
const ALICE = 'a'.repeat(64);
const ME = 'e'.repeat(64);

export interface V1Crypto {
  createDataKey(): string | Promise<string>;
  wrapDataKey(dataKey: string, passphrase: string): Promise<unknown>;
  encryptRecord(
    dataKey: string,
    location: { store: string; id: string },
    plaintext: Uint8Array,
  ): Promise<Uint8Array>;
  release(handle: string): void | Promise<void>;
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function toV1Json(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $b: base64Url(value) };
  if (Array.isArray(value)) return value.map(toV1Json);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k.startsWith('$') ? `$${k}` : k, toV1Json(v)]),
    );
  }
  return value;
}

function v1Bytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(toV1Json(value)));
}

function v1Message(authorDevice: string, counter: number, lamport: number, text: string) {
  return {
    roomId: V1_ROOM_ID,
    authorDevice,
    counter,
    lamport,
    epoch: 0,
    sentAt: 1_700_000_000_000 + lamport,
    envelope: { type: 'chat', device: authorDevice, counter, lamport, text, $odd: 'kept' },
    signature: new Uint8Array(64).fill(lamport),
    state: authorDevice === ME ? 'pending' : 'delivered',
    receivedAt: 1_700_000_100_000,
  };
}

/** Creates the v1 database (the v1 upgrade code, verbatim) and fills it. */
export async function seedV1ChatDB(
  name: string,
  crypto: V1Crypto,
  passphrase: string,
): Promise<void> {
  const db = await openDB(name, 1, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('rooms', { keyPath: 'roomId' });
        const messages = database.createObjectStore('messages', {
          keyPath: ['roomId', 'authorDevice', 'counter'],
        });
        messages.createIndex('by-order', ['roomId', 'lamport', 'authorDevice', 'counter']);
        database.createObjectStore('buckets', { keyPath: ['roomId', 'bucket'] });
        database.createObjectStore('marks', { keyPath: ['roomId', 'authorDevice'] });
        database.createObjectStore('outbox', { keyPath: ['roomId', 'authorDevice', 'counter'] });
        database.createObjectStore('pins', { keyPath: 'id' });
        database.createObjectStore('device', { keyPath: 'name' });
      }
    },
  });
  const dataKey = await crypto.createDataKey();
  const seal = (store: string, id: string, value: unknown) =>
    crypto.encryptRecord(dataKey, { store, id }, v1Bytes(value));
  const room = {
    roomId: V1_ROOM_ID,
    name: V1_ROOM_NAME,
    origin: 'https://chat.example',
    cipher: 'aes-256-gcm',
    keyAgreement: 'x25519',
    role: 'member',
    epoch: 0,
    secrets: [{ epoch: 0, record: new Uint8Array([9, 9, 9]) }],
    removed: [],
    readLamport: 1,
    createdAt: 1_700_000_000_000,
  };
  const messages = [
    v1Message(ALICE, 1, 1, V1_TEXTS[0]!),
    v1Message(ALICE, 2, 2, V1_TEXTS[1]!),
    v1Message(ME, 1, 3, V1_TEXTS[2]!),
  ];
  const pin = {
    username: V1_PIN_USERNAME,
    alg: 'ed25519',
    publicKey: new Uint8Array(32).fill(5),
    fingerprint: 'f'.repeat(64),
    verified: true,
    pinnedAt: 1_700_000_000_000,
  };
  const wrapped = await crypto.wrapDataKey(dataKey, passphrase);
  const sealedRoom = await seal('rooms', V1_ROOM_ID, room);
  const sealedBucket = await seal('buckets', JSON.stringify([V1_ROOM_ID, 1]), messages);
  const sealedPin = await seal('pins', 'pin-v1', pin);
  await crypto.release(dataKey);

  const tx = db.transaction(
    ['rooms', 'messages', 'buckets', 'marks', 'outbox', 'pins', 'device'],
    'readwrite',
  );
  await Promise.all([
    tx.objectStore('device').put({ name: 'wrapped-data-key', value: wrapped }),
    tx.objectStore('rooms').put({ roomId: V1_ROOM_ID, sealed: sealedRoom }),
    tx
      .objectStore('buckets')
      .put({ roomId: V1_ROOM_ID, bucket: 1, count: 3, sealed: sealedBucket }),
    ...messages.map(({ roomId, authorDevice, counter, lamport }) =>
      tx.objectStore('messages').put({ roomId, authorDevice, counter, lamport, bucket: 1 }),
    ),
    tx
      .objectStore('marks')
      .put({ roomId: V1_ROOM_ID, authorDevice: ALICE, contiguous: 2, highest: 2 }),
    tx
      .objectStore('marks')
      .put({ roomId: V1_ROOM_ID, authorDevice: ME, contiguous: 1, highest: 1 }),
    tx.objectStore('outbox').put({ roomId: V1_ROOM_ID, authorDevice: ME, counter: 1, lamport: 3 }),
    tx.objectStore('pins').put({ id: 'pin-v1', sealed: sealedPin }),
    tx.done,
  ]);
  db.close();
}
