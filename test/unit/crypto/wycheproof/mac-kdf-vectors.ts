// HMAC-SHA256 and HKDF-SHA256 vectors through hmacSha256 / verifyHmacSha256 / hkdfSha256.
import { hkdfSha256, hmacSha256, verifyHmacSha256 } from '../../../../client/crypto/primitives/kdf';
import { allTests, hex, loadVectorFile, sameBytes, Tally, type FileTally } from './vector-file';

/**
 * Full 256-bit tags go through verifyHmacSha256 (and hmacSha256 for valid ones). For
 * truncated tags, which verifyHmacSha256 deliberately refuses, the vector still runs
 * through our hmacSha256: its output's prefix must equal the tag exactly for valid
 * vectors and differ for invalid ones; and verifyHmacSha256 must refuse the short tag.
 */
export async function runHmacFile(name: string): Promise<FileTally> {
  const tally = new Tally(name);
  for (const { group, test } of allTests(loadVectorFile(name))) {
    const [key, msg, tag] = [hex(test['key']), hex(test['msg']), hex(test['tag'])];
    const valid = test.result === 'valid';
    if (Number(group['tagSize']) === 256) {
      const verified = await verifyHmacSha256(key, msg, tag);
      const computed = await hmacSha256(key, msg);
      tally.check(
        test,
        verified === valid && sameBytes(computed, tag) === valid,
        'verifyHmacSha256 disagrees with the vector',
      );
    } else {
      const prefix = (await hmacSha256(key, msg)).subarray(0, tag.length);
      const refusesShortTag = !(await verifyHmacSha256(key, msg, tag));
      tally.check(
        test,
        sameBytes(prefix, tag) === valid && refusesShortTag,
        'truncated HMAC-SHA256 disagrees with the vector',
      );
    }
  }
  return tally.result;
}

/** Invalid HKDF vectors ask for more than 255 * 32 bytes: hkdfSha256 must refuse. */
export async function runHkdfFile(name: string): Promise<FileTally> {
  const tally = new Tally(name);
  for (const { test } of allTests(loadVectorFile(name))) {
    const [ikm, salt, info] = [hex(test['ikm']), hex(test['salt']), hex(test['info'])];
    const size = Number(test['size']);
    let okm: Uint8Array | undefined;
    try {
      okm = await hkdfSha256(ikm, salt, info, size);
    } catch {
      okm = undefined;
    }
    if (test.result === 'invalid')
      tally.check(test, okm === undefined, 'an invalid size was accepted');
    else tally.check(test, okm !== undefined && sameBytes(okm, hex(test['okm'])), 'wrong okm');
  }
  return tally.result;
}
