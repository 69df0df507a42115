import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IdentityFileError, loadOrCreateIdentity } from '../../../client/cli/identity-file';
import { createCryptoApi } from '../../../client/crypto/api';
import { openCliDataKey } from '../../../client/storage/node-data-key';

async function device(dir: string) {
  // A fresh api per "run": nothing survives in memory between two starts of the client.
  const crypto = createCryptoApi();
  const dataKey = await openCliDataKey({ dir, crypto });
  return { crypto, dataKey };
}

describe('the terminal client identity file', () => {
  it('keeps the same identity key across restarts, stored sealed and private', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-identity-'));
    const first = await device(dir);
    const created = await loadOrCreateIdentity(dir, first.crypto, first.dataKey);
    expect(created.created).toBe(true);

    const second = await device(dir);
    const loaded = await loadOrCreateIdentity(dir, second.crypto, second.dataKey);
    expect(loaded).toMatchObject({ created: false, fingerprint: created.fingerprint });

    // It still signs: what it signs verifies under the key peers pinned.
    const info = loaded;
    const signature = await second.crypto.signEnvelope(loaded.handle, { text: 'hi' });
    const verified = await second.crypto.verifyEnvelope(
      { alg: info.alg, publicKey: info.publicKey },
      { text: 'hi' },
      signature,
    );
    expect(verified.ok).toBe(true);

    const file = path.join(dir, 'identity.sealed');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The public key is not even in the clear, let alone the private one.
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from(info.publicKey))).toBe(false);
  });

  it('refuses an altered identity file instead of quietly making a new identity', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-identity-'));
    const first = await device(dir);
    await loadOrCreateIdentity(dir, first.crypto, first.dataKey);
    const file = path.join(dir, 'identity.sealed');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1]! ^= 1;
    writeFileSync(file, bytes);
    const second = await device(dir);
    await expect(loadOrCreateIdentity(dir, second.crypto, second.dataKey)).rejects.toThrow(
      IdentityFileError,
    );
    expect(readFileSync(file)).toEqual(bytes);
  });
});
