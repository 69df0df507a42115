// Runs inside the bench's page, on the app's own origin: fills the app's encrypted history
// through the app's own storage code (DeviceVault + IdbHistoryStore, sealing in the crypto
// worker), and keeps the same messages as plain objects in a separate plain idb database,
// the baseline the bench compares against. Built by history-build.ts into /bench-seed.js.
import { openDB } from 'idb';
import { DeviceVault } from '../client/app/device/vault';
import { searchMessages } from '../client/app/search';
import type { StoredMessage } from '../client/core/history-store';
import { startCryptoWorker } from '../client/crypto/worker-client';
import {
  PLAIN_DB_NAME,
  SEARCH_NEEDLE,
  messageText,
  type PlainSearchResult,
  type SeedOptions,
} from './history-shared';

/** Messages per addMessages call: a large sync batch, as history sync writes them. */
const SEED_BATCH = 2_000;
/** Rows per getAll in the baseline scan: the same page-at-a-time shape as the app's scan. */
const PLAIN_BATCH = 1_024;

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * Messages from one other person, oldest first, a minute apart up to now. The signature is
 * random bytes: stored messages are not verified again when read, which is all we time.
 */
function makeMessages(options: SeedOptions): StoredMessage[] {
  const publicKey = crypto.getRandomValues(new Uint8Array(32));
  const device = hex(crypto.getRandomValues(new Uint8Array(32)));
  const now = Date.now();
  return Array.from({ length: options.count }, (_, index) => {
    const counter = index + 1;
    const sentAt = now - (options.count - counter) * 60_000;
    return {
      roomId: options.roomId,
      authorDevice: device,
      counter,
      lamport: counter,
      epoch: 0,
      sentAt,
      envelope: {
        v: 1,
        kind: 'chat',
        room: options.roomId,
        author: { alg: 'ed25519', key: base64Url(publicKey) },
        device,
        counter,
        lamport: counter,
        epoch: 0,
        sentAt,
        username: 'bench-peer',
        displayName: 'Bench Peer',
        text: messageText(counter, options.count),
      },
      signature: crypto.getRandomValues(new Uint8Array(64)),
      state: 'delivered',
      receivedAt: sentAt,
    };
  });
}

async function seed(options: SeedOptions): Promise<{ seededMs: number }> {
  const started = performance.now();
  const messages = makeMessages(options);
  const worker = startCryptoWorker();
  const vault = await DeviceVault.open(worker.api);
  const store = await vault.openHistory();
  for (let from = 0; from < messages.length; from += SEED_BATCH) {
    await store.addMessages(messages.slice(from, from + SEED_BATCH));
  }
  await store.close();
  await vault.close();
  worker.terminate();

  const plain = await openDB(PLAIN_DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('messages', { keyPath: ['roomId', 'lamport'] });
    },
  });
  for (let from = 0; from < messages.length; from += SEED_BATCH) {
    const tx = plain.transaction('messages', 'readwrite');
    for (const message of messages.slice(from, from + SEED_BATCH)) void tx.store.put(message);
    await tx.done;
  }
  plain.close();
  return { seededMs: performance.now() - started };
}

/**
 * The baseline: the same substring search over the same messages, stored in the clear in
 * a plain idb database (no sealing, no worker), read page by page like the app's scan.
 */
async function plainSearch(query: string): Promise<PlainSearchResult> {
  const db = await openDB(PLAIN_DB_NAME, 1);
  const started = performance.now();
  const needle = query.toLocaleLowerCase();
  let read = 0;
  let hits = 0;
  let after: IDBValidKey | undefined;
  for (;;) {
    const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true);
    const rows = (await db.getAll('messages', range, PLAIN_BATCH)) as StoredMessage[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const text = (row.envelope as { text?: unknown }).text;
      if (typeof text === 'string' && text.toLocaleLowerCase().includes(needle)) hits++;
    }
    read += rows.length;
    const last = rows.at(-1)!;
    after = [last.roomId, last.lamport];
  }
  const ms = performance.now() - started;
  db.close();
  return { ms, read, hits };
}

/** Plain idb read of the newest page (50 messages, newest first), the render's baseline. */
async function plainLastPage(limit: number): Promise<number> {
  const db = await openDB(PLAIN_DB_NAME, 1);
  const started = performance.now();
  const rows: unknown[] = [];
  let cursor = await db.transaction('messages').store.openCursor(null, 'prev');
  while (cursor && rows.length < limit) {
    rows.push(cursor.value);
    cursor = await cursor.continue();
  }
  const ms = performance.now() - started;
  db.close();
  return ms;
}

/**
 * The app's search code (client/app/search.ts) over the app's store, without the UI: a
 * diagnostic that splits the search time into storage + decryption and rendering.
 */
async function storeSearch(query: string): Promise<{ ms: number; hits: number }> {
  const worker = startCryptoWorker();
  const vault = await DeviceVault.open(worker.api);
  const store = await vault.openHistory();
  const started = performance.now();
  const hits = await searchMessages(store, query, { roomNames: new Map(), selfDevice: '' });
  const ms = performance.now() - started;
  await store.close();
  await vault.close();
  worker.terminate();
  return { ms, hits: hits.length };
}

const api = { seed, plainSearch, plainLastPage, storeSearch, needle: SEARCH_NEEDLE };
export type HistoryBenchApi = typeof api;
(window as unknown as { historyBench: HistoryBenchApi }).historyBench = api;
document.title = 'history bench: ready';
