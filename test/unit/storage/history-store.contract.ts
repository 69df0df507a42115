// The one contract every HistoryStore passes: the IndexedDB store and the CLI's file
// store both run it (idb-history-store.test.ts, file-history-store.test.ts). It uses the
// real crypto api and a real device data key.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCryptoApi } from '../../../client/crypto/api';
import type { HistoryStore, RecordCrypto } from '../../../client/core/history-store';
import {
  ALICE,
  AUTHOR_NAME,
  BOB,
  ROOM_NAME,
  SECRET_TEXT,
  containsBytes,
  ids,
  message,
  pin,
  room,
} from './fixtures';

export interface StoreHarness {
  /** Opens the store on the harness's data (again, after close: a restart). */
  open(dataKey?: string): Promise<HistoryStore>;
  /** Every byte the backend keeps (files, or all database records serialised). */
  rawBytes(): Promise<Uint8Array>;
  destroy(): Promise<void>;
}

export type HarnessFactory = (crypto: RecordCrypto, dataKey: string) => Promise<StoreHarness>;

export function historyStoreContract(name: string, makeHarness: HarnessFactory): void {
  describe(`${name}: the HistoryStore contract`, () => {
    const crypto = createCryptoApi();
    let dataKey: string;
    let harness: StoreHarness;
    let store: HistoryStore;

    async function restart(): Promise<HistoryStore> {
      await store.close();
      store = await harness.open();
      return store;
    }

    beforeEach(async () => {
      dataKey = crypto.createDataKey();
      harness = await makeHarness(crypto, dataKey);
      store = await harness.open();
    });

    afterEach(async () => {
      await store.close();
      await harness.destroy();
      crypto.release(dataKey);
    });

    it('keeps rooms, newest first, and replaces a room put again', async () => {
      await store.putRoom(room({ roomId: 'old', createdAt: 1 }));
      await store.putRoom(room({ roomId: 'new', createdAt: 2 }));
      await store.putRoom(room({ roomId: 'old', createdAt: 1, epoch: 3, removed: ['abc'] }));
      expect((await store.listRooms()).map((r) => r.roomId)).toEqual(['new', 'old']);
      expect(await store.getRoom('old')).toMatchObject({ epoch: 3, removed: ['abc'] });
      expect(await store.getRoom('missing')).toBeUndefined();
    });

    it('stores a message once however often it arrives', async () => {
      const first = message(ALICE, 1, 1, { state: 'pending' });
      expect(await store.addMessages([first, first])).toHaveLength(1);
      const again = await store.addMessages([message(ALICE, 1, 1), message(ALICE, 2, 2)]);
      expect(ids(again)).toEqual(['a11:2']);
      expect(await store.countMessages('room-1')).toBe(2);
      // The re-delivered copy did not overwrite what was stored first.
      expect((await store.getMessage('room-1', ALICE, 1))?.state).toBe('pending');
    });

    it('pages history newest first by Lamport time, ties broken the same way everywhere', async () => {
      await store.addMessages([
        message(BOB, 1, 2),
        message(ALICE, 1, 1),
        message(ALICE, 2, 2),
        message(ALICE, 3, 5),
        message(BOB, 2, 4),
      ]);
      const all = await store.history('room-1');
      // Lamport 2 is a tie: the author device id decides (a11... < b0b...).
      expect(ids(all)).toEqual(['a11:3', 'b0b:2', 'b0b:1', 'a11:2', 'a11:1']);
      const first = await store.history('room-1', { limit: 2 });
      const second = await store.history('room-1', { before: first.at(-1), limit: 2 });
      const third = await store.history('room-1', { before: second.at(-1), limit: 2 });
      expect([...ids(first), ...ids(second), ...ids(third)]).toEqual(ids(all));
      expect(await store.history('room-1', { before: third.at(-1) })).toEqual([]);
      expect(await store.history('other-room')).toEqual([]);
    });

    it('counts unread messages and knows the newest Lamport time', async () => {
      await store.addMessages([message(ALICE, 1, 1), message(ALICE, 2, 7), message(BOB, 1, 9)]);
      expect(await store.countMessages('room-1', 1)).toBe(2);
      expect(await store.countMessages('room-1', 9)).toBe(0);
      expect(await store.maxLamport('room-1')).toBe(9);
      expect(await store.maxLamport('empty')).toBe(0);
    });

    it('keeps per-author high-water marks that stop at the first gap', async () => {
      await store.addMessages([message(ALICE, 1, 1), message(ALICE, 2, 2), message(ALICE, 5, 5)]);
      await store.addMessages([message(BOB, 1, 3)]);
      const marks = await store.highWaterMarks('room-1');
      expect(marks.sort((a, b) => a.authorDevice.localeCompare(b.authorDevice))).toEqual([
        { authorDevice: ALICE, contiguous: 2, highest: 5 },
        { authorDevice: BOB, contiguous: 1, highest: 1 },
      ]);
      await store.addMessages([message(ALICE, 4, 4), message(ALICE, 3, 3)]);
      const alice = (await store.highWaterMarks('room-1')).find((m) => m.authorDevice === ALICE);
      expect(alice).toEqual({ authorDevice: ALICE, contiguous: 5, highest: 5 });
    });

    it('serves one author’s messages after a counter, ascending, in pages', async () => {
      await store.addMessages([5, 1, 3, 2, 4].map((n) => message(ALICE, n, n)));
      await store.addMessages([message(BOB, 1, 1)]);
      expect(ids(await store.messagesAfter('room-1', ALICE, 1, 2))).toEqual(['a11:2', 'a11:3']);
      expect(ids(await store.messagesAfter('room-1', ALICE, 3, 10))).toEqual(['a11:4', 'a11:5']);
      expect(await store.messagesAfter('room-1', ALICE, 5, 10)).toEqual([]);
    });

    it('keeps pending messages in the outbox until they are sent, and never moves state back', async () => {
      await store.addMessages([
        message(ALICE, 2, 4, { state: 'pending' }),
        message(ALICE, 1, 3, { state: 'pending' }),
        message(BOB, 1, 1),
        message(ALICE, 1, 1, { roomId: 'room-2', state: 'pending' }),
      ]);
      expect(ids(await store.outbox('room-1'))).toEqual(['a11:1', 'a11:2']);
      expect(await store.outbox()).toHaveLength(3);
      expect(await store.setDeliveryState('room-1', ALICE, 1, 'sent')).toBe('sent');
      expect(ids(await store.outbox('room-1'))).toEqual(['a11:2']);
      expect(await store.setDeliveryState('room-1', ALICE, 1, 'delivered')).toBe('delivered');
      expect(await store.setDeliveryState('room-1', ALICE, 1, 'pending')).toBe('delivered');
      expect((await store.getMessage('room-1', ALICE, 1))?.state).toBe('delivered');
      expect(await store.setDeliveryState('room-1', BOB, 99, 'sent')).toBeUndefined();
    });

    it('pins one identity key per username and replaces it on a key change', async () => {
      await store.putPin(pin({ verified: true }));
      await store.putPin(pin({ username: 'bob' }));
      expect(await store.getPin(AUTHOR_NAME)).toMatchObject({ verified: true });
      await store.putPin(pin({ fingerprint: 'e'.repeat(64), verified: false }));
      expect(await store.getPin(AUTHOR_NAME)).toMatchObject({
        fingerprint: 'e'.repeat(64),
        verified: false,
      });
      expect((await store.listPins()).map((p) => p.username).sort()).toEqual(['bob', AUTHOR_NAME]);
      expect(await store.getPin('nobody')).toBeUndefined();
    });

    it('deletes a room with its messages, marks and outbox', async () => {
      await store.putRoom(room());
      await store.putRoom(room({ roomId: 'room-2' }));
      await store.addMessages([message(ALICE, 1, 1, { state: 'pending' }), message(BOB, 1, 2)]);
      await store.addMessages([message(ALICE, 1, 1, { roomId: 'room-2' })]);
      await store.deleteRoom('room-1');
      expect(await store.getRoom('room-1')).toBeUndefined();
      expect(await store.history('room-1')).toEqual([]);
      expect(await store.highWaterMarks('room-1')).toEqual([]);
      expect(await store.outbox()).toEqual([]);
      expect(await store.countMessages('room-2')).toBe(1);
    });

    it('survives a restart with everything exactly as stored', async () => {
      const tricky = message(ALICE, 2, 2, {
        state: 'pending',
        envelope: { $b: 'not bytes', $$x: [new Uint8Array([0, 255])], nested: { $b: 'x' } },
      });
      const stored = [message(ALICE, 1, 1), tricky, message(BOB, 1, 3)];
      await store.putRoom(room({ readLamport: 2, ended: 'kicked' }));
      await store.addMessages(stored);
      await store.setDeliveryState('room-1', ALICE, 2, 'sent');
      await store.putPin(pin({ verified: true }));
      await restart();
      expect(await store.getRoom('room-1')).toEqual(room({ readLamport: 2, ended: 'kicked' }));
      expect(await store.getMessage('room-1', ALICE, 2)).toEqual({ ...tricky, state: 'sent' });
      expect(ids(await store.history('room-1'))).toEqual(['b0b:1', 'a11:2', 'a11:1']);
      expect(await store.outbox()).toEqual([]);
      expect(await store.addMessages(stored)).toEqual([]);
      expect(await store.getPin(AUTHOR_NAME)).toEqual(pin({ verified: true }));
      expect(await store.maxLamport('room-1')).toBe(3);
    });

    it('stores no message text, room name, username or signature in the clear', async () => {
      const signed = message(ALICE, 1, 1, { signature: new Uint8Array(64).fill(0xab) });
      await store.putRoom(room());
      await store.addMessages([signed, message(ALICE, 2, 2, { state: 'pending' })]);
      await store.putPin(pin());
      await store.close();
      const raw = await harness.rawBytes();
      const text = new TextEncoder();
      expect(raw.length).toBeGreaterThan(500); // the data is there, just not readable
      for (const plain of [SECRET_TEXT, ROOM_NAME, AUTHOR_NAME, 'chat.example']) {
        expect(containsBytes(raw, text.encode(plain)), plain).toBe(false);
      }
      expect(containsBytes(raw, signed.signature.subarray(0, 16))).toBe(false);
      store = await harness.open();
    });

    it('refuses to read history with another device key', async () => {
      await store.putRoom(room());
      await store.addMessages([message(ALICE, 1, 1)]);
      await store.close();
      const otherKey = crypto.createDataKey();
      const attempt = (async () => {
        const other = await harness.open(otherKey);
        try {
          await other.listRooms();
          await other.history('room-1');
        } finally {
          await other.close();
        }
      })();
      await expect(attempt).rejects.toMatchObject({ name: 'HistoryStoreError', code: 'corrupt' });
      crypto.release(otherKey);
      store = await harness.open();
      expect(await store.getRoom('room-1')).toMatchObject({ name: ROOM_NAME });
    });

    it('refuses values it could not index or read back', async () => {
      for (const bad of [
        message(ALICE, 0, 1),
        message(ALICE, 1, Number.NaN),
        message(ALICE, 1.5, 1),
        message('', 1, 1),
      ]) {
        await expect(store.addMessages([bad])).rejects.toMatchObject({ code: 'invalid' });
      }
      await expect(store.history('room-1', { limit: 0 })).rejects.toMatchObject({
        code: 'invalid',
      });
      expect(await store.countMessages('room-1')).toBe(0);
    });

    it('refuses work after close', async () => {
      await store.close();
      await expect(store.listRooms()).rejects.toMatchObject({ code: 'closed' });
      await expect(store.addMessages([message(ALICE, 1, 1)])).rejects.toMatchObject({
        code: 'closed',
      });
      store = await harness.open();
    });

    it('keeps its own copies: changing what went in or came out changes nothing stored', async () => {
      const given = message(ALICE, 1, 1);
      await store.addMessages([given]);
      given.signature.fill(0xee);
      const read = await store.getMessage('room-1', ALICE, 1);
      expect(read?.signature[0]).toBe(1);
      read!.signature.fill(0);
      expect((await store.getMessage('room-1', ALICE, 1))?.signature[0]).toBe(1);
    });
  });
}
