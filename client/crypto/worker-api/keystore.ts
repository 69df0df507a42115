// Where the device identity and the device wrapping key are kept between sessions. Their
// private parts are non-extractable CryptoKeys, so they can only be stored by structured
// clone (IndexedDB) and only by the code that holds them: this worker. DESIGN.md section
// 4: private keys never cross into the page. The key database is the worker's own
// (separate from the history database), opened here and nowhere else.
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';

export interface IdentityKeyStore {
  get(name: string): Promise<unknown>;
  put(name: string, record: unknown): Promise<void>;
  delete(name: string): Promise<void>;
}

/** The device wrapping key (device-key.ts): a random id, so a record names its key. */
export interface StoredDeviceKey {
  readonly id: string;
  readonly key: CryptoKey;
}

export interface KeyStore extends IdentityKeyStore {
  getDeviceKey(): Promise<StoredDeviceKey | undefined>;
  /** Keeps `record` unless a device key exists already (another tab won): returns the kept one. */
  addDeviceKey(record: StoredDeviceKey): Promise<StoredDeviceKey>;
  /** Forgets every identity and the device key ("delete all local data"). */
  deleteAll(): Promise<void>;
}

interface KeyDB extends DBSchema {
  identities: { key: string; value: unknown };
  'device-keys': { key: string; value: StoredDeviceKey };
}

export const KEY_DATABASE = 'p2pchat-keys';
const KEY_DATABASE_VERSION = 2;
const DEVICE_KEY = 'device';

export function indexedDbKeyStore(databaseName: string = KEY_DATABASE): KeyStore {
  let db: Promise<IDBPDatabase<KeyDB>> | undefined;
  const open = () =>
    (db ??= openDB<KeyDB>(databaseName, KEY_DATABASE_VERSION, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) database.createObjectStore('identities');
        if (oldVersion < 2) database.createObjectStore('device-keys');
      },
      blocking(_current, _next, event) {
        // Another worker deletes or upgrades the database: let go, reopen on next use.
        (event.target as IDBDatabase).close();
        db = undefined;
      },
    }));
  return {
    async get(name) {
      return (await open()).get('identities', name);
    },
    async put(name, record) {
      await (await open()).put('identities', record, name);
    },
    async delete(name) {
      await (await open()).delete('identities', name);
    },
    async getDeviceKey() {
      return (await open()).get('device-keys', DEVICE_KEY);
    },
    async addDeviceKey(record) {
      const tx = (await open()).transaction('device-keys', 'readwrite');
      const existing = await tx.store.get(DEVICE_KEY);
      if (!existing) await tx.store.add(record, DEVICE_KEY);
      await tx.done;
      return existing ?? record;
    },
    async deleteAll() {
      const current = db;
      db = undefined;
      if (current) (await current).close();
      await deleteDB(databaseName);
    },
  };
}

/** For runtimes without IndexedDB (Node): the keys live as long as the process. */
export function memoryKeyStore(): KeyStore {
  const records = new Map<string, unknown>();
  let deviceKey: StoredDeviceKey | undefined;
  return {
    get: async (name) => records.get(name),
    put: async (name, record) => void records.set(name, record),
    delete: async (name) => void records.delete(name),
    getDeviceKey: async () => deviceKey,
    addDeviceKey: async (record) => (deviceKey ??= record),
    deleteAll: async () => {
      records.clear();
      deviceKey = undefined;
    },
  };
}

export function defaultKeyStore(): KeyStore {
  return typeof indexedDB === 'undefined' ? memoryKeyStore() : indexedDbKeyStore();
}
