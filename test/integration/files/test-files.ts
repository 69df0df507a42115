// Test files on disk: deterministic pseudo-random content (so no two chunks are alike)
// written in 1 MiB pieces, with their SHA-256.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

export async function makeFile(
  dir: string,
  name: string,
  size: number,
  seed = 1,
): Promise<{ path: string; sha256: string; size: number }> {
  const path = join(dir, name);
  const handle = await open(path, 'w');
  const hash = createHash('sha256');
  let state = seed >>> 0 || 1;
  try {
    for (let written = 0; written < size;) {
      const piece = new Uint8Array(Math.min(1024 * 1024, size - written));
      const words = new Uint32Array(piece.buffer, 0, piece.length >> 2);
      for (let i = 0; i < words.length; i++) {
        // xorshift32: fast, and no two 16 KiB chunks repeat.
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        words[i] = state >>> 0;
      }
      for (let i = words.length * 4; i < piece.length; i++) piece[i] = (i * 31 + seed) & 0xff;
      hash.update(piece);
      await handle.write(piece);
      written += piece.length;
    }
  } finally {
    await handle.close();
  }
  return { path, sha256: hash.digest('hex'), size };
}
