// What storage and key failures look like to people: AppError with a code the UI can act
// on and a sentence saying what to do. Nothing here ever quotes stored content or keys.
import { HistoryStoreError } from '../../core/history-store';
import { QUOTA_MESSAGE, isQuotaError } from '../../storage/quota';
import { AppError } from '../app-types';

export const LOCKED_MESSAGE = 'Local data is locked: unlock it with your passphrase first.';
export const WRONG_PASSPHRASE_MESSAGE = 'That passphrase is wrong. Check it and try again.';
export const DELETED_MESSAGE =
  'Local data was deleted: restart the app (or reload the page) to start again.';

/**
 * The stored data key can't be opened at all (its device key is gone, or the record is
 * damaged): no passphrase helps. The way forward is "delete all local data"
 * (DeviceVault.deleteEverything, static, works without an open vault).
 */
export class LocalDataUnreadableError extends AppError {
  override name = 'LocalDataUnreadableError';
  constructor(reason: string) {
    super('invalid', `${reason} Delete local data on this device to start again.`);
  }
}

/**
 * Storage errors as AppError (quota, locked, damaged); anything else is returned as is.
 * App services wrap store calls with it so the UI shows one kind of error.
 */
export function asAppError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (isQuotaError(error)) return new AppError('quota', QUOTA_MESSAGE);
  if (error instanceof HistoryStoreError) {
    if (error.code === 'quota') return new AppError('quota', error.message);
    return new AppError('invalid', error.message);
  }
  return error;
}

/** Runs `work`, throwing asAppError(failure) on failure. */
export async function withAppErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asAppError(error);
  }
}
