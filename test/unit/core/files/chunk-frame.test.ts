// Chunk batching on the file channel: 15 sealed 16 KiB chunks per message stay under
// Chromium's 256 KiB message limit; malformed frames are refused before any crypto.
import { describe, expect, it } from 'vitest';
import {
  BadFrameError,
  decodeChunkFrame,
  encodeChunkFrame,
  encodeEndFrame,
} from '../../../../client/core/files/chunk-frame';
import { SEALED_CHUNK_BYTES, sealedRunBytes } from '../../../../client/core/files/file-layout';
import { FILE_CHUNKS_PER_FRAME, FILE_FRAME_MAX_BYTES } from '../../../../signaling/protocol';

const FILE = 'AAECAwQFBgcICQoLDA0ODw';

describe('chunk frames', () => {
  it('carries 15 sealed chunks in one message under 256 KiB, and decodes what it encodes', () => {
    const sealed = new Uint8Array(FILE_CHUNKS_PER_FRAME * SEALED_CHUNK_BYTES).map((_, i) => i);
    const first = 2 ** 33 + 7; // a chunk index above 32 bits survives the u48 field
    const frame = encodeChunkFrame(FILE, 99, first, FILE_CHUNKS_PER_FRAME, sealed);
    expect(frame.length).toBeLessThanOrEqual(FILE_FRAME_MAX_BYTES);
    const decoded = decodeChunkFrame(frame);
    expect(decoded).toMatchObject({ kind: 'chunks', file: FILE, req: 99, first, count: 15 });
    expect(decoded.kind === 'chunks' && Buffer.from(decoded.sealed).equals(sealed)).toBe(true);
  });

  it('does not let a 16th chunk through (it would exceed 256 KiB)', () => {
    const sealed = new Uint8Array(16 * SEALED_CHUNK_BYTES);
    expect(() => encodeChunkFrame(FILE, 1, 0, 16, sealed)).toThrow(BadFrameError);
  });

  it('has a bare end frame per request', () => {
    expect(decodeChunkFrame(encodeEndFrame(FILE, 5))).toEqual({ kind: 'end', file: FILE, req: 5 });
  });

  it('refuses malformed frames', () => {
    const good = encodeChunkFrame(FILE, 1, 0, 1, new Uint8Array(sealedRunBytes(10, 0, 1)));
    const badKind = good.slice();
    badKind[0] = 9;
    const noCount = good.slice();
    noCount[27] = 0;
    noCount[28] = 0;
    const tooMany = good.slice();
    tooMany[28] = 16;
    const noRequest = good.slice();
    noRequest.fill(0, 17, 21);
    const endWithBody = new Uint8Array([...encodeEndFrame(FILE, 1), 1, 2, 3]);
    for (const frame of [badKind, noCount, tooMany, noRequest, endWithBody, good.slice(0, 10)]) {
      expect(() => decodeChunkFrame(frame)).toThrow(BadFrameError);
    }
  });
});
