// The message log over the in-memory store with the real crypto api: counters and Lamport
// times, signatures checked whoever relays, duplicates and bad messages dropped.
import { beforeEach, describe, expect, it } from 'vitest';
import { createCryptoApi } from '../../../client/crypto/api';
import { fromStored, type Author } from '../../../client/core/envelope';
import { MemoryHistoryStore } from '../../../client/core/memory-history-store';
import { MessageLog } from '../../../client/core/message-log';

const ROOM = 'AAAAAAAAAAAAAAAAAAAAAA';
const OTHER_ROOM = 'BBBBBBBBBBBBBBBBBBBBBB';
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

describe('MessageLog', () => {
  let alice: Author;
  let bob: Author;
  let aliceStore: MemoryHistoryStore;
  let bobStore: MemoryHistoryStore;
  beforeEach(async () => {
    alice = await author('alice');
    bob = await author('bob');
    aliceStore = new MemoryHistoryStore();
    bobStore = new MemoryHistoryStore();
  });

  it('numbers my messages 1, 2, 3 with rising Lamport times, pending until sent', async () => {
    const log = await MessageLog.open(aliceStore, crypto, ROOM, alice);
    const first = await log.compose('one', 0);
    const [second, third] = await Promise.all([log.compose('two', 0), log.compose('three', 0)]);
    expect([first.counter, second!.counter, third!.counter]).toEqual([1, 2, 3]);
    expect(third!.lamport).toBeGreaterThan(first.lamport);
    expect((await aliceStore.outbox(ROOM)).map((m) => m.counter)).toEqual([1, 2, 3]);
  });

  it('continues counting and the clock after a restart', async () => {
    const before = await MessageLog.open(aliceStore, crypto, ROOM, alice);
    await before.compose('one', 0);
    await before.compose('two', 0);
    const after = await MessageLog.open(aliceStore, crypto, ROOM, alice);
    const next = await after.compose('three', 0);
    expect(next.counter).toBe(3);
    expect(next.lamport).toBe(3);
  });

  it("accepts a message relayed by a third peer: the author's signature is what counts", async () => {
    const aliceLog = await MessageLog.open(aliceStore, crypto, ROOM, alice);
    const written = await aliceLog.compose('hello from alice', 0);
    const bobLog = await MessageLog.open(bobStore, crypto, ROOM, bob);
    // Carol relays exactly what Alice signed.
    const relayed = JSON.parse(JSON.stringify(fromStored(written))) as unknown;
    const result = await bobLog.ingest([relayed], accept);
    expect(result.added.map((m) => m.envelope.text)).toEqual(['hello from alice']);
    expect(result.added[0]!.state).toBe('delivered');
    // Bob's next message is later than everything he has seen.
    expect((await bobLog.compose('reply', 0)).lamport).toBeGreaterThan(written.lamport);
  });

  it('stores a message once however often it arrives', async () => {
    const written = await (
      await MessageLog.open(aliceStore, crypto, ROOM, alice)
    ).compose('once', 0);
    const bobLog = await MessageLog.open(bobStore, crypto, ROOM, bob);
    const wire = fromStored(written);
    const first = await bobLog.ingest([wire, wire], accept);
    const again = await bobLog.ingest([wire], accept);
    expect(first.added).toHaveLength(1);
    expect(again.added).toHaveLength(0);
    expect(again.valid).toHaveLength(1);
    expect(await bobStore.countMessages(ROOM)).toBe(1);
  });

  it('drops a tampered text, a forged author id, another room, and a refused author', async () => {
    const aliceLog = await MessageLog.open(aliceStore, crypto, ROOM, alice);
    const wire = fromStored(await aliceLog.compose('original', 0));
    const tampered = { ...wire, envelope: { ...wire.envelope, text: 'altered' } };
    const forgedDevice = { ...wire, envelope: { ...wire.envelope, device: bob.fingerprint } };
    const elsewhere = { ...wire, envelope: { ...wire.envelope, room: OTHER_ROOM } };
    const bobLog = await MessageLog.open(bobStore, crypto, ROOM, bob);
    const result = await bobLog.ingest(
      [tampered, forgedDevice, elsewhere, { nonsense: true }],
      accept,
    );
    expect(result.added).toHaveLength(0);
    expect(result.rejected.map((r) => r.reason)).toEqual([
      'bad-signature',
      'device-mismatch',
      'wrong-room',
      'malformed',
    ]);
    const refused = await bobLog.ingest([wire], async () => 'alice was removed');
    expect(refused.rejected).toEqual([{ reason: 'refused-author', message: 'alice was removed' }]);
    expect(await bobStore.countMessages(ROOM)).toBe(0);
  });
});
