import { describe, expect, it } from 'vitest';
import { randomBytes, utf8 } from '../../../../client/crypto/primitives/bytes';
import {
  detectSignatureAlg,
  generateSigningKeyPair,
  sign,
  verifyEd25519Portable,
  verifySignature,
  type SignatureAlg,
} from '../../../../client/crypto/primitives/signature';
import { hex, loadVectorFile } from '../wycheproof/vector-file';

describe('signature algorithm detection', () => {
  it('picks Ed25519 on Node 20, whose WebCrypto has it', async () => {
    expect(await detectSignatureAlg()).toBe('ed25519');
  });
});

describe.each(['ed25519', 'ecdsa-p256'] as const)('%s', (alg: SignatureAlg) => {
  const message = utf8('a chat message');

  it('verifies its own signatures, with the documented key and signature sizes', async () => {
    const pair = await generateSigningKeyPair(alg);
    const signature = await sign(alg, pair.privateKey, message);
    expect(signature.length).toBe(64);
    expect(pair.publicKey.length).toBe(alg === 'ed25519' ? 32 : 65);
    expect(pair.privateKey.extractable).toBe(false);
    expect(await verifySignature(alg, pair.publicKey, message, signature)).toBe(true);
  });

  it('refuses a changed message, a flipped signature bit and another key', async () => {
    const pair = await generateSigningKeyPair(alg);
    const other = await generateSigningKeyPair(alg);
    const signature = await sign(alg, pair.privateKey, message);
    const flipped = signature.slice();
    flipped[10]! ^= 4;
    expect(await verifySignature(alg, pair.publicKey, utf8('a chat messagE'), signature)).toBe(
      false,
    );
    expect(await verifySignature(alg, pair.publicKey, message, flipped)).toBe(false);
    expect(await verifySignature(alg, other.publicKey, message, signature)).toBe(false);
  });

  it('returns false, never throws, for malformed keys and signatures', async () => {
    const pair = await generateSigningKeyPair(alg);
    const signature = await sign(alg, pair.privateKey, message);
    const garbageKey = randomBytes(pair.publicKey.length);
    if (alg === 'ecdsa-p256') garbageKey[0] = 4;
    const cases: Array<[Uint8Array, Uint8Array]> = [
      [pair.publicKey.subarray(1), signature],
      [pair.publicKey, signature.subarray(1)],
      [pair.publicKey, new Uint8Array([...signature, 0])],
      [garbageKey, signature],
      [new Uint8Array(0), new Uint8Array(0)],
    ];
    for (const [key, sig] of cases)
      expect(await verifySignature(alg, key, message, sig)).toBe(false);
    expect(await verifySignature('rsa' as SignatureAlg, pair.publicKey, message, signature)).toBe(
      false,
    );
  });
});

describe('portable Ed25519 verification (runtimes without WebCrypto Ed25519)', () => {
  it('agrees with WebCrypto on own signatures and tampering', async () => {
    const pair = await generateSigningKeyPair('ed25519');
    const message = utf8('hello');
    const signature = await sign('ed25519', pair.privateKey, message);
    expect(verifyEd25519Portable(pair.publicKey, message, signature)).toBe(true);
    expect(verifyEd25519Portable(pair.publicKey, utf8('hellO'), signature)).toBe(false);
    expect(verifyEd25519Portable(pair.publicKey.subarray(1), message, signature)).toBe(false);
  });

  it('gives the Wycheproof verdict on every Ed25519 vector', () => {
    const file = loadVectorFile('ed25519_test.json');
    let checked = 0;
    for (const group of file.testGroups) {
      const publicKey = hex((group['publicKey'] as Record<string, unknown>)['pk']);
      for (const test of group.tests) {
        const verified = verifyEd25519Portable(publicKey, hex(test['msg']), hex(test['sig']));
        expect(verified, `tcId ${test.tcId}`).toBe(test.result === 'valid');
        checked++;
      }
    }
    expect(checked).toBe(file.numberOfTests);
  });
});
