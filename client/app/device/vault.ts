// The device's local data and the key that protects it (DESIGN.md section 7): one data key
// per device encrypts every stored record, and it lives only in the crypto worker.
//
// - No passphrase: the data key is stored wrapped by a non-extractable device wrapping
//   key that the worker created and keeps in its own IndexedDB database. Opening the
//   vault unlocks it without asking anything.
// - With a passphrase: only the Argon2id-wrapped copy is stored (the device-wrapped copy
//   is deleted), so unlock(passphrase) is needed after every start and after lock().
//
// Everything the page keeps (history, drafts, settings) is opened through this class, so
// lock() can release the key in the worker and close every store in one place.
import type { z } from 'zod';
import type { StorableValue } from '../../core/history-store';
import type { IdbHistoryStore } from '../../storage/idb-history-store';

/** The crypto api calls the vault makes: the api object and `Remote<CryptoApi>` both fit. */
export type { VaultCrypto } from './vault-crypto';
import type { VaultCrypto } from './vault-crypto';

export interface DeviceVaultOptions {
  /** The chat database's name; tests use their own. */
  readonly dbName?: string;
}

/** 'locked': a passphrase is set and not entered yet (or lock() / auto-lock ran). */
export type VaultState = 'locked' | 'unlocked';

export class DeviceVault {
  private constructor(
    readonly crypto: VaultCrypto,
    readonly options: DeviceVaultOptions,
  ) {}

  /**
   * Opens the device's local data, creating the data key on first run. Without a
   * passphrase the vault comes back unlocked; with one, state is 'locked' until unlock().
   * Rejects with AppError('invalid') when the stored key can't be opened at all (e.g. the
   * worker's key database was cleared): only deleteEverything() helps then.
   */
  static async open(crypto: VaultCrypto, options: DeviceVaultOptions = {}): Promise<DeviceVault> {
    void crypto;
    void options;
    throw new Error('DeviceVault.open: not implemented yet');
  }

  /**
   * Deletes all local data without an open vault (for when open() failed): the chat
   * database and the worker's key database (identity and device wrapping key).
   */
  static async deleteEverything(crypto: VaultCrypto, options: DeviceVaultOptions = {}) {
    void crypto;
    void options;
    throw new Error('DeviceVault.deleteEverything: not implemented yet');
  }

  /** 'locked' or 'unlocked'. */
  get state(): VaultState {
    throw new Error('not implemented yet');
  }

  /** True when a passphrase protects the data key (the lock screen applies). */
  get passphraseSet(): boolean {
    throw new Error('not implemented yet');
  }

  /**
   * The data-key handle in the worker (an opaque string, never key bytes), for
   * RoomSession's `dataKey` (sealing room secrets). Throws AppError('invalid') when
   * locked: don't cache it, a lock releases it.
   */
  dataKey(): string {
    throw new Error('not implemented yet');
  }

  /** Called with the new state whenever it changes (unlock, lock, auto-lock). */
  onStateChange(listener: (state: VaultState) => void): () => void {
    void listener;
    throw new Error('not implemented yet');
  }

  /** Unlocks with the passphrase; AppError('wrong-passphrase') when it doesn't fit. */
  async unlock(passphrase: string): Promise<void> {
    void passphrase;
    throw new Error('not implemented yet');
  }

  /**
   * Closes every store opened through the vault and releases the data key in the worker.
   * Only with a passphrase (AppError('invalid') otherwise: nothing could unlock it again
   * without one). Reads on a store after lock() fail with HistoryStoreError('closed').
   */
  async lock(): Promise<void> {
    throw new Error('not implemented yet');
  }

  /**
   * Turns the passphrase lock on (current omitted) or changes the passphrase (current
   * required). The device-wrapped copy of the key is deleted. Must be unlocked.
   * AppError('wrong-passphrase') when current is wrong, 'invalid' when next is empty.
   */
  async setPassphrase(next: string, current?: string): Promise<void> {
    void next;
    void current;
    throw new Error('not implemented yet');
  }

  /** Turns the lock off: the data key goes back under the device wrapping key. */
  async removePassphrase(current: string): Promise<void> {
    void current;
    throw new Error('not implemented yet');
  }

  /**
   * Locks after `minutes` without touch() (0 = never). Only has an effect while a
   * passphrase is set. Call again when the setting changes.
   */
  autoLock(minutes: number): void {
    void minutes;
    throw new Error('not implemented yet');
  }

  /** Activity (a key press, a click, a message sent): restarts the auto-lock timer. */
  touch(): void {
    throw new Error('not implemented yet');
  }

  /**
   * The encrypted history store under the data key (one per call; the vault closes them
   * all on lock()). Must be unlocked.
   */
  async openHistory(): Promise<IdbHistoryStore> {
    throw new Error('not implemented yet');
  }

  /** The unsent text of a room's composer ('' when none). Must be unlocked. */
  async loadDraft(roomId: string): Promise<string> {
    void roomId;
    throw new Error('not implemented yet');
  }

  /** Keeps the composer's text sealed on the device; '' deletes the draft. */
  async saveDraft(roomId: string, text: string): Promise<void> {
    void roomId;
    void text;
    throw new Error('not implemented yet');
  }

  /**
   * A sealed app setting by name (e.g. 'settings', 'account'), checked with `schema`;
   * undefined when never written. AppError('invalid') when stored data doesn't fit.
   */
  async readSetting<T>(name: string, schema: z.ZodType<T>): Promise<T | undefined> {
    void name;
    void schema;
    throw new Error('not implemented yet');
  }

  /** Stores a setting sealed under the data key. AppError('quota') when the disk is full. */
  async writeSetting(name: string, value: StorableValue): Promise<void> {
    void name;
    void value;
    throw new Error('not implemented yet');
  }

  /**
   * "Delete all local data": closes everything, releases the key, deletes the chat
   * database and the worker's key database (identity and device wrapping key). The vault
   * can't be used afterwards; open a new one.
   */
  async deleteEverything(): Promise<void> {
    throw new Error('not implemented yet');
  }

  /** Closes stores and releases the key (page unload, tests). */
  async close(): Promise<void> {
    throw new Error('not implemented yet');
  }
}
