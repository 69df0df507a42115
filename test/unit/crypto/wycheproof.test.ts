// Every Wycheproof file in ../shared/testvectors/wycheproof/ through our own functions.
// `npm run test:vectors` adds a reporter that prints the per-file counts and the closing
// `wycheproof: N passed, F failed, S skipped` line.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AEAD_VECTOR_FILES, runAeadFile } from './wycheproof/aead-vectors';
import { runChunkedFile } from './wycheproof/chunked-vectors';
import { runEcdhWebcryptoFile, runX25519File } from './wycheproof/ecdh-vectors';
import { runHkdfFile, runHmacFile } from './wycheproof/mac-kdf-vectors';
import { SIGNATURE_VECTOR_FILES, runSignatureFile } from './wycheproof/signature-vectors';
import { loadVectorFile, VECTOR_DIR, type FileTally } from './wycheproof/vector-file';

const RUNNERS: Record<string, (name: string) => Promise<FileTally>> = {
  ...Object.fromEntries(AEAD_VECTOR_FILES.map((name) => [name, runAeadFile])),
  ...Object.fromEntries(SIGNATURE_VECTOR_FILES.map((name) => [name, runSignatureFile])),
  'hmac_sha256_test.json': runHmacFile,
  'hkdf_sha256_test.json': runHkdfFile,
  'x25519_test.json': runX25519File,
  'ecdh_secp256r1_webcrypto_test.json': runEcdhWebcryptoFile,
  'ecdh_secp521r1_webcrypto_test.json': runEcdhWebcryptoFile,
  'c2sp_chunked_encryption_aes_256_gcm_test.json': runChunkedFile,
};

// The only reasons a vector may be skipped: parameters our API cannot express.
const ALLOWED_SKIP = /^AES-(128|192|256)-GCM nonce other than 96 bits$/;

const vectorFiles = readdirSync(VECTOR_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();
const tallies: FileTally[] = [];

describe('Wycheproof vectors through our primitives', () => {
  it('has a runner for each of the twelve vector files', () => {
    expect(vectorFiles).toHaveLength(12);
    expect(vectorFiles).toEqual(Object.keys(RUNNERS).sort());
  });

  for (const name of vectorFiles) {
    it(`passes ${name}`, async ({ task }) => {
      const tally = await RUNNERS[name]!(name);
      task.meta.wycheproof = tally;
      tallies.push(tally);
      expect(tally.failures).toEqual([]);
      // Every vector in the file was counted exactly once.
      expect(tally.passed + tally.failed + tally.skipped).toBe(loadVectorFile(name).numberOfTests);
      for (const reason of Object.keys(tally.skipReasons)) expect(reason).toMatch(ALLOWED_SKIP);
    }, 120_000);
  }

  it('passes at least 2,800 vectors in total with none failed', () => {
    expect(tallies).toHaveLength(12);
    const passed = tallies.reduce((sum, tally) => sum + tally.passed, 0);
    const failed = tallies.reduce((sum, tally) => sum + tally.failed, 0);
    expect(failed).toBe(0);
    expect(passed).toBeGreaterThanOrEqual(2800);
  });
});
