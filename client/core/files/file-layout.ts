// Where each sealed chunk of a file lives (DESIGN.md section 8): C2SP chunked encryption
// cuts the plaintext into 16 KiB chunks, the final one always shorter (possibly empty),
// and each sealed chunk is 16 bytes longer. Stores lay sealed chunk i at i * 16400, so
// any chunk can be written or read on its own, in any order.
import { FILE_CHUNK_SIZE } from '../../../signaling/protocol';

export const CHUNK_TAG_BYTES = 16;
export const SEALED_CHUNK_BYTES = FILE_CHUNK_SIZE + CHUNK_TAG_BYTES;

/** Chunks of a file of `size` bytes, the short final one included. */
export function chunksOf(size: number): number {
  return Math.floor(size / FILE_CHUNK_SIZE) + 1;
}

export function plainChunkBytes(size: number, index: number): number {
  const last = chunksOf(size) - 1;
  if (index < last) return FILE_CHUNK_SIZE;
  return size - last * FILE_CHUNK_SIZE;
}

export function sealedChunkBytes(size: number, index: number): number {
  return plainChunkBytes(size, index) + CHUNK_TAG_BYTES;
}

/** Bytes of `count` consecutive sealed chunks from `first` (the final one may be among them). */
export function sealedRunBytes(size: number, first: number, count: number): number {
  if (count <= 0) return 0;
  const last = first + count - 1;
  return (count - 1) * SEALED_CHUNK_BYTES + sealedChunkBytes(size, last);
}

/** Plaintext bytes of `count` consecutive chunks from `first`. */
export function plainRunBytes(size: number, first: number, count: number): number {
  return sealedRunBytes(size, first, count) - count * CHUNK_TAG_BYTES;
}

export function sealedOffset(index: number): number {
  return index * SEALED_CHUNK_BYTES;
}

/** The whole sealed body (no header): what a chunk store holds once complete. */
export function sealedFileBytes(size: number): number {
  return sealedRunBytes(size, 0, chunksOf(size));
}
