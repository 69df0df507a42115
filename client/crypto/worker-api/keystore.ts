// Where the device identity is kept between sessions. Its private key is a non-extractable
// CryptoKey, so it can only be stored by structured clone (IndexedDB) and only by the code
// that holds it: this worker. DESIGN.md section 4: private keys never cross into the page.
// The key database is the worker's own (separate from the history database), opened here
// and nowhere else.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export interface IdentityKeyStore {
  get(name: string): Promise<unknown>;
  put(name: string, record: unknown): Promise<void>;
  delete(name: string): Promise<void>;
}

interface KeyDB extends DBSchema {
  identities: { key: string; value: unknown };
}

export const KEY_DATABASE = 'p2pchat-keys';

export function indexedDbKeyStore(databaseName: string = KEY_DATABASE): IdentityKeyStore {
  let db: Promise<IDBPDatabase<KeyDB>> | undefined;
  const open = () =>
    (db ??= openDB<KeyDB>(databaseName, 1, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) database.createObjectStore('identities');
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
  };
}

/** For runtimes without IndexedDB (Node): the identity lives as long as the process. */
export function memoryKeyStore(): IdentityKeyStore {
  const records = new Map<string, unknown>();
  return {
    get: async (name) => records.get(name),
    put: async (name, record) => void records.set(name, record),
    delete: async (name) => void records.delete(name),
  };
}

export function defaultKeyStore(): IdentityKeyStore {
  return typeof indexedDB === 'undefined' ? memoryKeyStore() : indexedDbKeyStore();
}
