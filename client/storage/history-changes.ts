// Tells this database's other open stores (other tabs) what this one stored or deleted,
// so their search indexes (history-search.ts) stay in step. Only keys travel (room id,
// author device, counter: the clear index fields, schema.ts); a receiver reads and
// decrypts the messages itself. Messages are checked: any same-origin page can post here.
import { z } from 'zod';
import type { MessageKey } from './schema';

const MAX_KEYS = 10_000;

const Change = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('stored'),
    keys: z
      .array(
        z.tuple([
          z.string().min(1).max(256),
          z.string().min(1).max(256),
          z.number().int().positive(),
        ]),
      )
      .max(MAX_KEYS),
  }),
  z.object({ kind: z.literal('room-deleted'), roomId: z.string().min(1).max(256) }),
]);

export type HistoryChange = z.infer<typeof Change>;

export class HistoryChanges {
  readonly #channel: BroadcastChannel | undefined;

  constructor(databaseName: string, onChange: (change: HistoryChange) => void) {
    if (typeof BroadcastChannel === 'undefined') return;
    this.#channel = new BroadcastChannel(`history-changes:${databaseName}`);
    this.#channel.onmessage = (event: MessageEvent<unknown>) => {
      const parsed = Change.safeParse(event.data);
      if (parsed.success) onChange(parsed.data);
    };
    // NOTE: Node keeps the process alive while a channel is open; a store may be left open.
    (this.#channel as { unref?: () => void }).unref?.();
  }

  stored(keys: readonly MessageKey[]): void {
    for (let from = 0; from < keys.length; from += MAX_KEYS) {
      this.#post({ kind: 'stored', keys: keys.slice(from, from + MAX_KEYS) });
    }
  }

  roomDeleted(roomId: string): void {
    this.#post({ kind: 'room-deleted', roomId });
  }

  close(): void {
    this.#channel?.close();
  }

  #post(change: HistoryChange): void {
    try {
      this.#channel?.postMessage(change);
    } catch {
      // Closed meanwhile (the store is closing): nobody left to tell from here.
    }
  }
}
