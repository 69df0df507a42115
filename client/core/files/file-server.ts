// Answering chunk requests (DESIGN.md section 8): any member holding chunks of a file (its
// sender, or anyone who fetched some of it) sends the part of a request it holds, as
// stored (sealed), in frames of up to 15 chunks on the file channel, then an 'end' frame.
// One request at a time per peer, so a request's frames and its 'end' stay in order.
import {
  FILE_CHUNKS_PER_FRAME,
  type ChunkRange,
  type PeerMessage,
} from '../../../signaling/protocol';
import type { ChunkFile } from '../../storage/chunk-store';
import { encodeChunkFrame, encodeEndFrame } from './chunk-frame';
import type { FileChannel } from './file-channel';
import { frameRuns, heldParts, rangeLength } from './range-plan';

type Request = Extract<PeerMessage, { type: 'file-request' }>;

interface Job {
  file: string;
  req: number;
  parts: ChunkRange[];
  chunks: ChunkFile;
  cancelled: boolean;
}

export interface FileServerOptions {
  /** The chunks of a file we may serve (known offer, not expired), or undefined. */
  servable(fileId: string): Promise<ChunkFile | undefined>;
  sendControl(peerId: string, message: PeerMessage): Promise<boolean>;
  channel(peerId: string): FileChannel | undefined;
  /** Fault injection for tests: what actually goes out for each frame. */
  outgoingFrames?: (frame: Uint8Array) => Uint8Array[] | Promise<Uint8Array[]>;
}

/** Frames read from the store ahead of the one being sent. */
const READ_AHEAD = 4;

export class FileServer {
  private readonly queues = new Map<string, Job[]>();
  private readonly running = new Set<string>();

  constructor(private readonly o: FileServerOptions) {}

  async onRequest(peerId: string, request: Request): Promise<void> {
    const chunks = await this.o.servable(request.file);
    const parts = chunks ? heldParts(chunks.bitmap, request.ranges) : [];
    if (!chunks || parts.length === 0) {
      await this.o.sendControl(peerId, {
        type: 'file-missing',
        file: request.file,
        req: request.req,
      });
      return;
    }
    // Holding only part of it: say which part (the frames that follow tell the rest). All
    // of it: the frames alone answer (one secure-channel message fewer per request).
    if (rangeLength(parts) < rangeLength(request.ranges)) {
      await this.o.sendControl(peerId, {
        type: 'file-have',
        file: request.file,
        req: request.req,
        ranges: parts,
      });
    }
    const queue = this.queues.get(peerId) ?? [];
    queue.push({ file: request.file, req: request.req, parts, chunks, cancelled: false });
    this.queues.set(peerId, queue);
    if (!this.running.has(peerId)) void this.run(peerId);
  }

  onCancel(peerId: string, file: string, req: number): void {
    for (const job of this.queues.get(peerId) ?? []) {
      if (job.file === file && job.req === req) job.cancelled = true;
    }
  }

  /** The peer left: drop what was queued for it. */
  forget(peerId: string): void {
    for (const job of this.queues.get(peerId) ?? []) job.cancelled = true;
    this.queues.delete(peerId);
  }

  /** A file was deleted (expired, cancelled): stop serving it. */
  stopServing(fileId: string): void {
    for (const queue of this.queues.values()) {
      for (const job of queue) if (job.file === fileId) job.cancelled = true;
    }
  }

  private async run(peerId: string): Promise<void> {
    this.running.add(peerId);
    try {
      for (;;) {
        const queue = this.queues.get(peerId);
        const job = queue?.[0];
        if (!job) return;
        await this.serve(peerId, job).catch(() => undefined);
        queue!.shift();
      }
    } finally {
      this.running.delete(peerId);
    }
  }

  private async send(channel: FileChannel, frame: Uint8Array): Promise<boolean> {
    const frames = this.o.outgoingFrames ? await this.o.outgoingFrames(frame) : [frame];
    for (const out of frames) if (!(await channel.send(out))) return false;
    return true;
  }

  private async serve(peerId: string, job: Job): Promise<void> {
    const runs = [...frameRuns(job.parts, FILE_CHUNKS_PER_FRAME)];
    // Read a few frames ahead, so the disk (a worker round trip each, in the browser)
    // works while the channel drains.
    const read = (i: number) =>
      i < runs.length ? job.chunks.readChunks(runs[i]!.first, runs[i]!.count) : null;
    const ahead: (Promise<Uint8Array> | null)[] = [];
    for (let i = 0; i < READ_AHEAD; i++) {
      ahead.push(read(i));
      ahead[i]?.catch(() => undefined);
    }
    for (let i = 0; i < runs.length; i++) {
      const sealed = await ahead.shift()!.catch(() => null);
      const next = read(i + READ_AHEAD);
      next?.catch(() => undefined);
      ahead.push(next);
      if (job.cancelled) return;
      const channel = this.o.channel(peerId);
      if (!channel) return;
      // A chunk that went missing (file deleted meanwhile) is skipped; the peer asks again.
      if (!sealed) continue;
      const { first, count } = runs[i]!;
      if (!(await this.send(channel, encodeChunkFrame(job.file, job.req, first, count, sealed)))) {
        return;
      }
    }
    const channel = this.o.channel(peerId);
    if (channel && !job.cancelled) await this.send(channel, encodeEndFrame(job.file, job.req));
  }
}
