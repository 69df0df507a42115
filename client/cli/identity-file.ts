// The device identity of the terminal client, kept across runs so peers see the same key
// (and don't warn) when it restarts. Node has no IndexedDB to hold a non-extractable
// CryptoKey, so the crypto worker seals the key pair under the device data key and only
// that opaque record is written, next to the history, readable by this user alone.
import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { CryptoPort, PortIdentityInfo } from '../core/crypto-port';

const IDENTITY_FILE = 'identity.sealed';

/** The identity record is there but can't be opened (altered, or another data key). */
export class IdentityFileError extends Error {
  override name = 'IdentityFileError';
}

export interface LoadedIdentity extends PortIdentityInfo {
  /** True when this run created it (a first start in this data dir). */
  created: boolean;
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${file}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}

async function readIfPresent(file: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new IdentityFileError(`Cannot read ${file}: ${(error as Error).message}`);
  }
}

export async function loadOrCreateIdentity(
  dir: string,
  crypto: CryptoPort,
  dataKey: string,
): Promise<LoadedIdentity> {
  const file = path.join(dir, IDENTITY_FILE);
  const stored = await readIfPresent(file);
  if (stored) {
    const opened = await crypto.importIdentitySealed(dataKey, stored);
    if (!opened.ok) {
      // NOTE: never replaced silently: a new key would make every peer warn, and the old
      // one might be recoverable (a restored backup with its key file).
      throw new IdentityFileError(
        `The identity in ${file} can't be opened (${opened.message}). Restore it, or move it away to start over with a new identity.`,
      );
    }
    return { ...opened.value, created: false };
  }
  const identity = await crypto.createSealableIdentity();
  await writeAtomically(file, await crypto.exportIdentitySealed(identity.handle, dataKey));
  return { ...identity, created: true };
}
