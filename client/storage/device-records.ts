// The device's own records in IndexedDB: the passphrase-wrapped data key, exactly as the
// crypto worker handed it out (already encrypted). Read it to unlock before a
// HistoryStore can open.
import type { ChatDatabase } from './db';
import type { DeviceRow } from './schema';

type DeviceValue<N extends DeviceRow['name']> = Extract<DeviceRow, { name: N }>['value'];

export async function readDeviceRecord<N extends DeviceRow['name']>(
  db: ChatDatabase,
  name: N,
): Promise<DeviceValue<N> | undefined> {
  const row = await db.get('device', name);
  return row?.value as DeviceValue<N> | undefined;
}

export async function writeDeviceRecord(db: ChatDatabase, row: DeviceRow): Promise<void> {
  await db.put('device', row);
}
