// Search across every stored conversation: a case-insensitive substring match over the
// decrypted history (the store's in-memory index when it has one, else scanned a bucket at a
// time), newest first, at most MAX_HITS.
import type { StoredMessage } from '../core/history-store';
import { messageView } from '../core/views';
import type { SearchHit } from './app-types';

export const MAX_HITS = 200;

export interface SearchableStore {
  scanMessages(
    visit: (messages: StoredMessage[]) => boolean | void,
    roomId?: string,
  ): Promise<void>;
  /**
   * The same match, answered by the store (IdbHistoryStore keeps an in-memory index):
   * lower-cased `query` in the lower-cased text, newest first, at most `limit`.
   */
  searchMessages?(query: string, limit: number): Promise<StoredMessage[]>;
}

/** Newest first by the author's clock; ties broken by Lamport time, then id. */
function newerFirst(a: StoredMessage, b: StoredMessage): number {
  return (
    b.sentAt - a.sentAt ||
    b.lamport - a.lamport ||
    (a.authorDevice < b.authorDevice ? 1 : a.authorDevice > b.authorDevice ? -1 : 0) ||
    b.counter - a.counter
  );
}

export async function searchMessages(
  store: SearchableStore,
  query: string,
  context: { roomNames: ReadonlyMap<string, string>; selfDevice: string },
): Promise<SearchHit[]> {
  const needle = query.trim().toLocaleLowerCase();
  if (needle.length === 0) return [];
  let found: StoredMessage[] = [];
  if (store.searchMessages) found = await store.searchMessages(needle, MAX_HITS);
  else
    await store.scanMessages((messages) => {
      for (const message of messages) {
        const text = (message.envelope as { text?: unknown }).text;
        if (typeof text === 'string' && text.toLocaleLowerCase().includes(needle)) {
          found.push(message);
        }
      }
      // Storage order is not time order: keep the newest, trimmed now and then.
      if (found.length > 4 * MAX_HITS) found = found.sort(newerFirst).slice(0, MAX_HITS);
    });
  return found
    .sort(newerFirst)
    .slice(0, MAX_HITS)
    .map((message) => ({
      roomId: message.roomId,
      roomName: context.roomNames.get(message.roomId) ?? message.roomId,
      message: messageView(message, context.selfDevice),
    }));
}
