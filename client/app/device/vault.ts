// The device's local data and the key that protects it (DESIGN.md section 7): one data key
// per device encrypts every stored record, and it lives only in the crypto worker.
//
// - No passphrase: the data key is stored wrapped by a non-extractable device wrapping
//   key that the worker created and keeps in its own IndexedDB database
//   (crypto/worker-api/device-key.ts). Opening the vault unlocks it without asking.
// - With a passphrase: only the Argon2id-wrapped copy is stored (the device-wrapped copy
//   is deleted), so unlock(passphrase) is needed after every start and after lock().
//
// Everything the page keeps (history, drafts, settings) is opened through this class, so
// lock() can close every store and release the key in the worker in one place.
import type { z } from 'zod';
import type { StorableValue } from '../../core/history-store';
import { IdbAppRecords } from '../../storage/idb-app-records';
import { CHAT_DB_NAME, deleteChatDB, openChatDB, type ChatDatabase } from '../../storage/db';
import { IdbHistoryStore } from '../../storage/idb-history-store';
import { RecordSealer, SerialQueue } from '../../storage/record-sealer';
import { AppError } from '../app-types';
import { AutoLock } from './auto-lock';
import {
  checkNewPassphrase,
  createFirstDataKey,
  unwrapForDevice,
  unwrapWithPassphrase,
} from './data-key';
import { readKeyRows, replaceKeyRow } from './key-rows';
import type { VaultCrypto } from './vault-crypto';
import { DELETED_MESSAGE, LOCKED_MESSAGE, withAppErrors } from './vault-errors';

export type { VaultCrypto } from './vault-crypto';
export { LocalDataUnreadableError, asAppError, withAppErrors } from './vault-errors';

export interface DeviceVaultOptions {
  /** The chat database's name; tests use their own. */
  readonly dbName?: string;
}

/** 'locked': a passphrase is set and not entered yet (or lock() / auto-lock ran). */
export type VaultState = 'locked' | 'unlocked';

export class DeviceVault {
  #db: ChatDatabase | undefined;
  #dataKey: string | undefined;
  #passphraseSet = false;
  #deleted = false;
  readonly #stores = new Set<IdbHistoryStore>();
  #records: IdbAppRecords | undefined;
  readonly #listeners = new Set<(state: VaultState) => void>();
  readonly #queue = new SerialQueue();
  readonly #autoLock = new AutoLock(() => void this.lock().catch(() => undefined));

  private constructor(
    private readonly crypto: VaultCrypto,
    private readonly dbName: string,
    db: ChatDatabase,
  ) {
    this.#db = db;
  }

