// AeadTest files (AES-GCM, ChaCha20-Poly1305, XChaCha20-Poly1305, A256CBC-HS512) through
// our Aead implementations. Valid: seal must give exactly ct || tag and open must give
// msg back. Invalid: open must fail (a wrong-length key or nonce counts: our API refuses it).
import type { AeadAlgorithm } from '../../../../client/crypto/primitives/aead';
import { aeadFor } from '../../../../client/crypto/primitives/aead';
import { aesGcmForKeyLength } from '../../../../client/crypto/primitives/aes-gcm';
import { chacha20Poly1305 } from '../../../../client/crypto/primitives/chacha';
import { concatBytes } from '../../../../client/crypto/primitives/bytes';
import { allTests, hex, loadVectorFile, sameBytes, Tally, type FileTally } from './vector-file';

type AlgorithmForGroup = (keySizeBits: number) => AeadAlgorithm | undefined;

const AEAD_FILES: Record<string, AlgorithmForGroup> = {
  'aes_gcm_test.json': (bits) =>
    bits === 256 ? aeadFor('aes-256-gcm') : aesGcmForKeyLength(bits / 8),
  'chacha20_poly1305_test.json': () => chacha20Poly1305,
  'xchacha20_poly1305_test.json': () => aeadFor('xchacha20-poly1305'),
  'a256cbc_hs512_test.json': () => aeadFor('aes-256-cbc-hmac-sha512'),
};

export const AEAD_VECTOR_FILES = Object.keys(AEAD_FILES);

export async function runAeadFile(name: string): Promise<FileTally> {
  const algorithmFor = AEAD_FILES[name]!;
  const tally = new Tally(name);
  for (const { group, test } of allTests(loadVectorFile(name))) {
    const alg = algorithmFor(Number(group['keySize']));
    if (!alg) throw new Error(`no AEAD for ${name} keySize ${String(group['keySize'])}`);
    const [key, iv, aad, msg] = [
      hex(test['key']),
      hex(test['iv']),
      hex(test['aad']),
      hex(test['msg']),
    ];
    const sealed = concatBytes(hex(test['ct']), hex(test['tag']));
    const ivBits = Number(group['ivSize']);
    const tagBits = Number(group['tagSize']);

    if (test.result === 'invalid') {
      const opened = await alg.open(key, iv, sealed, aad);
      tally.check(test, !opened.ok, 'an invalid vector was accepted');
      continue;
    }
    // Valid vectors with parameters our API cannot express are skipped, by reason.
    if (ivBits !== alg.nonceLength * 8) {
      tally.skip(`${alg.name} nonce other than ${alg.nonceLength * 8} bits`);
      continue;
    }
    if (tagBits !== alg.tagLength * 8) {
      tally.skip(`${alg.name} tag other than ${alg.tagLength * 8} bits`);
      continue;
    }
    const resealed = await alg.seal(key, iv, msg, aad);
    const opened = await alg.open(key, iv, sealed, aad);
    tally.check(
      test,
      sameBytes(resealed, sealed) && opened.ok && sameBytes(opened.value, msg),
      'seal or open disagrees with the vector',
    );
  }
  return tally.result;
}
