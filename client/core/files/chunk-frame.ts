// The binary frames of the file channel (layout in signaling/protocol.ts, FILE_CHANNEL_ID):
// a 32-byte header and sealed chunks back to back. Decoding checks the shape only; the
// chunks themselves are authenticated by the file's AEAD.
import {
  FILE_CHUNKS_PER_FRAME,
  FILE_FRAME_HEADER_BYTES,
  FILE_FRAME_MAX_BYTES,
  FileFrameKind,
} from '../../../signaling/protocol';
import { fromBase64Url, toBase64Url } from '../bytes';

const FILE_ID_BYTES = 16;

export type ChunkFrame =
  | { kind: 'chunks'; file: string; req: number; first: number; count: number; sealed: Uint8Array }
  | { kind: 'end'; file: string; req: number };

export class BadFrameError extends Error {
  override name = 'BadFrameError';
}

function writeHeader(
  frame: Uint8Array,
  kind: number,
  file: string,
  req: number,
  first: number,
  count: number,
): void {
  const id = fromBase64Url(file);
  if (id.length !== FILE_ID_BYTES) throw new BadFrameError('A file id is 16 bytes.');
  const view = new DataView(frame.buffer, frame.byteOffset, FILE_FRAME_HEADER_BYTES);
  view.setUint8(0, kind);
  frame.set(id, 1);
  view.setUint32(17, req);
  view.setUint16(21, Math.floor(first / 2 ** 32));
  view.setUint32(23, first % 2 ** 32);
  view.setUint16(27, count);
}

export function encodeChunkFrame(
  file: string,
  req: number,
  first: number,
  count: number,
  sealed: Uint8Array,
): Uint8Array {
  const frame = new Uint8Array(FILE_FRAME_HEADER_BYTES + sealed.length);
  if (frame.length > FILE_FRAME_MAX_BYTES) throw new BadFrameError('This frame is too large.');
  writeHeader(frame, FileFrameKind.chunks, file, req, first, count);
  frame.set(sealed, FILE_FRAME_HEADER_BYTES);
  return frame;
}

export function encodeEndFrame(file: string, req: number): Uint8Array {
  const frame = new Uint8Array(FILE_FRAME_HEADER_BYTES);
  writeHeader(frame, FileFrameKind.end, file, req, 0, 0);
  return frame;
}

/** Throws BadFrameError for anything that is not a well-formed frame. */
export function decodeChunkFrame(frame: Uint8Array): ChunkFrame {
  if (frame.length < FILE_FRAME_HEADER_BYTES || frame.length > FILE_FRAME_MAX_BYTES) {
    throw new BadFrameError('A file frame has the wrong size.');
  }
  const view = new DataView(frame.buffer, frame.byteOffset, FILE_FRAME_HEADER_BYTES);
  const kind = view.getUint8(0);
  const file = toBase64Url(frame.subarray(1, 1 + FILE_ID_BYTES));
  const req = view.getUint32(17);
  if (req === 0) throw new BadFrameError('A file frame has no request id.');
  if (kind === FileFrameKind.end) {
    if (frame.length !== FILE_FRAME_HEADER_BYTES) throw new BadFrameError('An end frame is bare.');
    return { kind: 'end', file, req };
  }
  if (kind !== FileFrameKind.chunks) throw new BadFrameError('Unknown file frame kind.');
  const first = view.getUint16(21) * 2 ** 32 + view.getUint32(23);
  const count = view.getUint16(27);
  if (count === 0 || count > FILE_CHUNKS_PER_FRAME) {
    throw new BadFrameError('A chunk frame carries 1 to 15 chunks.');
  }
  return {
    kind: 'chunks',
    file,
    req,
    first,
    count,
    sealed: frame.subarray(FILE_FRAME_HEADER_BYTES),
  };
}
