// A full disk, as people should hear about it. IndexedDB reports it as a
// QuotaExceededError that aborts the whole transaction, so the write that failed changed
// nothing and every earlier record is intact: the message can promise that.
import { HistoryStoreError } from '../core/history-store';

export const QUOTA_MESSAGE =
  'This device is out of storage space: nothing was lost, but this change was not saved. ' +
  'Free some space (or delete old conversations) and try again.';

/** True for a QuotaExceededError (also when it is the cause of another error). */
export function isQuotaError(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 4; depth++) {
    if ((e as { name?: unknown }).name === 'QuotaExceededError') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Runs a write; a quota failure comes out as HistoryStoreError('quota'), others unchanged. */
export async function guardQuota<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isQuotaError(error)) throw new HistoryStoreError('quota', QUOTA_MESSAGE, { cause: error });
    throw error;
  }
}
