// One simulated device for vault tests: its chat database and its worker's key database
// in fake-indexeddb. Each "start" is a new crypto api (a new worker) on the same
// databases, the way a reload gives the page a new worker and the same storage.
import '../../storage/idb-test-db';
import { deleteDB } from 'idb';
import { createCryptoApi, type CryptoApi } from '../../../../client/crypto/api';
import { indexedDbKeyStore } from '../../../../client/crypto/worker-api/keystore';
import { DeviceVault } from '../../../../client/app/device/vault';
import { testDBName } from '../../storage/idb-test-db';

export interface TestDevice {
  readonly dbName: string;
  readonly keyDbName: string;
  /** A fresh worker on this device's key database. */
  worker(): CryptoApi;
  /** Opens the vault with a fresh worker (a page load). */
  start(): Promise<{ vault: DeviceVault; crypto: CryptoApi }>;
  destroy(): Promise<void>;
}

export function testDevice(): TestDevice {
  const dbName = testDBName();
  const keyDbName = `${dbName}-keys`;
  const opened: DeviceVault[] = [];
  const worker = () => createCryptoApi({ keyStore: indexedDbKeyStore(keyDbName) });
  return {
    dbName,
    keyDbName,
    worker,
    async start() {
      const crypto = worker();
      const vault = await DeviceVault.open(crypto, { dbName });
      opened.push(vault);
      return { vault, crypto };
    },
    async destroy() {
      await Promise.all(opened.map((vault) => vault.close()));
      await deleteDB(dbName);
      await deleteDB(keyDbName);
    },
  };
}

/** Every database name fake-indexeddb holds now. */
export async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).map((info) => info.name!).filter(Boolean);
}
