// One person's RoomSession with file transfer in its own process (y-webrtc allows one
// provider per room per realm). Commands arrive as JSON lines on stdin; events leave as
// JSON lines on stdout. `fault` makes this peer a misbehaving server of chunks (tampered,
// cut short, duplicated, reordered or misplaced frames, a slow link, a lying offer).
import wrtc from '@roamhq/wrtc';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { createCryptoApi } from '../../../client/crypto/api';
import { nodeFileSource, saveToNodeFile } from '../../../client/core/files/node-file-source';
import { MemoryHistoryStore } from '../../../client/core/memory-history-store';
import { RoomSession, type RoomEvents } from '../../../client/core/room-session';
import { ServerApi } from '../../../client/core/server-api';
import { MemoryChunkStore } from '../../../client/storage/memory-chunk-store';
import { NodeChunkStore } from '../../../client/storage/node-chunk-store';
import { FILE_FRAME_HEADER_BYTES, type FileOffer } from '../../../signaling/protocol';

const [serverUrl, username, password, dataDir, quota] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string | undefined,
];

function out(event: string, payload: unknown = {}): void {
  process.stdout.write(JSON.stringify({ event, at: Date.now(), ...(payload as object) }) + '\n');
}

const EVENTS: (keyof RoomEvents)[] = [
  'peer-joined',
  'peer-left',
  'message',
  'error',
  'file-offered',
  'file-progress',
  'file-complete',
  'file-failed',
  'file-expired',
];

type Fault = 'none' | 'tamper' | 'truncate' | 'duplicate' | 'reorder' | 'slow' | 'lie' | 'oversize';
let fault: Fault = 'none';
let clockOffset = 0;
const seen = new Set<string>();
let held: Uint8Array | null = null;

function firstIndex(frame: Uint8Array): number {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  return view.getUint16(21) * 2 ** 32 + view.getUint32(23);
}

/** True the first time this frame (file, first chunk) goes out and its slot is picked. */
function pickedOnce(frame: Uint8Array, slot: number): boolean {
  const first = firstIndex(frame);
  const key = Buffer.from(frame.subarray(1, 17)).toString('hex') + ':' + first;
  if ((first / 15) % 4 !== slot || seen.has(key)) return false;
  seen.add(key);
  return true;
}

async function outgoingFrames(frame: Uint8Array): Promise<Uint8Array[]> {
  const isChunks = frame[0] === 1;
  switch (fault) {
    case 'tamper':
      if (isChunks && pickedOnce(frame, 1)) {
        const copy = frame.slice();
        copy[FILE_FRAME_HEADER_BYTES + 100]! ^= 0x01;
        return [copy];
      }
      return [frame];
    case 'truncate':
      return isChunks && pickedOnce(frame, 2) ? [frame.slice(0, frame.length - 200)] : [frame];
    case 'duplicate':
      return isChunks ? [frame, frame.slice()] : [frame];
    case 'reorder': {
      if (isChunks && pickedOnce(frame, 3)) {
        // Claims a place 15 chunks further on: the chunks' nonces no longer match.
        const moved = frame.slice();
        new DataView(moved.buffer).setUint32(23, firstIndex(frame) + 15);
        return [moved];
      }
      if (isChunks && !held) {
        held = frame;
        return [];
      }
      const before = held;
      held = null;
      return before ? [frame, before] : [frame];
    }
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, 25));
      return [frame];
    default:
      return [frame];
  }
}

async function sha256Of(
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of chunks) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

async function main(): Promise<void> {
  const server = new ServerApi({ baseUrl: serverUrl });
  await server.login(username, password);
  const crypto = createCryptoApi();
  const identity = await crypto.createIdentity();
  // With a quota: a store that holds only that many bytes (a nearly full disk).
  const chunkStore = quota
    ? new MemoryChunkStore(Number(quota))
    : new NodeChunkStore(join(dataDir, 'files'));
  const options = {
    server,
    crypto,
    identity,
    store: new MemoryHistoryStore(),
    displayName: username,
    username,
    wrtc,
    WebSocket,
    files: {
      store: chunkStore,
      now: () => Date.now() + clockOffset,
      expiryCheckMs: 200,
      outgoingFrames,
      offerHook: (offer: FileOffer) =>
        fault === 'lie'
          ? { ...offer, sha256: 'f'.repeat(64) }
          : fault === 'oversize'
            ? { ...offer, size: offer.size + 10_000_000 }
            : offer,
    },
  };
  let session: RoomSession | null = null;
  const listen = (s: RoomSession) => {
    for (const type of EVENTS) s.on(type, (e) => out(type, e));
  };
  const lines = createInterface({ input: process.stdin });
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    const command = JSON.parse(line) as Record<string, string>;
    // Answered at once, outside the queue (a transfer may be running in it).
    if (command.cmd === 'fault') {
      fault = command.mode as Fault;
      return out('fault-set', { mode: fault });
    }
    if (command.cmd === 'clock') {
      clockOffset = Number(command.offsetMs);
      return out('clock-set');
    }
    if (command.cmd === 'pause') return out('paused', session!.pauseFile(command.id!));
    if (command.cmd === 'memory') {
      return out('memory', {
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        heapUsedMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      });
    }
    queue = queue.then(async () => {
      try {
        switch (command.cmd) {
          case 'create': {
            const created = await RoomSession.create({
              ...options,
              origin: serverUrl,
              ...(command.maxFileBytes ? { maxFileBytes: Number(command.maxFileBytes) } : {}),
            });
            session = created.session;
            listen(session);
            out('ready', { link: created.link, roomId: session.roomId });
            break;
          }
          case 'join':
            session = await RoomSession.join(command.link!, options);
            listen(session);
            out('ready', { roomId: session.roomId });
            break;
          case 'send-file':
            out('file-sent', await session!.sendFile(await nodeFileSource(command.path!)));
            break;
          case 'fetch':
            out('fetching', await session!.fetchFile(command.id!));
            break;
          case 'resume':
            out('resumed', await session!.resumeFile(command.id!));
            break;
          case 'cancel':
            out('cancelled', await session!.cancelFile(command.id!));
            break;
          case 'save':
            out('saved', { id: command.id, ...(await sha256Of(session!.readFile(command.id!))) });
            break;
          case 'save-to':
            out('saved-to', {
              id: command.id,
              bytes: await saveToNodeFile(session!.readFile(command.id!), command.path!),
            });
            break;
          case 'send':
            out('sent', await session!.send(command.text!));
            break;
          case 'files':
            out('files', { files: session!.fileViews() });
            break;
          case 'stored':
            out('stored', { files: await chunkStore.list() });
            break;
          case 'leave':
            await session?.leave();
            out('left');
            process.exit(0);
        }
      } catch (error) {
        out('failed', {
          cmd: command.cmd,
          name: (error as Error).name,
          code: (error as { code?: string }).code,
          message: (error as Error).message,
        });
      }
    });
  });
  lines.on('close', () => {
    void queue.then(async () => {
      await session?.leave();
      process.exit(0);
    });
  });
  out('started');
}

void main().catch((error: unknown) => {
  out('crashed', { message: (error as Error).message });
  process.exit(1);
});
