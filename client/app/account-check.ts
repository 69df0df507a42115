// Who uses this device: its identity key (created once, kept in the worker's key store)
// and the signed-in account, which the server confirms when it can be reached and the
// vault remembers for when it can't (so the app opens offline).
import type { CryptoPort } from '../core/crypto-port';
import type { IdentityPublic } from '../core/identity-info';
import { NetworkError, ServerError, type ServerApi } from '../core/server-api';
import type { Account } from './app-types';
import { toAppError } from './app-errors';
import type { DeviceVault } from './device/vault';
import { ACCOUNT_KEY, AccountSchema } from './settings';

export async function loadDeviceIdentity(crypto: CryptoPort): Promise<IdentityPublic> {
  const saved = await crypto.loadSavedIdentity();
  if (saved?.ok) return saved.value;
  const created = await crypto.createIdentity();
  await crypto.saveIdentity(created.handle);
  return created;
}

export async function whoIsSignedIn(
  server: ServerApi,
  vault: DeviceVault,
): Promise<{ account: Account | null; online: boolean }> {
  try {
    const me = await server.me();
    return {
      account: me ? { username: me.username, isAdmin: me.role === 'admin' } : null,
      online: true,
    };
  } catch (error) {
    const unreachable =
      error instanceof NetworkError || (error instanceof ServerError && error.status >= 500);
    if (!unreachable) throw toAppError(error);
    const remembered = await vault.readSetting(ACCOUNT_KEY, AccountSchema.nullable());
    return { account: remembered ?? null, online: false };
  }
}
