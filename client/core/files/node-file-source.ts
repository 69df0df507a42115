// Node only (CLI, tests): a file on disk as a FileSource (read in 1 MiB pieces), and
// saving a received file to disk.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FileSource } from './file-views';

export async function nodeFileSource(path: string, type = ''): Promise<FileSource> {
  const info = await stat(path);
  return {
    name: basename(path),
    size: info.size,
    type,
    async *stream() {
      for await (const piece of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
        const buffer = piece as Buffer;
        yield new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      }
    },
  };
}

/** Writes a file's plaintext pieces (RoomSession.readFile) to `path`, never whole in memory. */
export async function saveToNodeFile(
  pieces: AsyncIterable<Uint8Array>,
  path: string,
): Promise<number> {
  const handle = await open(path, 'w', 0o600);
  let written = 0;
  try {
    for await (const piece of pieces) {
      await handle.write(piece);
      written += piece.length;
    }
  } finally {
    await handle.close();
  }
  return written;
}
