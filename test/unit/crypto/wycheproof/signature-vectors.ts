// Ed25519 and ECDSA P-256 (SHA-256, P1363 r||s) verification through verifySignature.
import type { SignatureAlg } from '../../../../client/crypto/primitives/signature';
import { verifySignature } from '../../../../client/crypto/primitives/signature';
import { allTests, hex, loadVectorFile, Tally, type FileTally } from './vector-file';

const SIGNATURE_FILES: Record<string, { alg: SignatureAlg; keyField: string }> = {
  'ed25519_test.json': { alg: 'ed25519', keyField: 'pk' },
  'ecdsa_secp256r1_sha256_p1363_test.json': { alg: 'ecdsa-p256', keyField: 'uncompressed' },
};

export const SIGNATURE_VECTOR_FILES = Object.keys(SIGNATURE_FILES);

export async function runSignatureFile(name: string): Promise<FileTally> {
  const { alg, keyField } = SIGNATURE_FILES[name]!;
  const tally = new Tally(name);
  for (const { group, test } of allTests(loadVectorFile(name))) {
    if (group['sha'] !== undefined && group['sha'] !== 'SHA-256') {
      tally.skip(`hash ${String(group['sha'])} (our ECDSA uses SHA-256)`);
      continue;
    }
    const publicKey = hex((group['publicKey'] as Record<string, unknown>)[keyField]);
    const verified = await verifySignature(alg, publicKey, hex(test['msg']), hex(test['sig']));
    tally.check(
      test,
      verified === (test.result === 'valid'),
      `verifySignature returned ${verified}`,
    );
  }
  return tally.result;
}
