import { describe, expect, it } from 'vitest';
import { randomBytes, toHex } from '../../../../client/crypto/primitives/bytes';
import { sha256 } from '../../../../client/crypto/primitives/kdf';
import { createSha256Stream } from '../../../../client/crypto/primitives/sha256-stream';

describe('streaming SHA-256', () => {
  it('gives the one-shot digest however the input is split', async () => {
    const data = randomBytes(300_000);
    const expected = toHex(await sha256(data));
    for (const piece of [1, 4095, 65536, 300_000]) {
      const stream = await createSha256Stream();
      for (let offset = 0; offset < data.length; offset += piece) {
        stream.update(data.subarray(offset, offset + piece));
      }
      expect(toHex(stream.digest())).toBe(expected);
    }
  });

  it('keeps two streams independent', async () => {
    const [a, b] = await Promise.all([createSha256Stream(), createSha256Stream()]);
    a.update(new Uint8Array([1]));
    b.update(new Uint8Array([2]));
    expect(toHex(a.digest())).toBe(toHex(await sha256(new Uint8Array([1]))));
    expect(toHex(b.digest())).toBe(toHex(await sha256(new Uint8Array([2]))));
  });
});