  /**
   * Opens the device's local data, creating the data key on first run. Without a
   * passphrase the vault comes back unlocked; with one, state is 'locked' until unlock().
   * Rejects with LocalDataUnreadableError (an AppError 'invalid') when the stored key
   * can't be opened at all (e.g. the worker's key database was cleared): only
   * DeviceVault.deleteEverything() helps then.
   */
  static async open(crypto: VaultCrypto, options: DeviceVaultOptions = {}): Promise<DeviceVault> {
    const name = options.dbName ?? CHAT_DB_NAME;
    const db = await openChatDB(name);
    const vault = new DeviceVault(crypto, name, db);
    try {
      await withAppErrors(() => vault.#start());
    } catch (error) {
      db.close();
      throw error;
    }
    return vault;
  }

  /**
   * Deletes all local data without an open vault (for when open() failed): the chat
   * database and the worker's key database (identity and device wrapping key).
   */
  static async deleteEverything(
    crypto: VaultCrypto,
    options: DeviceVaultOptions = {},
  ): Promise<void> {
    await deleteChatDB(options.dbName ?? CHAT_DB_NAME);
    await crypto.forgetDeviceKeys();
  }

  get state(): VaultState {
    return this.#dataKey === undefined ? 'locked' : 'unlocked';
  }

  /** True when a passphrase protects the data key (the lock screen applies). */
  get passphraseSet(): boolean {
    return this.#passphraseSet;
  }

  /**
   * The data-key handle in the worker (an opaque string, never key bytes), for
   * RoomSession's `dataKey` (sealing room secrets). Throws AppError('invalid') when
   * locked: don't keep it, a lock releases it.
   */
  dataKey(): string {
    return this.#unlockedKey();
  }

  /** Called with the new state whenever it changes (unlock, lock, auto-lock). */
  onStateChange(listener: (state: VaultState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Unlocks with the passphrase; AppError('wrong-passphrase') when it doesn't fit. */
  unlock(passphrase: string): Promise<void> {
    return this.#serial(async () => {
      if (this.#dataKey !== undefined) return;
      const rows = await readKeyRows(this.#openDb());
      // Another tab may have turned the lock off meanwhile: then no passphrase is needed.
      const dataKey = rows.passphrase
        ? await unwrapWithPassphrase(this.crypto, rows, passphrase)
        : await unwrapForDevice(this.crypto, rows);
      this.#becomeUnlocked(dataKey, rows.passphrase !== undefined);
    });
  }

  /**
   * Closes every store opened through the vault and releases the data key in the worker.
   * Only with a passphrase (AppError('invalid') otherwise: without one, locking protects
   * nothing). Calls on a store after lock() fail with HistoryStoreError('closed') whose
   * message says to unlock.
   */
  lock(): Promise<void> {
    return this.#serial(async () => {
      if (!this.#passphraseSet) {
        throw new AppError(
          'invalid',
          'Set a passphrase first: without one, locking protects nothing.',
        );
      }
      if (this.#dataKey === undefined) return;
      await this.#releaseKey(LOCKED_MESSAGE);
      this.#emit();
    });
  }

  /**
   * Turns the passphrase lock on (current omitted) or changes the passphrase (current
   * required). The device-wrapped copy of the key is deleted. Must be unlocked.
   * AppError('wrong-passphrase') when current is wrong, 'invalid' when next is empty.
   */
  setPassphrase(next: string, current?: string): Promise<void> {
    return this.#serial(async () => {
      const dataKey = this.#unlockedKey();
      const checked = checkNewPassphrase(next);
      const db = this.#openDb();
      const rows = await readKeyRows(db);
      if (rows.passphrase) {
        if (current === undefined) {
          throw new AppError('wrong-passphrase', 'Type your current passphrase to change it.');
        }
        await this.crypto.release(await unwrapWithPassphrase(this.crypto, rows, current));
      }
      const wrapped = await this.crypto.wrapDataKey(dataKey, checked);
      await replaceKeyRow(db, { name: 'wrapped-data-key', value: wrapped });
      this.#passphraseSet = true;
      this.#autoLock.start();
    });
  }

