// c2sp.org/chunked-encryption (Cobblestone-256) through our file-stream decryptor, fed
// in uneven pieces as a network would deliver them. `ct` is zlib-compressed hex.
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { createFileDecryptor, createFileEncryptor } from '../../../../client/crypto/file-stream';
import { concatBytes } from '../../../../client/crypto/primitives/bytes';
import { allTests, hex, loadVectorFile, sameBytes, Tally, type FileTally } from './vector-file';

// Not a multiple of the chunk size, so chunk boundaries fall inside pushes.
const PIECE = 10_000;

interface Decrypted {
  plaintext: Uint8Array;
  ok: boolean;
  failedAgain: boolean;
}

async function decryptInPieces(key: Uint8Array, ctx: Uint8Array, sealed: Uint8Array) {
  const created = createFileDecryptor(key, ctx);
  if (!created.ok) return { plaintext: new Uint8Array(0), ok: false, failedAgain: true };
  const decryptor = created.value;
  const parts: Uint8Array[] = [];
  for (let offset = 0; offset < sealed.length; offset += PIECE) {
    const pushed = await decryptor.push(sealed.subarray(offset, offset + PIECE));
    if (!pushed.ok) {
      // A failed stream must keep failing rather than end cleanly.
      const again = await decryptor.finish();
      return { plaintext: concatBytes(...parts), ok: false, failedAgain: !again.ok };
    }
    parts.push(...pushed.value);
  }
  const last = await decryptor.finish();
  if (last.ok) parts.push(last.value);
  const again = last.ok ? true : !(await decryptor.finish()).ok;
  return { plaintext: concatBytes(...parts), ok: last.ok, failedAgain: again } satisfies Decrypted;
}

function sha512Hex(bytes: Uint8Array): string {
  return createHash('sha512').update(bytes).digest('hex');
}

/**
 * Valid: the message must decrypt to msgLength bytes with hash msgSha512, and
 * re-encrypting it under the same key, context and salt must give `ct` byte for byte.
 * Invalid: decryption must fail and keep failing; with PartialPlaintext, whatever was
 * released before the failure must be at most the vector's valid prefix.
 */
export async function runChunkedFile(name: string): Promise<FileTally> {
  const tally = new Tally(name);
  for (const { test } of allTests(loadVectorFile(name))) {
    const sealed = new Uint8Array(inflateSync(hex(test['ct'])));
    const [key, ctx] = [hex(test['key']), hex(test['ctx'])];
    const decrypted = await decryptInPieces(key, ctx, sealed);
    if (test.result === 'invalid') {
      const prefixOk =
        !test.flags.includes('PartialPlaintext') ||
        decrypted.plaintext.length <= Number(test['msgLength']);
      tally.check(
        test,
        !decrypted.ok && decrypted.failedAgain && prefixOk,
        'an invalid ciphertext was accepted, or released too much plaintext',
      );
      continue;
    }
    const matches =
      decrypted.ok &&
      decrypted.plaintext.length === Number(test['msgLength']) &&
      sha512Hex(decrypted.plaintext) === test['msgSha512'];
    let reencrypts = false;
    if (matches) {
      const encryptor = createFileEncryptor(key, ctx, sealed.subarray(0, 24));
      const body = await encryptor.push(decrypted.plaintext);
      const again = concatBytes(encryptor.header, ...body, await encryptor.finish());
      reencrypts = sameBytes(again, sealed);
    }
    tally.check(test, matches && reencrypts, 'decryption or re-encryption disagrees');
  }
  return tally.result;
}
