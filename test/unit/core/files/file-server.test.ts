// What a member holding chunks answers to a request (DESIGN.md section 8): nothing but the
// frames when it holds all of it, "have" with the part it holds, "missing" with none.
import { describe, expect, it } from 'vitest';
import type { PeerMessage } from '../../../../signaling/protocol';
import { ChunkBitmap } from '../../../../client/core/files/chunk-bitmap';
import { FileServer } from '../../../../client/core/files/file-server';
import type { ChunkFile } from '../../../../client/storage/chunk-store';

const FILE = 'A'.repeat(22);

function holding(count: number, held: [number, number][]): ChunkFile {
  const bitmap = new ChunkBitmap(count);
  for (const [first, n] of held) bitmap.setRun(first, n);
  return { bitmap } as ChunkFile;
}

async function answers(chunks: ChunkFile | undefined, ranges: { from: number; to: number }[]) {
  const sent: PeerMessage[] = [];
  const server = new FileServer({
    servable: () => Promise.resolve(chunks),
    sendControl: (_, message) => {
      sent.push(message);
      return Promise.resolve(true);
    },
    channel: () => undefined, // no file channel: no frames go out here
  });
  await server.onRequest('peer', { type: 'file-request', file: FILE, req: 7, ranges });
  return sent;
}

describe('FileServer answers', () => {
  it('sends no control message when it holds everything asked for (the frames answer)', async () => {
    expect(await answers(holding(100, [[0, 100]]), [{ from: 10, to: 70 }])).toEqual([]);
  });

  it('says which part it holds when it holds only part of it', async () => {
    const sent = await answers(holding(100, [[0, 30]]), [{ from: 10, to: 70 }]);
    expect(sent).toEqual([
      { type: 'file-have', file: FILE, req: 7, ranges: [{ from: 10, to: 30 }] },
    ]);
  });

  it('says it has none of it, or does not know the file', async () => {
    const missing = { type: 'file-missing', file: FILE, req: 7 };
    expect(await answers(holding(100, [[80, 20]]), [{ from: 10, to: 70 }])).toEqual([missing]);
    expect(await answers(undefined, [{ from: 0, to: 5 }])).toEqual([missing]);
  });
});
