// Every failure the UI sees is an AppError whose message says what to do: this turns the
// core's, the server's and the store's errors into one.
import { HistoryStoreError } from '../core/history-store';
import { ChunkStoreError } from '../storage/chunk-store';
import { NetworkError, ServerError } from '../core/server-api';
import { JoinError, RoomActionError } from '../core/views';
import { AppError } from './app-types';

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof JoinError) return new AppError(error.code, error.message);
  if (error instanceof NetworkError) {
    return new AppError('network', 'The server cannot be reached. Check your connection.');
  }
  if (error instanceof ServerError) {
    if (error.status === 401) return new AppError('unauthenticated', error.message);
    if (error.status >= 500) return new AppError('server', error.message);
    return new AppError('invalid', error.message);
  }
  if (error instanceof RoomActionError) return new AppError('invalid', error.message);
  // A full disk is its own case: the message says what to do and that nothing was lost.
  if (
    (error instanceof HistoryStoreError || error instanceof ChunkStoreError) &&
    error.code === 'quota'
  ) {
    return new AppError('quota', error.message);
  }
  if (error instanceof HistoryStoreError) {
    return new AppError('invalid', `Stored data could not be used: ${error.message}`);
  }
  if (error instanceof Error && error.name === 'QuotaExceededError') {
    return new AppError('quota', 'This device is out of storage space: free some up and retry.');
  }
  return new AppError('server', (error as Error)?.message ?? String(error));
}

/** Runs `action`, rethrowing whatever it throws as an AppError. */
export async function asAppError<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw toAppError(error);
  }
}
