// Every file of one room session (DESIGN.md section 8): offering ours (prepare, then a
// signed chat message carrying the offer), fetching others' on request, serving what we
// hold to any member, expiry after the room's TTL, and the views and events for the UI.
// RoomSession owns one and forwards its events, control messages and peer changes here.
import { FileOffer, type PeerMessage } from '../../../signaling/protocol';
import type { ChunkFile, ChunkFileMeta } from '../../storage/chunk-store';
import { BadFrameError, decodeChunkFrame } from './chunk-frame';
import { FileChannel } from './file-channel';
import { FileFetch } from './file-fetch';
import { fileContext, prepareFile } from './file-prepare';
import { FileServer } from './file-server';
import {
  FileActionError,
  type FileFailReason,
  type FileSource,
  type FileState,
  type FileSummary,
  type FileView,
} from './file-views';
import { readFileChunks } from './file-reader';
import { effectiveMaxFileBytes, formatByteLimit, roomLimitMessage } from './file-size-limit';
import { SpeedMeter, secondsLeft } from './speed-meter';
import { heldBytes, newTracked, parseMessageId, viewOf, type Tracked } from './tracked-file';
import type { FileTransfersOptions } from './file-transfers-options';

export type { FileMember, FileTransfersOptions } from './file-transfers-options';

const PROGRESS_EVERY_MS = 250;
const EXPIRY_CHECK_MS = 30_000;

export class FileTransfers {
  private readonly files = new Map<string, Tracked>();
  private readonly channels = new Map<string, FileChannel>();
  private readonly server: FileServer;
  private readonly now: () => number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  private sweeping = false;
  /** Ours, being hashed and sealed right now (their store meta says 'pending'). */
  private readonly preparing = new Set<string>();
  droppedFrames = 0;
  private readonly self: { device: string; now: () => number };

  constructor(protected readonly o: FileTransfersOptions) {
    this.now = o.now ?? Date.now;
    this.self = { device: o.selfDevice, now: this.now };
    this.server = new FileServer({
      servable: (id) => this.servable(id),
      sendControl: (peerId, message) => this.sendControl(peerId, message),
      channel: (peerId) => this.channels.get(peerId),
      ...(o.outgoingFrames ? { outgoingFrames: o.outgoingFrames } : {}),
    });
  }

  /** Start-up: expired data goes, our files and fetched ones are known again, fetches resume. */
  async init(): Promise<void> {
    await this.deleteExpiredData();
    for (const meta of await this.o.chunks.list()) {
      // Data whose offer is not in history yet stays until its expiry: history sync may
      // bring the offer back (then track() picks the data up again).
      if (meta.roomId === this.o.roomId) await this.track(meta.messageId);
    }
    this.timer = setInterval(() => void this.sweep(), this.o.expiryCheckMs ?? EXPIRY_CHECK_MS);
  }

  // --- what RoomSession forwards ------------------------------------------------------

  /** A message arrived or was read from history: if it offers a file, know the file. */
  noteMessage(view: { id: string; file?: FileSummary }): void {
    if (!view.file || this.files.has(view.file.id)) return;
    void this.track(view.id).then((tracked) => {
      // Our own offers are announced by sendFile, once their chunks are stored.
      if (tracked && !tracked.own) this.o.emit('file-offered', viewOf(tracked));
    });
  }

  peerJoined(peerId: string): void {
    const member = this.o.members().find((m) => m.peerId === peerId);
    if (!member) return;
    this.channels.get(peerId)?.close();
    this.channels.set(
      peerId,
      new FileChannel(
        member.link,
        (frame) => this.onFrame(peerId, frame),
        () => this.droppedFrames++,
      ),
    );
    for (const tracked of this.files.values()) tracked.fetch?.peerJoined();
  }

  peerLeft(peerId: string): void {
    this.channels.get(peerId)?.close();
    this.channels.delete(peerId);
    this.server.forget(peerId);
    for (const tracked of this.files.values()) tracked.fetch?.peerLeft(peerId);
  }

  onControl(link: object, message: PeerMessage): void {
    const member = this.o.members().find((m) => m.link === link);
    if (!member || !('file' in message)) return;
    const peerId = member.peerId;
    switch (message.type) {
      case 'file-request':
        void this.server.onRequest(peerId, message).catch(() => undefined);
        return;
      case 'file-cancel':
        this.server.onCancel(peerId, message.file, message.req);
        return;
      case 'file-have':
      case 'file-missing':
        this.files.get(message.file)?.fetch?.onControl(peerId, message);
        return;
    }
  }

