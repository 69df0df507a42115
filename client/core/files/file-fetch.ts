// Fetching one file (DESIGN.md section 8): ask one peer that may have it for the missing
// chunks in small windows (a few requests in the network, so the pipe stays full while at most
// a few MiB are ever on their way: a data channel has no receive-side back pressure),
// open each chunk in the worker as it arrives (bad tag, wrong place, cut short: rejected,
// asked for again), write good ones to the chunk store and the bitmap. A peer that says
// it has nothing, keeps sending bad chunks, goes quiet or leaves is replaced by the next;
// with none left we wait for a peer that has the file. All chunks held: the whole-file
// SHA-256 (running in the worker since chunk 0) must match the signed offer.
import type { ChunkRange, FileOffer, PeerMessage } from '../../../signaling/protocol';
import { ChunkStoreError, type ChunkFile } from '../../storage/chunk-store';
import { fromBase64Url } from '../bytes';
import type { CryptoPort } from '../crypto-port';
import type { ChunkFrame } from './chunk-frame';
import { sealedChunkBytes, sealedRunBytes } from './file-layout';
import type { FileFailReason } from './file-views';
import { planRequest } from './range-plan';

/**
 * Chunks per request: 960 KiB, four whole frames (FILE_CHUNKS_PER_FRAME). Every request
 * and its answer are secure-channel messages, sealed and opened in the crypto workers, so
 * fewer, larger requests leave those workers (and chat) more time: with 240 KiB requests
 * bench:files sent about 85 a second each way, and chat waited behind them.
 */
export const REQUEST_WINDOW = 60;
/**
 * A fetch (or a new source) starts with one-frame requests and doubles up to
 * REQUEST_WINDOW as answers come back: the first moments put little into a network path
 * that has been idle (bench:files: chat waited longest in the first second of a fetch).
 */
const FIRST_WINDOW = 15;
/**
 * Requests whose data is still on its way (their 'end' frame not here yet): at most about
 * 2 MiB in the network. NOTE: with 16 MiB asked for at once, the sender's SCTP (one association
 * for chat and files) sent bursts the receiving side dropped; recovering took a
 * retransmission timeout (~1 s) that held file data and chat alike (bench:files: file data
 * paused ~1 s and chat waited 1.4-3.5 s in the first second of a fetch).
 */
const REQUESTS_IN_NETWORK = 2;
/** Frames (up to 256 KiB each) arrived but not yet stored: more requests wait below this. */
const MAX_BACKLOG_FRAMES = 16;
/**
 * A source that sends nothing for this long is given up: a peer that vanished (a killed
 * tab, a dropped network) may take ICE much longer to declare dead.
 */
const STALL_MS = 8_000;
/** With no source left, look again this often (a peer may have finished fetching it). */
const WAIT_RETRY_MS = 3_000;
/** Requests that bring only bad chunks before a source is dropped. */
const MAX_STRIKES = 3;
const VERIFY_BATCH = 64;
/** Frames (up to 256 KiB each) handed to the worker and the store at once. */
const FRAMES_IN_WORK = 4;

let requestCounter = 0;
function nextRequestId(): number {
  requestCounter = (requestCounter % 2 ** 31) + 1;
  return requestCounter;
}

export interface FetchSource {
  peerId: string;
  device: string;
}

export interface FileFetchOptions {
  crypto: CryptoPort;
  offer: FileOffer;
  authorDevice: string;
  chunks: ChunkFile;
  context: Uint8Array;
  /** Members connected right now. */
  sources(): FetchSource[];
  sendControl(peerId: string, message: PeerMessage): Promise<boolean>;
  onState(state: 'fetching' | 'waiting' | 'verifying'): void;
  onProgress(): void;
  onVerified(): void;
  onFailed(reason: FileFailReason, message: string): void;
}

interface Outstanding {
  peerId: string;
  ranges: ChunkRange[];
  lastActivity: number;
  fresh: number;
  bad: number;
  /** Its 'end' frame arrived: nothing more of it is in the network. */
  arrived: boolean;
}

