// The wrapped data key in the chat database's 'device' store. Exactly one of the two rows
// exists (schema.ts): switching the passphrase on or off writes the new one and deletes
// the old one in a single transaction, so a crash leaves one or the other, never neither.
import type { ChatDatabase } from '../../storage/db';
import { guardQuota } from '../../storage/quota';
import type { DeviceRow } from '../../storage/schema';

type RowName = DeviceRow['name'];
type ValueOf<N extends RowName> = Extract<DeviceRow, { name: N }>['value'];

export interface KeyRows {
  /** Under the passphrase (Argon2id): the lock is on. */
  readonly passphrase?: ValueOf<'wrapped-data-key'>;
  /** Under the worker's device key: no passphrase. */
  readonly device?: ValueOf<'device-wrapped-data-key'>;
}

export async function readKeyRows(db: ChatDatabase): Promise<KeyRows> {
  const tx = db.transaction('device');
  const [passphrase, device] = await Promise.all([
    tx.store.get('wrapped-data-key'),
    tx.store.get('device-wrapped-data-key'),
    tx.done,
  ]);
  return {
    passphrase: passphrase?.value as ValueOf<'wrapped-data-key'> | undefined,
    device: device?.value as ValueOf<'device-wrapped-data-key'> | undefined,
  };
}

/** First run: stores the row unless a key exists already (another tab won); true if stored. */
export async function addFirstKeyRow(db: ChatDatabase, row: DeviceRow): Promise<boolean> {
  return guardQuota(async () => {
    const tx = db.transaction('device', 'readwrite');
    const existing = await Promise.all([
      tx.store.getKey('wrapped-data-key'),
      tx.store.getKey('device-wrapped-data-key'),
    ]);
    if (existing.some((key) => key !== undefined)) {
      await tx.done;
      return false;
    }
    await Promise.all([tx.store.add(row), tx.done]);
    return true;
  });
}

/** Writes `row` and deletes the other kind, atomically. */
export async function replaceKeyRow(db: ChatDatabase, row: DeviceRow): Promise<void> {
  const other: RowName =
    row.name === 'wrapped-data-key' ? 'device-wrapped-data-key' : 'wrapped-data-key';
  await guardQuota(async () => {
    const tx = db.transaction('device', 'readwrite');
    await Promise.all([tx.store.put(row), tx.store.delete(other), tx.done]);
  });
}
