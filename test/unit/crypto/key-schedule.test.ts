import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Base64Url32 } from '../../../signaling/protocol';
import { fromHex, toBase64Url, toHex } from '../../../client/crypto/primitives/bytes';
import { CryptoInputError } from '../../../client/crypto/primitives/errors';
import { sha256 } from '../../../client/crypto/primitives/kdf';
import {
  admitToken,
  admitVerifier,
  createEpochSecret,
  deriveEpochKeys,
  signalingPassword,
} from '../../../client/crypto/key-schedule';

const fixedSecret = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

describe('room key schedule', () => {
  it('derives three different keys, the same every time from the same secret', async () => {
    const keys = await deriveEpochKeys(fixedSecret, 0);
    const again = await deriveEpochKeys(fixedSecret, 0);
    const hexes = [toHex(keys.kSig), toHex(keys.kAdmit), toHex(keys.kPsk)];
    expect(new Set(hexes).size).toBe(3);
    expect([toHex(again.kSig), toHex(again.kAdmit), toHex(again.kPsk)]).toEqual(hexes);
    for (const key of [keys.kSig, keys.kAdmit, keys.kPsk]) expect(key.length).toBe(32);
  });

  it('keeps its derivation fixed (regression vector of our own)', async () => {
    // If this changes, every existing room link stops working: change it only with a
    // new label version.
    const keys = await deriveEpochKeys(fixedSecret, 0);
    expect({
      kSig: toHex(keys.kSig),
      kAdmit: toHex(keys.kAdmit),
      kPsk: toHex(keys.kPsk),
    }).toMatchInlineSnapshot(`
      {
        "kAdmit": "c442dbb543715d5c1c1165f14bddb5441e96078d437229e500ecacaeb85767cb",
        "kPsk": "dfc4cb4f04709c13fc5e188c1f82247f4189e050164d3262b52a607f143396bc",
        "kSig": "306b62d4398e122d3a47612be9eeb7a66aea343d163645a4ca86b2ca89fc4f00",
      }
    `);
  });

  it('uses the documented HKDF salt and labels (checked with node:crypto)', async () => {
    const keys = await deriveEpochKeys(fixedSecret, 7);
    const expected = (name: string) => {
      const info = Buffer.concat([
        Buffer.from(`p2p-secure-chat/v1/room/${name}`),
        Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 7]),
      ]);
      const salt = Buffer.from('p2p-secure-chat/v1/room-key-schedule');
      return Buffer.from(hkdfSync('sha256', fixedSecret, salt, info, 32)).toString('hex');
    };
    expect(toHex(keys.kSig)).toBe(expected('K_sig'));
    expect(toHex(keys.kAdmit)).toBe(expected('K_admit'));
    expect(toHex(keys.kPsk)).toBe(expected('K_psk'));
  });

  it('gives every epoch and every secret its own keys', async () => {
    const epoch0 = await deriveEpochKeys(fixedSecret, 0);
    const epoch1 = await deriveEpochKeys(fixedSecret, 1);
    const otherSecret = await deriveEpochKeys(createEpochSecret(), 0);
    const all = [epoch0, epoch1, otherSecret].flatMap((k) => [k.kSig, k.kAdmit, k.kPsk].map(toHex));
    expect(new Set(all).size).toBe(9);
    expect(epoch1.epoch).toBe(1);
  });

  it('makes the admission verifier base64url(SHA-256(K_admit)), as the server expects', async () => {
    const { kAdmit } = await deriveEpochKeys(fixedSecret, 0);
    const verifier = await admitVerifier(kAdmit);
    expect(verifier).toBe(toBase64Url(await sha256(kAdmit)));
    expect(Base64Url32.safeParse(verifier).success).toBe(true);
    expect(Base64Url32.safeParse(admitToken(kAdmit)).success).toBe(true);
    expect(verifier).not.toBe(admitToken(kAdmit));
  });

  it('derives the y-webrtc password from K_sig without revealing K_sig', async () => {
    const { kSig } = await deriveEpochKeys(fixedSecret, 0);
    const password = await signalingPassword(kSig);
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(password).not.toBe(toBase64Url(kSig));
    expect(password).toBe(await signalingPassword(kSig));
  });

  it('refuses secrets that are not 32 bytes and negative or fractional epochs', async () => {
    await expect(deriveEpochKeys(fixedSecret.subarray(1), 0)).rejects.toThrow(CryptoInputError);
    await expect(deriveEpochKeys(fixedSecret, -1)).rejects.toThrow(CryptoInputError);
    await expect(deriveEpochKeys(fixedSecret, 1.5)).rejects.toThrow(CryptoInputError);
    await expect(signalingPassword(new Uint8Array(31))).rejects.toThrow(CryptoInputError);
  });
});
