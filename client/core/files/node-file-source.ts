// Node only (CLI, tests): a file on disk as a FileSource, read in 1 MiB pieces.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
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