export class FileFetch {
  private running = false;
  private finished = false;
  private cipher: string | null = null;
  private source: string | null = null;
  private window = FIRST_WINDOW;
  private readonly outstanding = new Map<number, Outstanding>();
  private readonly excluded = new Set<string>();
  private readonly strikes = new Map<string, number>();
  private work: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setInterval> | undefined;
  private verifying = false;
  /** Frames received, not yet handed to the worker (bounded by the request windows). */
  private readonly arrived: { peerId: string; frame: ChunkFrame }[] = [];
  private framesInWork = 0;
  private lastWaitRetry = 0;
  /** Chunks rejected so far (tests and stats). */
  rejectedChunks = 0;

  constructor(private readonly o: FileFetchOptions) {}

  get active(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.finished) return;
    if (!this.cipher) {
      const key = await this.o.crypto.importFileKey(fromBase64Url(this.o.offer.key));
      if (!key.ok) return this.fail('bad-offer', 'The file offer carries a malformed key.');
      try {
        const created = await this.o.crypto.createFileChunkCipher(
          key.value,
          this.o.context,
          this.o.offer.size,
          fromBase64Url(this.o.offer.header),
        );
        if (!created.ok) return this.fail('bad-offer', 'The file offer does not fit its key.');
        this.cipher = created.value.handle;
      } finally {
        await this.o.crypto.release(key.value);
      }
    }
    this.running = true;
    this.excluded.clear();
    this.timer ??= setInterval(() => this.watch(), 1000);
    this.pump();
  }

  /** Stops asking (paused, or cancelled before stop()); what arrived is kept. */
  pause(): void {
    this.running = false;
    for (const [req, o] of this.outstanding) {
      void this.o.sendControl(o.peerId, { type: 'file-cancel', file: this.o.offer.id, req });
    }
    this.outstanding.clear();
    this.source = null;
  }

  /** For good: releases the worker handle once queued work is done. */
  async stop(waitForWork = true): Promise<void> {
    this.pause();
    this.finished = true;
    clearInterval(this.timer);
    if (waitForWork) await this.work.catch(() => undefined);
    if (this.cipher) await this.o.crypto.release(this.cipher);
    this.cipher = null;
  }

  peerJoined(): void {
    if (!this.running) return;
    this.excluded.clear();
    this.pump();
  }

  peerLeft(peerId: string): void {
    for (const [req, o] of this.outstanding) if (o.peerId === peerId) this.outstanding.delete(req);
    if (this.source === peerId) this.source = null;
    this.pump();
  }

  onControl(peerId: string, message: PeerMessage): void {
    if (message.type === 'file-have') {
      const o = this.outstanding.get(message.req);
      if (o && o.peerId === peerId) o.lastActivity = Date.now();
    } else if (message.type === 'file-missing') {
      const o = this.outstanding.get(message.req);
      if (!o || o.peerId !== peerId) return;
      this.outstanding.delete(message.req);
      this.drop(peerId);
      this.pump();
    }
  }

  onFrame(peerId: string, frame: ChunkFrame): void {
    if (this.finished || !this.cipher) return;
    // Any frame shows the peer is alive: its queued requests wait behind this one.
    const now = Date.now();
    for (const o of this.outstanding.values()) if (o.peerId === peerId) o.lastActivity = now;
    this.arrived.push({ peerId, frame });
    this.openArrived();
    if (frame.kind === 'end') {
      const o = this.outstanding.get(frame.req);
      if (o && o.peerId === peerId) o.arrived = true;
      // The next request goes out now, while this one's frames are opened and stored.
      this.pump();
    }
  }

  /**
   * Hands arrived frames to the worker, at most FRAMES_IN_WORK at a time (opening, then
   * storing). NOTE: in a session whose files share the chat's crypto worker, handing it
   * every frame at once (up to two request windows, 16 MiB) made a chat message wait
   * behind all of them (bench:files chat p99 1.8 s); now it waits behind about 1 MiB. The
   * app gives files a worker of their own (SessionFileOptions.crypto).
   */
  private openArrived(): void {
    while (this.arrived.length > 0 && this.framesInWork < FRAMES_IN_WORK) {
      if (this.finished || !this.cipher) {
        this.arrived.length = 0;
        return;
      }
      const { peerId, frame } = this.arrived.shift()!;
      if (frame.kind === 'end') {
        this.work = this.work.then(() => this.ended(peerId, frame.req));
        continue;
      }
      if (frame.first + frame.count > this.o.chunks.bitmap.count) {
        this.rejectedChunks += frame.count;
        continue;
      }
      // Opening starts now (the worker hashes in call order); storing waits its turn.
      const opened = this.o.crypto.openFileChunks(
        this.cipher,
        frame.first,
        frame.count,
        frame.sealed,
      );
      opened.catch(() => undefined);
      this.framesInWork++;
      this.work = this.work.then(async () => {
        try {
          const result = await opened;
          await this.keep(frame.req, frame.first, frame.count, result.sealed, result.bad);
        } finally {
          this.framesInWork--;
          queueMicrotask(() => {
            this.openArrived();
            this.pump();
          });
        }
      });
      this.work = this.work.catch((error: unknown) => this.storageFailed(error));
    }
  }

  private async keep(
    req: number,
    first: number,
    count: number,
    sealed: Uint8Array,
    bad: number[],
  ): Promise<void> {
    if (this.finished) return;
    const o = this.outstanding.get(req);
    this.rejectedChunks += bad.length;
    if (o) o.bad += bad.length;
    const size = this.o.offer.size;
    const rejected = new Set(bad);
    const bitmap = this.o.chunks.bitmap;
    let runStart = -1;
    let offset = 0;
    let runOffset = 0;
    const flush = async (end: number) => {
      if (runStart === -1) return;
      const bytes = sealed.subarray(
        runOffset,
        runOffset + sealedRunBytes(size, runStart, end - runStart),
      );
      await this.o.chunks.writeChunks(runStart, end - runStart, bytes);
      if (o) o.fresh += end - runStart;
      runStart = -1;
    };
    for (let i = first; i < first + count; i++) {
      const wanted = !rejected.has(i) && !bitmap.has(i);
      if (wanted && runStart === -1) {
        runStart = i;
        runOffset = offset;
      } else if (!wanted) {
        await flush(i);
      }
      offset += sealedChunkBytes(size, i);
    }
    await flush(first + count);
    this.o.onProgress();
    if (bitmap.complete) {
      // Everything is here: stop whatever is still coming and check the whole file.
      this.pause();
      this.running = true;
      void this.verify();
    }
  }

  private async ended(peerId: string, req: number): Promise<void> {
    const o = this.outstanding.get(req);
    if (!o || o.peerId !== peerId) return;
    this.outstanding.delete(req);
    if (o.fresh > 0) this.window = Math.min(REQUEST_WINDOW, this.window * 2);
    if (o.fresh === 0 && o.bad > 0) {
      const strikes = (this.strikes.get(peerId) ?? 0) + 1;
      this.strikes.set(peerId, strikes);
      if (strikes >= MAX_STRIKES) this.drop(peerId);
    }
    this.pump();
  }

  private drop(peerId: string): void {
    this.excluded.add(peerId);
    if (this.source === peerId) this.source = null;
  }

  private pickSource(): string | null {
    const candidates = this.o.sources().filter((s) => !this.excluded.has(s.peerId));
    const author = candidates.find((s) => s.device === this.o.authorDevice);
    return (author ?? candidates[0])?.peerId ?? null;
  }

  private pump(): void {
    if (!this.running || this.finished || this.verifying) return;
    const bitmap = this.o.chunks.bitmap;
    if (bitmap.complete) {
      if (this.outstanding.size === 0) void this.verify();
      return;
    }
    if (this.source && !this.o.sources().some((s) => s.peerId === this.source)) this.source = null;
    if (!this.source) {
      this.source = this.pickSource();
      this.window = FIRST_WINDOW;
    }
    if (!this.source) {
      if (this.outstanding.size === 0) this.o.onState('waiting');
      return;
    }
    this.o.onState('fetching');
    for (;;) {
      const inNetwork = [...this.outstanding.values()].filter((o) => !o.arrived).length;
      if (inNetwork >= REQUESTS_IN_NETWORK) return;
      if (this.arrived.length + this.framesInWork >= MAX_BACKLOG_FRAMES) return;
      const busy = [...this.outstanding.values()].flatMap((o) => o.ranges);
      const ranges = planRequest(bitmap, busy, this.window);
      if (ranges.length === 0) return;
      const req = nextRequestId();
      const peerId = this.source;
      this.outstanding.set(req, {
        peerId,
        ranges,
        lastActivity: Date.now(),
        fresh: 0,
        bad: 0,
        arrived: false,
      });
      void this.o
        .sendControl(peerId, { type: 'file-request', file: this.o.offer.id, req, ranges })
        .then((sent) => {
          if (!sent) this.peerLeft(peerId);
        });
    }
  }

  /** Once a second: give up on quiet sources; while waiting, look for a source again. */
  private watch(): void {
    if (!this.running || this.verifying) return;
    const now = Date.now();
    for (const [req, o] of this.outstanding) {
      if (now - o.lastActivity > STALL_MS) {
        this.outstanding.delete(req);
        void this.o.sendControl(o.peerId, { type: 'file-cancel', file: this.o.offer.id, req });
        this.drop(o.peerId);
      }
    }
    if (!this.source && now - this.lastWaitRetry > WAIT_RETRY_MS) {
      this.lastWaitRetry = now;
      this.excluded.clear();
    }
    this.pump();
  }

  private async verify(): Promise<void> {
    if (this.verifying || this.finished || !this.cipher) return;
    this.verifying = true;
    this.o.onState('verifying');
    try {
      const total = this.o.chunks.bitmap.count;
      let digest = await this.o.crypto.fileChunksDigest(this.cipher);
      // Chunks that arrived out of order (or before a restart) are hashed from the store.
      for (let first = digest.hashed; first < total; first += VERIFY_BATCH) {
        const count = Math.min(VERIFY_BATCH, total - first);
        const sealed = await this.o.chunks.readChunks(first, count);
        const opened = await this.o.crypto.openFileChunks(this.cipher, first, count, sealed);
        if (opened.bad.length > 0) {
          // Damaged at rest: forget them and fetch them again.
          for (const index of opened.bad) await this.o.chunks.forget(index, 1);
          this.verifying = false;
          this.pump();
          return;
        }
      }
      digest = await this.o.crypto.fileChunksDigest(this.cipher);
      if (digest.sha256 !== this.o.offer.sha256) {
        this.finished = true;
        await this.stop();
        return this.o.onFailed(
          'hash-mismatch',
          `"${this.o.offer.name}" did not match the SHA-256 its sender signed; it was discarded.`,
        );
      }
      this.finished = true;
      await this.stop();
      this.o.onVerified();
    } catch (error) {
      this.verifying = false;
      await this.storageFailed(error);
    }
  }

  private async storageFailed(error: unknown): Promise<void> {
    if (this.finished) return;
    // NOTE: this runs inside the work queue: waiting for the queue here would deadlock.
    await this.stop(false);
    if (error instanceof ChunkStoreError && error.code === 'quota') {
      return this.o.onFailed('quota', 'There is no room left on this device for this file.');
    }
    this.o.onFailed('storage', `This file could not be stored: ${(error as Error)?.message}`);
  }

  private fail(reason: FileFailReason, message: string): void {
    this.finished = true;
    this.o.onFailed(reason, message);
  }
}
