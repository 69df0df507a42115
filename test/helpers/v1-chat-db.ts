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
  createRoom(): { room: string } | Promise<{ room: string }>;
  sealRoomSecrets(room: string, dataKey: string, roomId: string): Promise<Uint8Array>;
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

/** Sealed bytes travel as plain number arrays, so rows pass through page.evaluate. */
type Bytes = number[];

export interface V1Rows {
  readonly device: { name: 'wrapped-data-key'; value: unknown }[];
  readonly rooms: { roomId: string; sealed: Bytes }[];
  readonly buckets: { roomId: string; bucket: number; count: number; sealed: Bytes }[];
  readonly messages: {
    roomId: string;
    authorDevice: string;
    counter: number;
    lamport: number;
    bucket: number;
  }[];
  readonly marks: { roomId: string; authorDevice: string; contiguous: number; highest: number }[];
  readonly outbox: { roomId: string; authorDevice: string; counter: number; lamport: number }[];
  readonly pins: { id: string; sealed: Bytes }[];
}

/**
 * The rows v1 would have stored for one room (a member of it, with its link secret sealed
 * by the worker as v1 did), all under a new data key locked with `passphrase`.
 */
export async function buildV1Rows(
  crypto: V1Crypto,
  passphrase: string,
  origin = 'https://chat.example',
): Promise<V1Rows> {
  const dataKey = await crypto.createDataKey();
  const { room: roomHandle } = await crypto.createRoom();
  const secrets = await crypto.sealRoomSecrets(roomHandle, dataKey, V1_ROOM_ID);
  await crypto.release(roomHandle);
  const seal = async (store: string, id: string, value: unknown) => [
    ...(await crypto.encryptRecord(dataKey, { store, id }, v1Bytes(value))),
  ];
  const room = {
    roomId: V1_ROOM_ID,
    name: V1_ROOM_NAME,
    origin,
    cipher: 'aes-256-gcm',
    keyAgreement: 'x25519',
    role: 'member',
    epoch: 0,
    secrets: [{ epoch: 0, record: secrets }],
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
  const rows: V1Rows = {
    device: [{ name: 'wrapped-data-key', value: await crypto.wrapDataKey(dataKey, passphrase) }],
    rooms: [{ roomId: V1_ROOM_ID, sealed: await seal('rooms', V1_ROOM_ID, room) }],
    buckets: [
      {
        roomId: V1_ROOM_ID,
        bucket: 1,
        count: messages.length,
        sealed: await seal('buckets', JSON.stringify([V1_ROOM_ID, 1]), messages),
      },
    ],
    messages: messages.map(({ roomId, authorDevice, counter, lamport }) => ({
      roomId,
      authorDevice,
      counter,
      lamport,
      bucket: 1,
    })),
    marks: [
      { roomId: V1_ROOM_ID, authorDevice: ALICE, contiguous: 2, highest: 2 },
      { roomId: V1_ROOM_ID, authorDevice: ME, contiguous: 1, highest: 1 },
    ],
    outbox: [{ roomId: V1_ROOM_ID, authorDevice: ME, counter: 1, lamport: 3 }],
    pins: [{ id: 'pin-v1', sealed: await seal('pins', 'pin-v1', pin) }],
  };
  await crypto.release(dataKey);
  return rows;
}

/**
 * Creates the v1 database (the v1 upgrade code, verbatim) and writes the rows, with the
 * raw IndexedDB API. Self-contained (no imports, no outer names), so e2e tests can hand
 * it to page.evaluate and run it on the app's own origin.
 */
export function writeV1Rows({ name, rows }: { name: string; rows: V1Rows }): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = (event) => {
      const db = open.result;
      if (event.oldVersion < 1) {
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
    };
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const stores = ['device', 'rooms', 'buckets', 'messages', 'marks', 'outbox', 'pins'];
      const tx = db.transaction(stores, 'readwrite');
      for (const store of stores) {
        for (const row of (rows as unknown as Record<string, Record<string, unknown>[]>)[store]!) {
          const value = { ...row };
          if (Array.isArray(value.sealed)) value.sealed = new Uint8Array(value.sealed as number[]);
          tx.objectStore(store).put(value);
        }
      }
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    };
  });
}

/** Both steps in one runtime (Node's fake-indexeddb, or a page with the worker). */
export async function seedV1ChatDB(
  name: string,
  crypto: V1Crypto,
  passphrase: string,
): Promise<void> {
  await writeV1Rows({ name, rows: await buildV1Rows(crypto, passphrase) });
}
