// Each test gets its own database in fake-indexeddb and deletes it afterwards (idb's
// test/utils.ts pattern), so tests never see each other's data.
import 'fake-indexeddb/auto';
import { deleteDB, openDB } from 'idb';
import { openChatDB, type ChatDatabase } from '../../../client/storage/db';

let counter = 0;

/** A fresh database name, for a store or openChatDB to create. */
export function testDBName(): string {
  counter += 1;
  return `test-chat-${process.pid}-${counter}-${Date.now()}`;
}

export async function openTestDB(name: string = testDBName()): Promise<ChatDatabase> {
  return openChatDB(name);
}

export async function deleteTestDB(name: string): Promise<void> {
  await deleteDB(name);
}

/** Every key and value in every store, as bytes: what someone copying the profile gets. */
export async function dumpDatabase(name: string): Promise<Uint8Array> {
  const db = await openDB(name);
  const parts: Uint8Array[] = [];
  const text = new TextEncoder();
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) parts.push(value);
    else if (typeof value === 'string' || typeof value === 'number') {
      parts.push(text.encode(String(value)));
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        parts.push(text.encode(key));
        walk(inner);
      }
    }
  };
  for (const store of db.objectStoreNames) {
    const tx = db.transaction(store);
    for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
      walk(cursor.key);
      walk(cursor.value);
    }
  }
  db.close();
  return Buffer.concat(parts);
}