  private onFrame(peerId: string, bytes: Uint8Array): void {
    try {
      const frame = decodeChunkFrame(bytes);
      const fetch = this.files.get(frame.file)?.fetch;
      if (fetch) fetch.onFrame(peerId, frame);
      else this.droppedFrames++;
    } catch (error) {
      if (!(error instanceof BadFrameError)) throw error;
      this.droppedFrames++;
    }
  }

  // --- the api ---------------------------------------------------------------------

  async sendFile(source: FileSource): Promise<FileView> {
    this.checkSize(source.size);
    let id = '';
    const meter = new SpeedMeter(this.now);
    let last = 0;
    let prepared: Awaited<ReturnType<typeof prepareFile>>;
    let offer: FileOffer;
    let messageId: string;
    // Until the offer is posted its store entry says 'pending': the sweep must leave it be.
    try {
      prepared = await prepareFile({
        crypto: this.o.crypto,
        store: this.o.chunks,
        roomId: this.o.roomId,
        source,
        expiresAt: this.now() + this.o.fileTtlSeconds * 1000,
        onId: (fileId) => {
          id = fileId;
          this.preparing.add(fileId);
        },
        onProgress: (bytes) => {
          if (this.now() - last < PROGRESS_EVERY_MS && bytes < source.size) return;
          last = this.now();
          const bytesPerSecond = meter.sample(bytes);
          this.o.emit('file-progress', {
            id,
            state: 'preparing',
            received: bytes,
            size: source.size,
            bytesPerSecond,
            secondsLeft: secondsLeft(source.size - bytes, bytesPerSecond),
          });
        },
      });
      offer = this.o.offerHook ? this.o.offerHook(prepared.offer) : prepared.offer;
      messageId = (await this.o.postOffer(offer)).id;
      await prepared.file.update({ messageId, state: 'sent' });
    } finally {
      this.preparing.delete(id);
    }
    const tracked =
      this.files.get(prepared.offer.id) ??
      newTracked(offer, messageId, this.o.selfUsername, this.o.selfDevice, this.self);
    tracked.state = 'complete';
    tracked.chunks = prepared.file;
    tracked.received = source.size;
    this.files.set(offer.id, tracked);
    const view = viewOf(tracked);
    this.o.emit('file-offered', view);
    return view;
  }

  /** Starts (or resumes) fetching an offered file; progress and the outcome come as events. */
  async fetchFile(id: string): Promise<FileView> {
    const tracked = this.get(id);
    if (tracked.state === 'expired' || tracked.offer.expiresAt <= this.now()) {
      throw new FileActionError('expired', `"${tracked.offer.name}" has expired.`);
    }
    if (tracked.own || tracked.state === 'complete') return viewOf(tracked);
    this.checkSize(tracked.offer.size);
    if (!tracked.fetch?.active) await this.startFetch(tracked);
    return viewOf(tracked);
  }

  pauseFile(id: string): FileView {
    const tracked = this.get(id);
    if (tracked.fetch?.active) {
      tracked.fetch.pause();
      this.setState(tracked, 'paused');
    }
    return viewOf(tracked);
  }

  async resumeFile(id: string): Promise<FileView> {
    return this.fetchFile(id);
  }

  /** Stops fetching and deletes what arrived (the offer stays; it can be fetched again). */
  async cancelFile(id: string): Promise<FileView> {
    const tracked = this.get(id);
    if (tracked.own || tracked.state === 'complete') return viewOf(tracked);
    await this.discard(tracked);
    this.setState(tracked, tracked.offer.expiresAt <= this.now() ? 'expired' : 'offered');
    return viewOf(tracked);
  }

  fileViews(): FileView[] {
    return [...this.files.values()].map((t) => viewOf(t));
  }

  /**
   * Knows the file a stored message offers (a screen shows it). Offers that arrived before
   * a restart are in history only: without chunks here (declined, not fetched yet),
   * nothing else brings them back.
   */
  async trackOffer(messageId: string): Promise<void> {
    await this.track(messageId);
  }

  fileView(id: string): FileView | undefined {
    const tracked = this.files.get(id);
    return tracked ? viewOf(tracked) : undefined;
  }

