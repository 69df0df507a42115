// The terminal client's file-backed store: the shared contract, then what only a file on
// disk can go through (a crash mid-write, tampering, a second process, the data key).
import { appendFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DataKeyError,
  openCliDataKey,
  openFileHistoryStore,
} from '../../../client/cli/file-history-store';
import { createCryptoApi } from '../../../client/crypto/api';
import { ALICE, SECRET_TEXT, containsBytes, message, room } from './fixtures';
import { historyStoreContract } from './history-store.contract';

async function readAll(dir: string): Promise<Uint8Array> {
  const names = await readdir(dir);
  const parts = await Promise.all(names.map((name) => readFile(join(dir, name))));
  return Buffer.concat(parts);
}

historyStoreContract('file store', async (crypto, dataKey) => {
  const dir = await mkdtemp(join(tmpdir(), 'history-contract-'));
  return {
    open: (key = dataKey) => openFileHistoryStore({ dir, crypto, dataKey: key }),
    rawBytes: () => readAll(dir),
    destroy: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('file store on disk', () => {
  const crypto = createCryptoApi();
  let dir: string;
  let dataKey: string;
  const open = () => openFileHistoryStore({ dir, crypto, dataKey });
  const logPath = () => join(dir, 'history.log');

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'history-file-'));
    dataKey = crypto.createDataKey();
  });
  afterEach(async () => {
    crypto.release(dataKey);
    await rm(dir, { recursive: true, force: true });
  });

  it('drops a line torn by a crash mid-write and keeps everything before it', async () => {
    const store = await open();
    await store.addMessages([message(ALICE, 1, 1), message(ALICE, 2, 2)]);
    await store.close();
    await appendFile(logPath(), '3 AAAAbbbbCCCC'); // no newline: the write never finished
    const reopened = await open();
    expect(await reopened.countMessages('room-1')).toBe(2);
    await reopened.addMessages([message(ALICE, 3, 3)]);
    await reopened.close();
    const again = await open();
    expect((await again.highWaterMarks('room-1'))[0]?.contiguous).toBe(3);
    await again.close();
  });

  it('drops unflushed zeros a power cut left at the end, but not bad bytes before good lines', async () => {
    const store = await open();
    await store.addMessages([message(ALICE, 1, 1)]);
    await store.addMessages([message(ALICE, 2, 2)]);
    await store.close();
    const good = await readFile(logPath(), 'utf8');
    await appendFile(logPath(), `${'\0'.repeat(300)}\n${'\0'.repeat(40)}`);
    const reopened = await open();
    expect(await reopened.countMessages('room-1')).toBe(2);
    await reopened.close();
    expect(await readFile(logPath(), 'utf8')).toBe(good);

    const [header, first, second] = good.split('\n');
    await writeFile(logPath(), `${header}\n${first}\n${'\0'.repeat(30)}\n${second}\n`);
    await expect(open()).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('refuses a log whose lines were altered, dropped or swapped', async () => {
    const store = await open();
    await store.addMessages([message(ALICE, 1, 1)]);
    await store.addMessages([message(ALICE, 2, 2)]);
    await store.close();
    const [header, first, second] = (await readFile(logPath(), 'utf8')).split('\n');
    const swapped = `${header}\n1 ${second!.split(' ')[1]}\n2 ${first!.split(' ')[1]}\n`;
    await writeFile(logPath(), swapped);
    await expect(open()).rejects.toMatchObject({ code: 'corrupt' });
    await writeFile(logPath(), `${header}\n${second}\n`);
    await expect(open()).rejects.toMatchObject({ code: 'corrupt' });
    // A failed open leaves no lock behind.
    await expect(readdir(dir)).resolves.not.toContain('history.lock');
  });

  it('lets only one client use a data dir at a time', async () => {
    const store = await open();
    await expect(open()).rejects.toThrow(/Another chat client/);
    await store.close();
    const next = await open();
    await next.close();
  });

  it('takes over the lock of a client that crashed', async () => {
    await writeFile(join(dir, 'history.lock'), '999999999');
    const store = await open();
    await store.putRoom(room());
    await store.close();
  });

  it('removes a deleted conversation from the file, not just from view', async () => {
    const store = await open();
    await store.addMessages([message(ALICE, 1, 1)]);
    const before = (await stat(logPath())).size;
    await store.deleteRoom('room-1');
    await store.close();
    expect((await stat(logPath())).size).toBeLessThan(before);
    const reopened = await open();
    expect(await reopened.countMessages('room-1')).toBe(0);
    await reopened.close();
  });

  it('compacts superseded records when the log is reopened', async () => {
    const store = await open();
    const pending = Array.from({ length: 600 }, (_, i) =>
      message(ALICE, i + 1, i + 1, { state: 'pending' }),
    );
    await store.addMessages(pending);
    for (const m of pending) await store.setDeliveryState('room-1', ALICE, m.counter, 'sent');
    for (const m of pending) await store.setDeliveryState('room-1', ALICE, m.counter, 'delivered');
    await store.close();
    const lines = async () => (await readFile(logPath(), 'utf8')).trim().split('\n').length - 1;
    // Two lines for the batch (up to 512 entries each), one per state change.
    expect(await lines()).toBe(1202);
    const reopened = await open();
    expect(await lines()).toBe(2); // 600 live messages, up to 512 per line
    expect(await reopened.outbox()).toEqual([]);
    expect((await reopened.getMessage('room-1', ALICE, 600))?.state).toBe('delivered');
    await reopened.close();
  });

  describe('the CLI data key', () => {
    it('is kept in a key file by default and unlocks the same history after a restart', async () => {
      const first = await openCliDataKey({ dir, crypto });
      const store = await openFileHistoryStore({ dir, crypto, dataKey: first });
      await store.addMessages([message(ALICE, 1, 1)]);
      await store.close();
      crypto.release(first);
      const second = await openCliDataKey({ dir, crypto });
      const reopened = await openFileHistoryStore({ dir, crypto, dataKey: second });
      expect((await reopened.getMessage('room-1', ALICE, 1))?.envelope.text).toContain(SECRET_TEXT);
      await reopened.close();
      const keyFile = await stat(join(dir, 'data-key.secret'));
      expect(keyFile.mode & 0o077).toBe(0); // readable by this user only
      expect(containsBytes(await readAll(dir), new TextEncoder().encode(SECRET_TEXT))).toBe(false);
    });

    it('asks for the passphrase it was locked with, and names a wrong one', async () => {
      await openCliDataKey({ dir, crypto, passphrase: 'correct horse battery' });
      await expect(readdir(dir)).resolves.not.toContain('data-key.secret');
      await expect(openCliDataKey({ dir, crypto })).rejects.toMatchObject({
        code: 'passphrase-required',
      });
      await expect(
        openCliDataKey({ dir, crypto, passphrase: 'wrong horse battery' }),
      ).rejects.toBeInstanceOf(DataKeyError);
      await expect(
        openCliDataKey({ dir, crypto, passphrase: 'wrong horse battery' }),
      ).rejects.toMatchObject({ code: 'wrong-passphrase' });
      const key = await openCliDataKey({ dir, crypto, passphrase: 'correct horse battery' });
      expect(key).toMatch(/^data-key-/);
    });
  });
});
