// What the bench's Node side and its page side (history-seed-page.ts) agree on.

export const PLAIN_DB_NAME = 'history-bench-plain';

/** One message in this many contains the needle: a search with a hundred hits in 100,000. */
export const NEEDLE_EVERY = 1_000;
export const SEARCH_NEEDLE = 'quokka';

export interface SeedOptions {
  roomId: string;
  count: number;
}

export interface PlainSearchResult {
  ms: number;
  read: number;
  hits: number;
}

/** Text of message `counter`; the newest one carries a marker the bench waits for. */
export function messageText(counter: number, count: number): string {
  if (counter === count) return `Newest bench message ${counter}`;
  const needle = counter % NEEDLE_EVERY === 0 ? ` ${SEARCH_NEEDLE} sighting` : '';
  return `Bench message ${counter}: the usual chatter about plans, files and coffee${needle}.`;
}
