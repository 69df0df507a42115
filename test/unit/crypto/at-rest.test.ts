import { describe, expect, it } from 'vitest';
import {
  decryptRecord,
  encryptRecord,
  generateDataKey,
  unwrapDataKey,
  wrapDataKey,
  type WrappedDataKey,
} from '../../../client/crypto/at-rest';
import { toHex, utf8 } from '../../../client/crypto/primitives/bytes';
import { CryptoInputError } from '../../../client/crypto/primitives/errors';

const passphrase = 'correct horse battery staple';

describe('data key wrapped with a passphrase', () => {
  // One real wrap at the default 19 MiB / t=2, shared by the tests below.
  const dataKey = generateDataKey();
  const wrappedOnce = wrapDataKey(dataKey, passphrase);

  it('stores the Argon2id parameters and salt in a versioned JSON record and unwraps it', async () => {
    const stored = JSON.parse(JSON.stringify(await wrappedOnce)) as WrappedDataKey;
    expect(stored).toMatchObject({
      version: 1,
      kdf: 'argon2id',
      memoryKiB: 19456,
      iterations: 2,
      parallelism: 1,
    });
    expect(stored.salt.length).toBeGreaterThanOrEqual(22);
    const unwrapped = await unwrapDataKey(stored, passphrase);
    expect(unwrapped.ok && toHex(unwrapped.value)).toBe(toHex(dataKey));
  });

  it('says the passphrase is wrong, without revealing anything else', async () => {
    const result = await unwrapDataKey(await wrappedOnce, 'correct horse battery stapler');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe('bad-tag');
      expect(result.message).toBe('The passphrase is wrong. Check it and try again.');
    }
  });

  it('unlocks with the same passphrase typed in composed or decomposed Unicode', async () => {
    const key = generateDataKey();
    const wrapped = await wrapDataKey(key, 'caf\u00e9 au lait');
    const unwrapped = await unwrapDataKey(wrapped, 'cafe\u0301 au lait');
    expect(unwrapped.ok && toHex(unwrapped.value)).toBe(toHex(key));
  });

  it('refuses a record whose parameters were changed on disk', async () => {
    const stored = await wrappedOnce;
    const tampered = { ...stored, iterations: stored.iterations + 1 };
    const result = await unwrapDataKey(tampered, passphrase);
    expect(result.ok ? 'unwrapped' : result.reason).toBe('bad-tag');
  });

  it('refuses damaged, too weak and future-version records with typed failures', async () => {
    const stored = await wrappedOnce;
    const cases: Array<[unknown, string]> = [
      [null, 'malformed'],
      ['{}', 'malformed'],
      [{ ...stored, memoryKiB: 1024 }, 'malformed'], // below the 19 MiB floor
      [{ ...stored, iterations: 1 }, 'malformed'],
      [{ ...stored, salt: 'not base64url!' }, 'malformed'],
      [{ ...stored, extra: true }, 'malformed'],
      [{ ...stored, version: 2 }, 'unsupported-version'],
    ];
    for (const [record, reason] of cases) {
      const result = await unwrapDataKey(record, passphrase);
      expect(result.ok ? 'unwrapped' : result.reason).toBe(reason);
    }
  });

  it('refuses to wrap with parameters weaker than 19 MiB, t=2, or a key of the wrong size', async () => {
    const weak = { memoryKiB: 8192, iterations: 2, parallelism: 1, hashLength: 32 };
    await expect(wrapDataKey(dataKey, passphrase, weak)).rejects.toThrow(CryptoInputError);
    await expect(wrapDataKey(dataKey.subarray(1), passphrase)).rejects.toThrow(CryptoInputError);
  });
});

describe('record encryption', () => {
  const dataKey = generateDataKey();
  const here = { store: 'messages', id: 'device-1:42' };
  const text = utf8('meet at the station at 9');

  it('decrypts a record where it was stored', async () => {
    const sealed = await encryptRecord(dataKey, here, text);
    const opened = await decryptRecord(dataKey, here, sealed);
    expect(opened.ok && new TextDecoder().decode(opened.value)).toBe('meet at the station at 9');
    expect(Buffer.from(sealed).includes(Buffer.from('station'))).toBe(false);
  });

  it('uses a fresh nonce each time, so equal records look different', async () => {
    const a = await encryptRecord(dataKey, here, text);
    const b = await encryptRecord(dataKey, here, text);
    expect(toHex(a)).not.toBe(toHex(b));
  });

  it('refuses a record moved to another id or store (swapped records)', async () => {
    const sealed = await encryptRecord(dataKey, here, text);
    for (const elsewhere of [
      { store: 'messages', id: 'device-1:43' },
      { store: 'outbox', id: 'device-1:42' },
      // Length-prefixed fields: moving bytes between store and id changes the AAD.
      { store: 'messagesd', id: 'evice-1:42' },
    ]) {
      const opened = await decryptRecord(dataKey, elsewhere, sealed);
      expect(opened.ok ? 'opened' : opened.reason).toBe('bad-tag');
    }
  });

  it('refuses flipped bits, a wrong key, truncation and unknown versions', async () => {
    const sealed = await encryptRecord(dataKey, here, text);
    for (let index = 1; index < sealed.length; index += 5) {
      const tampered = sealed.slice();
      tampered[index]! ^= 0x40;
      const opened = await decryptRecord(dataKey, here, tampered);
      expect(opened.ok ? 'opened' : opened.reason).toBe('bad-tag');
    }
    const wrongKey = await decryptRecord(generateDataKey(), here, sealed);
    expect(wrongKey.ok ? 'opened' : wrongKey.reason).toBe('bad-tag');
    const cut = await decryptRecord(dataKey, here, sealed.subarray(0, 20));
    expect(cut.ok ? 'opened' : cut.reason).toBe('truncated');
    const future = sealed.slice();
    future[0] = 9;
    const version = await decryptRecord(dataKey, here, future);
    expect(version.ok ? 'opened' : version.reason).toBe('unsupported-version');
  });
});
