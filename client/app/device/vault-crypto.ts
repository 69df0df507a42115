// The crypto api calls DeviceVault makes. `CryptoApi` and `Remote<CryptoApi>` both fit:
// every call may return a value or a promise of it.
import type { WrappedDataKey } from '../../crypto/at-rest';
import type { DeviceWrappedDataKey } from '../../crypto/worker-api/device-key';
import type { RecordCrypto } from '../../core/history-store';
import type { Result } from '../../crypto/result';

type MaybePromise<T> = T | Promise<T>;

export interface VaultCrypto extends RecordCrypto {
  createDataKey(): MaybePromise<string>;
  wrapDataKey(dataKey: string, passphrase: string): Promise<WrappedDataKey>;
  unwrapDataKey(stored: unknown, passphrase: string): Promise<Result<string>>;
  wrapDataKeyForDevice(dataKey: string): Promise<DeviceWrappedDataKey>;
  unwrapDataKeyForDevice(stored: unknown): Promise<Result<string>>;
  forgetDeviceKeys(): Promise<void>;
  release(handle: string): MaybePromise<void>;
}
