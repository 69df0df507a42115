// Gossip sync by high-water marks: a peer answers with what the other lacks, from every
// author, in pages that never exceed 64 KiB, and the receiver ends up with all of it.
import { describe, expect, it } from 'vitest';
import { P2P_MAX_PAGE_BYTES, PeerMessage } from '../../../signaling/protocol';
import { createCryptoApi } from '../../../client/crypto/api';
import type { Author } from '../../../client/core/envelope';
import { marksToWire, pagesFor } from '../../../client/core/history-sync';
import { MemoryHistoryStore } from '../../../client/core/memory-history-store';
import { MessageLog } from '../../../client/core/message-log';

const ROOM = 'AAAAAAAAAAAAAAAAAAAAAA';
const crypto = createCryptoApi();
const accept = async () => null;

async function author(username: string): Promise<Author> {
  const info = await crypto.createIdentity();
  return {
    identity: info.handle,
    alg: info.alg,
    publicKey: info.publicKey,
    fingerprint: info.fingerprint,
    username,
    displayName: username,
  };
}

async function collect(store: MemoryHistoryStore, theirs: Parameters<typeof pagesFor>[2]) {
  const pages = [];
  for await (const page of pagesFor(store, ROOM, theirs)) pages.push(page);
  return pages;
}

describe('history sync', () => {
  it("sends a newcomer every author's messages in pages of at most 64 KiB", async () => {
    const relay = new MemoryHistoryStore();
    const alice = await MessageLog.open(relay, crypto, ROOM, await author('alice'));
    const bob = await author('bob');
    const bobStore = new MemoryHistoryStore();
    const bobLog = await MessageLog.open(bobStore, crypto, ROOM, bob);
    for (let i = 0; i < 12; i++) await bobLog.compose(`bob ${i} ` + 'b'.repeat(9000), 0);
    // The relay learned Bob's messages earlier; Bob is gone now.
    for await (const page of pagesFor(bobStore, ROOM, [])) await alice.ingest(page, accept);
    for (let i = 0; i < 30; i++) await alice.compose(`alice ${i} ` + 'é'.repeat(2000), 0);

    const carolStore = new MemoryHistoryStore();
    const carol = await MessageLog.open(carolStore, crypto, ROOM, await author('carol'));
    const pages = await collect(relay, []);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      const wire = PeerMessage.parse({ type: 'page', messages: page, done: false });
      expect(new TextEncoder().encode(JSON.stringify(wire)).length).toBeLessThanOrEqual(
        P2P_MAX_PAGE_BYTES,
      );
      await carol.ingest(page, accept);
    }
    expect(await carolStore.countMessages(ROOM)).toBe(42);
    expect((await collect(relay, marksToWire(await carolStore.highWaterMarks(ROOM)))).length).toBe(
      0,
    );
  });

  it('fills only the gaps: what the other side already has is not sent again', async () => {
    const store = new MemoryHistoryStore();
    const log = await MessageLog.open(store, crypto, ROOM, await author('alice'));
    for (let i = 1; i <= 10; i++) await log.compose(`m${i}`, 0);
    const [mark] = await store.highWaterMarks(ROOM);
    const pages = await collect(store, [{ device: mark!.authorDevice, contiguous: 7, highest: 7 }]);
    expect(pages.flat().map((m) => m.envelope.counter)).toEqual([8, 9, 10]);
  });

  it("reports a gap in an author's sequence in its high-water mark", async () => {
    const source = new MemoryHistoryStore();
    const log = await MessageLog.open(source, crypto, ROOM, await author('alice'));
    for (let i = 1; i <= 5; i++) await log.compose(`m${i}`, 0);
    const all = (await collect(source, [])).flat();
    const target = new MemoryHistoryStore();
    const receiver = await MessageLog.open(target, crypto, ROOM, await author('bob'));
    await receiver.ingest(
      all.filter((m) => m.envelope.counter !== 3),
      accept,
    );
    const [mark] = await target.highWaterMarks(ROOM);
    expect(mark).toMatchObject({ contiguous: 2, highest: 5 });
    const refill = (await collect(source, marksToWire([mark!]))).flat();
    expect(refill.map((m) => m.envelope.counter)).toEqual([3, 4, 5]);
  });
});