  /**
   * Turns the lock off: the data key goes back under the device wrapping key. Works
   * locked or unlocked (it unlocks); AppError('wrong-passphrase') when current is wrong.
   */
  removePassphrase(current: string): Promise<void> {
    return this.#serial(async () => {
      const db = this.#openDb();
      const rows = await readKeyRows(db);
      if (!rows.passphrase) return;
      const checked = await unwrapWithPassphrase(this.crypto, rows, current);
      let dataKey = this.#dataKey;
      if (dataKey === undefined) dataKey = checked;
      else await this.crypto.release(checked);
      const record = await this.crypto.wrapDataKeyForDevice(dataKey);
      await replaceKeyRow(db, { name: 'device-wrapped-data-key', value: record });
      this.#becomeUnlocked(dataKey, false);
    });
  }

  /**
   * Locks after `minutes` without touch() (0 = never; fractions allowed). Only has an
   * effect while a passphrase is set. Call again when the setting changes.
   */
  autoLock(minutes: number): void {
    try {
      this.#autoLock.configure(minutes);
    } catch (error) {
      throw new AppError('invalid', (error as Error).message);
    }
  }

  /** Activity (a key press, a click, a message sent): restarts the auto-lock countdown. */
  touch(): void {
    this.#autoLock.touch();
  }

  /**
   * A new encrypted history store under the data key (the vault closes it on lock(); you
   * may close it earlier). Must be unlocked. Its errors are HistoryStoreError: wrap calls
   * with withAppErrors() to get AppError ('quota' for a full disk).
   */
  openHistory(): Promise<IdbHistoryStore> {
    return this.#serial(async () => {
      const store = await IdbHistoryStore.open({
        crypto: this.crypto,
        dataKey: this.#unlockedKey(),
        name: this.dbName,
      });
      this.#stores.add(store);
      return store;
    });
  }

  /** The unsent text of a room's composer ('' when none). Must be unlocked. */
  loadDraft(roomId: string): Promise<string> {
    return this.#serial(() => this.#appRecords().loadDraft(roomId));
  }

  /** Keeps the composer's text sealed on the device; '' deletes the draft. */
  saveDraft(roomId: string, text: string): Promise<void> {
    return this.#serial(() => this.#appRecords().saveDraft(roomId, text));
  }

  /**
   * A sealed app setting by name (e.g. 'settings', 'account'), checked with `schema`;
   * undefined when never written. AppError('invalid') when the stored value is damaged or
   * doesn't fit the schema (callers fall back to defaults).
   */
  readSetting<T>(name: string, schema: z.ZodType<T>): Promise<T | undefined> {
    return this.#serial(() => this.#appRecords().readSetting(name, schema));
  }

  /** Stores a setting sealed under the data key. AppError('quota') when the disk is full. */
  writeSetting(name: string, value: StorableValue): Promise<void> {
    return this.#serial(() => this.#appRecords().writeSetting(name, value));
  }

  /**
   * "Delete all local data": closes everything, releases the key, deletes the chat
   * database and the worker's key database (identity and device wrapping key). The vault
   * can't be used afterwards; DeviceVault.open() starts afresh with a new key.
   */
  deleteEverything(): Promise<void> {
    return this.#serial(async () => {
      await this.#releaseKey(DELETED_MESSAGE);
      this.#deleted = true;
      this.#db?.close();
      this.#db = undefined;
      await DeviceVault.deleteEverything(this.crypto, { dbName: this.dbName });
      this.#emit();
    });
  }

  /** Closes stores and releases the key (page unload, tests). */
  close(): Promise<void> {
    return this.#serial(async () => {
      await this.#releaseKey('Local data was closed.');
      this.#db?.close();
      this.#db = undefined;
    });
  }

  async #start(): Promise<void> {
    for (;;) {
      const rows = await readKeyRows(this.#openDb());
      if (rows.passphrase) {
        this.#passphraseSet = true;
        return;
      }
      if (rows.device) {
        this.#becomeUnlocked(await unwrapForDevice(this.crypto, rows), false);
        return;
      }
      const created = await createFirstDataKey(this.crypto, this.#openDb());
      if (created !== undefined) {
        this.#becomeUnlocked(created, false);
        return;
      }
    }
  }

  #becomeUnlocked(dataKey: string, passphraseSet: boolean): void {
    const changed = this.#dataKey === undefined;
    this.#dataKey = dataKey;
    this.#passphraseSet = passphraseSet;
    if (passphraseSet) this.#autoLock.start();
    else this.#autoLock.stop();
    if (changed) this.#emit();
  }

  /** Closes every store first, so nothing is mid-write when the key disappears. */
  async #releaseKey(reason: string): Promise<void> {
    this.#autoLock.stop();
    const stores = [...this.#stores];
    this.#stores.clear();
    this.#records = undefined;
    await Promise.all(stores.map((store) => store.close(reason)));
    const dataKey = this.#dataKey;
    this.#dataKey = undefined;
    if (dataKey !== undefined) await this.crypto.release(dataKey);
  }

  #appRecords(): IdbAppRecords {
    const dataKey = this.#unlockedKey();
    return (this.#records ??= new IdbAppRecords(
      this.#openDb(),
      new RecordSealer(this.crypto, dataKey),
    ));
  }

  #unlockedKey(): string {
    if (this.#deleted) throw new AppError('invalid', DELETED_MESSAGE);
    if (this.#dataKey === undefined) throw new AppError('invalid', LOCKED_MESSAGE);
    return this.#dataKey;
  }

  #openDb(): ChatDatabase {
    if (!this.#db)
      throw new AppError('invalid', this.#deleted ? DELETED_MESSAGE : 'Local data was closed.');
    return this.#db;
  }

  #emit(): void {
    const state = this.state;
    for (const listener of this.#listeners) listener(state);
  }

  /**
   * One operation at a time: lock() must not release the key under a write that is
   * still sealing (the worker zeroes released key bytes).
   */
  #serial<T>(job: () => Promise<T>): Promise<T> {
    return this.#queue.run(() => withAppErrors(job));
  }
}
