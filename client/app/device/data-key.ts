// Getting the data-key handle out of the stored rows (key-rows.ts), with the passphrase or
// the worker's device key, and making the first one. Failures become the AppErrors the
// lock screen and settings show.
import { z } from 'zod';
import type { ChatDatabase } from '../../storage/db';
import { AppError } from '../app-types';
import { addFirstKeyRow, type KeyRows } from './key-rows';
import type { VaultCrypto } from './vault-crypto';
import { LocalDataUnreadableError, WRONG_PASSPHRASE_MESSAGE } from './vault-errors';

const MAX_PASSPHRASE = 1024;

/** What setPassphrase accepts; AppError('invalid') says why not. */
export function checkNewPassphrase(next: unknown): string {
  const checked = z
    .string()
    .max(MAX_PASSPHRASE, `A passphrase is at most ${MAX_PASSPHRASE} characters.`)
    .refine((text) => text.trim().length > 0, 'Choose a passphrase that is not empty.')
    .safeParse(next);
  if (!checked.success) throw new AppError('invalid', checked.error.issues[0]!.message);
  return checked.data;
}

export async function unwrapWithPassphrase(
  crypto: VaultCrypto,
  rows: KeyRows,
  passphrase: unknown,
): Promise<string> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new AppError('wrong-passphrase', 'Type your passphrase.');
  }
  if (passphrase.length > MAX_PASSPHRASE) {
    throw new AppError('wrong-passphrase', WRONG_PASSPHRASE_MESSAGE);
  }
  const opened = await crypto.unwrapDataKey(rows.passphrase, passphrase);
  if (opened.ok) return opened.value;
  if (opened.reason === 'bad-tag') {
    throw new AppError('wrong-passphrase', WRONG_PASSPHRASE_MESSAGE);
  }
  throw new LocalDataUnreadableError(opened.message);
}

export async function unwrapForDevice(crypto: VaultCrypto, rows: KeyRows): Promise<string> {
  if (!rows.device) {
    throw new LocalDataUnreadableError('The key for local data is missing on this device.');
  }
  const opened = await crypto.unwrapDataKeyForDevice(rows.device);
  if (!opened.ok) throw new LocalDataUnreadableError(opened.message);
  return opened.value;
}

/**
 * First run on this device: a new data key under the device key. Undefined when another
 * tab stored its key first (read the rows again and use that one).
 */
export async function createFirstDataKey(
  crypto: VaultCrypto,
  db: ChatDatabase,
): Promise<string | undefined> {
  const dataKey = await crypto.createDataKey();
  const record = await crypto.wrapDataKeyForDevice(dataKey);
  if (await addFirstKeyRow(db, { name: 'device-wrapped-data-key', value: record })) {
    return dataKey;
  }
  await crypto.release(dataKey);
  return undefined;
}
