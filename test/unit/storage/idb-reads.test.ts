// The IndexedDB reads that had to become cheap at 100,000 messages (idb-reads.ts): a page
// of history in three requests and a room's count from its high-water marks must still
// give exactly what walking the whole index gave, gaps and several authors included.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteTestDB, testDBName } from './idb-test-db';
import { createCryptoApi } from '../../../client/crypto/api';
import type { StoredMessage } from '../../../client/core/history-store';
import {
  openIdbHistoryStore,
  type IdbHistoryStore,
} from '../../../client/storage/idb-history-store';
import { compareOrder } from '../../../client/storage/records';
import { ALICE, BOB, ids, message } from './fixtures';

describe('IndexedDB history reads', () => {
  const crypto = createCryptoApi();
  let name: string;
  let dataKey: string;
  let store: IdbHistoryStore;

  beforeEach(async () => {
    name = testDBName();
    dataKey = crypto.createDataKey();
    store = await openIdbHistoryStore({ crypto, dataKey, name, warmSearch: false });
  });
  afterEach(async () => {
    await store.close();
    crypto.release(dataKey);
    await deleteTestDB(name);
  });

  /** Alice 1..90 except 40 and 41, Bob 1..45 plus 60: Lamport times interleaved, with ties. */
  function conversation(): StoredMessage[] {
    const alice = Array.from({ length: 90 }, (_, i) => i + 1).filter((c) => c !== 40 && c !== 41);
    const bob = [...Array.from({ length: 45 }, (_, i) => i + 1), 60];
    return [
      ...alice.map((c) => message(ALICE, c, c * 2)),
      ...bob.map((c) => message(BOB, c, c * 2 + (c % 3 === 0 ? 0 : 1))),
    ];
  }

  it('counts every message of a room, across gaps in an author’s counters', async () => {
    const all = conversation();
    await store.addMessages(all.slice(0, 70));
    await store.addMessages(all.slice(70));
    await store.addMessages([message(BOB, 1, 3, { roomId: 'other-room' })]);
    expect(await store.countMessages('room-1')).toBe(all.length);
    expect(await store.countMessages('other-room')).toBe(1);
    expect(await store.countMessages('no-such-room')).toBe(0);
    await store.addMessages([message(ALICE, 40, 80), message(ALICE, 41, 82)]); // gap filled
    expect(await store.countMessages('room-1')).toBe(all.length + 2);
    expect(await store.highWaterMarks('room-1')).toContainEqual({
      authorDevice: ALICE,
      contiguous: 90,
      highest: 90,
    });
  });

  it('pages newest first with any page size, each message exactly once', async () => {
    const all = conversation();
    await store.addMessages(all);
    const newestFirst = ids([...all].sort(compareOrder).reverse());
    for (const limit of [1, 7, 50, 64, all.length, all.length + 5]) {
      const seen: StoredMessage[] = [];
      let page = await store.history('room-1', { limit });
      while (page.length > 0) {
        expect(page.length).toBeLessThanOrEqual(limit);
        seen.push(...page);
        page = await store.history('room-1', { before: page.at(-1), limit });
      }
      expect(ids(seen)).toEqual(newestFirst);
    }
    expect(await store.history('room-1', { limit: 3 })).toEqual(
      [...all].sort(compareOrder).reverse().slice(0, 3),
    );
  });
});