  /** The verified plaintext, in pieces of up to 1 MiB (never whole in memory). */
  readFile(id: string): AsyncGenerator<Uint8Array> {
    const tracked = this.get(id);
    if (tracked.state !== 'complete' || !tracked.chunks) {
      throw new FileActionError('not-ready', `"${tracked.offer.name}" is not complete yet.`);
    }
    return readFileChunks(this.o.crypto, tracked.offer, tracked.chunks, this.context(tracked));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const channel of this.channels.values()) channel.close();
    this.channels.clear();
    for (const tracked of this.files.values()) {
      await tracked.fetch?.stop();
      await tracked.chunks?.flush().catch(() => undefined);
    }
  }

  // --- internals -------------------------------------------------------------------

  private get(id: string): Tracked {
    const tracked = this.files.get(id);
    if (!tracked) throw new FileActionError('unknown-file', 'There is no such file in this room.');
    return tracked;
  }

  /** The smaller of the room's limit and this device's; the message names whose it is. */
  private checkSize(size: number): void {
    const room = this.o.roomMaxFileBytes;
    const max = effectiveMaxFileBytes(room, this.o.maxFileBytes);
    if (max === undefined || size <= max) return;
    throw new FileActionError(
      'too-large',
      max === room
        ? roomLimitMessage(max)
        : `This device accepts files up to ${formatByteLimit(max)}.`,
    );
  }

  /** Someone else's offer above the room's limit: shown as refused, never fetched. */
  private refuseOverLimit(tracked: Tracked): boolean {
    const room = this.o.roomMaxFileBytes;
    if (tracked.own || room === undefined || tracked.offer.size <= room) return false;
    if (tracked.state === 'expired') return true;
    tracked.state = 'failed';
    tracked.error = {
      reason: 'bad-offer',
      message: `${roomLimitMessage(room)} "${tracked.offer.name}" is ${formatByteLimit(tracked.offer.size)}.`,
    };
    return true;
  }

  private context(tracked: Tracked): Uint8Array {
    return fileContext(this.o.roomId, tracked.offer.id);
  }

  /** Reads the offer (with its key) from the stored, signed message. */
  private async track(messageId: string): Promise<Tracked | undefined> {
    const ref = parseMessageId(messageId);
    if (!ref) return undefined;
    const stored = await this.o.history.getMessage(this.o.roomId, ref.device, ref.counter);
    const envelope = stored?.envelope as { file?: unknown; username?: string } | undefined;
    const parsed = FileOffer.safeParse(envelope?.file);
    if (!stored || !parsed.success) return undefined;
    const existing = this.files.get(parsed.data.id);
    if (existing) return existing;
    const tracked = newTracked(
      parsed.data,
      messageId,
      String(envelope?.username ?? ''),
      ref.device,
      this.self,
    );
    this.files.set(parsed.data.id, tracked);
    if (this.refuseOverLimit(tracked)) return tracked;
    await this.adoptStoredData(tracked);
    return tracked;
  }

  /** Chunks already on this device (ours, fetched, or half-fetched before a restart). */
  private async adoptStoredData(tracked: Tracked): Promise<void> {
    if (tracked.state === 'expired') return;
    const chunks = await this.o.chunks.get(tracked.offer.id).catch(() => undefined);
    if (!chunks || chunks.meta.roomId !== this.o.roomId || chunks.meta.messageId === 'pending') {
      return;
    }
    tracked.chunks = chunks;
    tracked.received = heldBytes(tracked);
    // A fetch the person started before the restart goes on by itself.
    if (chunks.meta.state === 'fetching') void this.startFetch(tracked).catch(() => undefined);
    else tracked.state = 'complete';
  }

  private async deleteExpiredData(): Promise<void> {
    const now = this.now();
    for (const meta of await this.o.chunks.list()) {
      if (meta.roomId !== this.o.roomId) continue;
      const stale = meta.messageId === 'pending' && !this.preparing.has(meta.fileId);
      if (meta.expiresAt <= now || stale) {
        this.server.stopServing(meta.fileId);
        await this.o.chunks.delete(meta.fileId);
      }
    }
  }

  private async startFetch(tracked: Tracked): Promise<void> {
    if (tracked.fetch) {
      // Paused: the same fetch goes on (its worker handle and running hash included).
      this.setState(tracked, 'fetching');
      return tracked.fetch.start();
    }
    const ttlEnd = this.now() + this.o.fileTtlSeconds * 1000;
    const meta: ChunkFileMeta = {
      fileId: tracked.offer.id,
      roomId: this.o.roomId,
      messageId: tracked.messageId,
      size: tracked.offer.size,
      expiresAt: Math.min(tracked.offer.expiresAt, ttlEnd),
      state: 'fetching',
    };
    try {
      tracked.chunks ??= await this.o.chunks.open(meta);
    } catch (error) {
      return this.failed(
        tracked,
        'storage',
        `This file could not be stored: ${(error as Error).message}`,
      );
    }
    tracked.error = undefined;
    const fetch = new FileFetch({
      crypto: this.o.crypto,
      offer: tracked.offer,
      authorDevice: tracked.authorDevice,
      chunks: tracked.chunks,
      context: this.context(tracked),
      sources: () => this.o.members().map((m) => ({ peerId: m.peerId, device: m.device })),
      sendControl: (peerId, message) => this.sendControl(peerId, message),
      onState: (state) => this.setState(tracked, state),
      onProgress: () => this.progress(tracked),
      onVerified: () => void this.verified(tracked),
      onFailed: (reason, message) => void this.failed(tracked, reason, message),
    });
    tracked.fetch = fetch;
    this.setState(tracked, 'fetching');
    await fetch.start();
  }

  private async verified(tracked: Tracked): Promise<void> {
    tracked.rejected += tracked.fetch?.rejectedChunks ?? 0;
    tracked.fetch = undefined;
    await tracked.chunks?.update({ state: 'complete' });
    tracked.received = tracked.offer.size;
    this.setState(tracked, 'complete');
    this.o.emit('file-complete', viewOf(tracked));
  }

  private async failed(tracked: Tracked, reason: FileFailReason, message: string): Promise<void> {
    await this.discard(tracked);
    tracked.error = { reason, message };
    tracked.state = 'failed';
    this.o.emit('file-failed', { ...viewOf(tracked), reason, message });
  }

  /** Stops the fetch and deletes the partial data. */
  private async discard(tracked: Tracked): Promise<void> {
    const fetch = tracked.fetch;
    tracked.fetch = undefined;
    tracked.rejected += fetch?.rejectedChunks ?? 0;
    await fetch?.stop();
    this.server.stopServing(tracked.offer.id);
    tracked.chunks = undefined;
    tracked.received = 0;
    await this.o.chunks.delete(tracked.offer.id).catch(() => undefined);
  }

  private expire(tracked: Tracked): void {
    if (tracked.state === 'expired') return;
    tracked.state = 'expired';
    tracked.received = 0;
    this.o.emit('file-expired', viewOf(tracked));
  }

  /** Deletes every file whose time is up (the messages stay and say so). */
  private async sweep(): Promise<void> {
    if (this.closed || this.sweeping) return;
    this.sweeping = true;
    try {
      await this.sweepNow();
    } finally {
      this.sweeping = false;
    }
  }

  private async sweepNow(): Promise<void> {
    const now = this.now();
    for (const tracked of this.files.values()) {
      const expiresAt = Math.min(
        tracked.offer.expiresAt,
        tracked.chunks?.meta.expiresAt ?? Infinity,
      );
      if (tracked.state === 'expired' || expiresAt > now) continue;
      await this.discard(tracked);
      this.expire(tracked);
    }
    await this.deleteExpiredData();
  }

  private async servable(fileId: string): Promise<ChunkFile | undefined> {
    const tracked = this.files.get(fileId);
    if (!tracked || tracked.state === 'expired' || tracked.offer.expiresAt <= this.now())
      return undefined;
    return tracked.chunks;
  }

  private sendControl(peerId: string, message: PeerMessage): Promise<boolean> {
    const member = this.o.members().find((m) => m.peerId === peerId);
    return member ? member.link.send(message) : Promise.resolve(false);
  }

  private setState(tracked: Tracked, state: FileState): void {
    if (tracked.state === state) return;
    tracked.state = state;
    if (state !== 'fetching') tracked.speed.reset();
    this.progress(tracked, true);
  }

  private progress(tracked: Tracked, force = false): void {
    const now = this.now();
    tracked.received = heldBytes(tracked);
    if (!force && now - tracked.lastProgress < PROGRESS_EVERY_MS) return;
    tracked.lastProgress = now;
    const bytesPerSecond =
      tracked.state === 'fetching' ? tracked.speed.sample(tracked.received) : 0;
    this.o.emit('file-progress', {
      id: tracked.offer.id,
      state: tracked.state,
      received: tracked.received,
      size: tracked.offer.size,
      bytesPerSecond,
      secondsLeft: secondsLeft(tracked.offer.size - tracked.received, bytesPerSecond),
    });
  }
}
