// Search across every stored conversation: a case-insensitive substring match, newest
// first, at most MAX_HITS, each hit named by its room. The store answers from its own
// in-memory index over the decrypted history (client/storage/history-search.ts).
import type { StoredMessage } from '../core/history-store';
import { messageView } from '../core/views';
import type { SearchHit } from './app-types';

export const MAX_HITS = 200;

export interface SearchableStore {
  /** Newest first by the author's clock, case-insensitive, at most `limit`. */
  searchMessages(query: string, limit: number, roomId?: string): Promise<StoredMessage[]>;
}

export async function searchMessages(
  store: SearchableStore,
  query: string,
  context: { roomNames: ReadonlyMap<string, string>; selfDevice: string },
): Promise<SearchHit[]> {
  const needle = query.trim();
  if (needle.length === 0) return [];
  const found = await store.searchMessages(needle, MAX_HITS);
  return found.map((message) => ({
    roomId: message.roomId,
    roomName: context.roomNames.get(message.roomId) ?? message.roomId,
    message: messageView(message, context.selfDevice),
  }));
}
