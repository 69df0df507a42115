// Each account's devices publish their identity public keys here, so others can look
// them up for invitations. Public keys only; private keys never leave the device.
import type { Db } from '../db/database';

export const MAX_DEVICES_PER_ACCOUNT = 16;

export interface DeviceKey {
  deviceId: string;
  algorithm: 'ed25519' | 'ecdsa-p256';
  publicKey: string;
  updatedAt: number;
}

export class TooManyDevicesError extends Error {
  override name = 'TooManyDevicesError';
}

export class DeviceKeys {
  constructor(private readonly db: Db) {}

  put(userId: number, key: Omit<DeviceKey, 'updatedAt'>): void {
    this.db.transaction(() => {
      const exists = this.db
        .prepare('SELECT 1 FROM device_keys WHERE user_id = ? AND device_id = ?')
        .get(userId, key.deviceId);
      if (!exists && this.list(userId).length >= MAX_DEVICES_PER_ACCOUNT) {
        throw new TooManyDevicesError(
          `an account can publish at most ${MAX_DEVICES_PER_ACCOUNT} device keys`,
        );
      }
      this.db
        .prepare(
          `INSERT INTO device_keys (user_id, device_id, algorithm, public_key, updated_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (user_id, device_id) DO UPDATE SET
             algorithm = excluded.algorithm, public_key = excluded.public_key,
             updated_at = excluded.updated_at`,
        )
        .run(userId, key.deviceId, key.algorithm, key.publicKey, Date.now());
    })();
  }

  list(userId: number): DeviceKey[] {
    return (
      this.db
        .prepare(
          'SELECT device_id, algorithm, public_key, updated_at FROM device_keys WHERE user_id = ? ORDER BY device_id',
        )
        .all(userId) as Array<{
        device_id: string;
        algorithm: DeviceKey['algorithm'];
        public_key: string;
        updated_at: number;
      }>
    ).map((row) => ({
      deviceId: row.device_id,
      algorithm: row.algorithm,
      publicKey: row.public_key,
      updatedAt: row.updated_at,
    }));
  }
}
