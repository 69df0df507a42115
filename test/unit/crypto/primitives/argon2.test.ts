import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ARGON2, argon2idRaw } from '../../../../client/crypto/primitives/argon2';
import { toHex, utf8 } from '../../../../client/crypto/primitives/bytes';
import { CryptoInputError } from '../../../../client/crypto/primitives/errors';

// Small parameters keep these fast; the default (19 MiB) runs in at-rest.test.ts.
const small = { memoryKiB: 64, iterations: 2, parallelism: 1, hashLength: 32 };
const salt = utf8('somesalt-16bytes');

describe('Argon2id', () => {
  it('defaults to 19 MiB, t=2, p=1 and a 32-byte output', () => {
    expect(DEFAULT_ARGON2).toEqual({
      memoryKiB: 19456,
      iterations: 2,
      parallelism: 1,
      hashLength: 32,
    });
  });

  it('agrees with an independent implementation (@noble/hashes)', async () => {
    const ours = await argon2idRaw('correct horse', salt, small);
    const noble = nobleArgon2id(utf8('correct horse'), salt, { t: 2, m: 64, p: 1, dkLen: 32 });
    expect(toHex(ours)).toBe(toHex(noble));
  });

  it('changes with the passphrase, the salt and every parameter', async () => {
    const base = toHex(await argon2idRaw('pass', salt, small));
    const variants = await Promise.all([
      argon2idRaw('pass!', salt, small),
      argon2idRaw('pass', utf8('othersalt-16byte'), small),
      argon2idRaw('pass', salt, { ...small, memoryKiB: 128 }),
      argon2idRaw('pass', salt, { ...small, iterations: 3 }),
      argon2idRaw('pass', salt, { ...small, parallelism: 2 }),
    ]);
    for (const variant of variants) expect(toHex(variant)).not.toBe(base);
  });

  it('refuses a salt shorter than 8 bytes', async () => {
    await expect(argon2idRaw('pass', new Uint8Array(4), small)).rejects.toThrow(CryptoInputError);
  });
});
