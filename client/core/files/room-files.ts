// The glue between a RoomSession and its FileTransfers: who the members are (the engine's
// securely introduced peers), how an offer is posted (a signed chat message whose text is
// the file name), and which session events concern files. Kept here so room-session.ts
// only forwards.
import type { PeerMessage } from '../../../signaling/protocol';
import { MemoryChunkStore } from '../../storage/memory-chunk-store';
import type { ChunkStore } from '../../storage/chunk-store';
import type { CryptoPort } from '../crypto-port';
import type { HistoryStore } from '../history-store';
import type { RoomEngine } from '../room-engine';
import type { MemberView, MessageView, RoomEvents } from '../views';
import { FileTransfers, type FileTransfersOptions } from './file-transfers';

/** RoomSessionOptions.files: where chunks go and the device's limits. */
export interface SessionFileOptions {
  /** Default: in memory (nothing survives the session). */
  store?: ChunkStore;
  /**
   * The crypto worker for file chunks (default: the session's). A worker of their own keeps
   * chat from waiting behind chunks being opened; it only ever holds per-file keys.
   */
  crypto?: CryptoPort;
  /**
   * This device's own maximum file size in bytes (default: only the storage quota limits
   * it); the room's limit, set by its host, applies as well (the smaller one wins).
   */
  maxFileBytes?: number;
  /** Tests: a clock (expiry) and how often expiry is checked. */
  now?: () => number;
  expiryCheckMs?: number;
  /** Tests only: fault injection on outgoing chunk frames. */
  outgoingFrames?: FileTransfersOptions['outgoingFrames'];
  offerHook?: FileTransfersOptions['offerHook'];
}

const PENDING_PER_PEER = 64;

export class RoomFiles extends FileTransfers {
  /** Control messages that overtook the sender's introduction (handled once it is done). */
  private readonly early = new Map<string, { link: object; message: PeerMessage }[]>();

  static create(
    options: SessionFileOptions | undefined,
    context: {
      crypto: CryptoPort;
      history: HistoryStore;
      roomId: string;
      selfDevice: string;
      selfUsername: string;
      fileTtlSeconds: number;
      /** The room's maximum file size (admission: room.maxFileBytes); absent: no limit. */
      roomMaxFileBytes?: number | undefined;
      engine: RoomEngine;
      emit: FileTransfersOptions['emit'];
    },
  ): RoomFiles {
    const { engine } = context;
    return new RoomFiles({
      crypto: options?.crypto ?? context.crypto,
      chunks: options?.store ?? new MemoryChunkStore(),
      history: context.history,
      roomId: context.roomId,
      selfDevice: context.selfDevice,
      selfUsername: context.selfUsername,
      fileTtlSeconds: context.fileTtlSeconds,
      ...(options?.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
      ...(context.roomMaxFileBytes !== undefined
        ? { roomMaxFileBytes: context.roomMaxFileBytes }
        : {}),
      ...(options?.now ? { now: options.now } : {}),
      ...(options?.expiryCheckMs ? { expiryCheckMs: options.expiryCheckMs } : {}),
      ...(options?.outgoingFrames ? { outgoingFrames: options.outgoingFrames } : {}),
      ...(options?.offerHook ? { offerHook: options.offerHook } : {}),
      emit: context.emit,
      postOffer: (offer) => engine.send(offer.name, offer),
      members: () =>
        [...engine.members.values()]
          .filter((m) => m.link.state === 'open')
          .map((m) => ({
            peerId: m.link.peerId,
            device: m.device,
            username: m.username,
            link: m.link,
          })),
    });
  }

  static isFileMessage(message: PeerMessage): boolean {
    return message.type.startsWith('file-');
  }

  /** RoomSession's emit hook: messages that offer files, peers coming and going. */
  observe<K extends keyof RoomEvents>(type: K, event: RoomEvents[K]): void {
    if (type === 'message') this.noteMessage(event as MessageView);
    else if (type === 'peer-joined') {
      const peerId = (event as MemberView).peerId;
      this.peerJoined(peerId);
      const early = this.early.get(peerId) ?? [];
      this.early.delete(peerId);
      for (const { link, message } of early) super.onControl(link, message);
    } else if (type === 'peer-left') {
      this.early.delete((event as MemberView).peerId);
      this.peerLeft((event as MemberView).peerId);
    }
  }

  override onControl(link: object, message: PeerMessage): void {
    const peerId = (link as { peerId?: string }).peerId;
    if (peerId && !this.o.members().some((m) => m.link === link)) {
      const early = this.early.get(peerId) ?? [];
      if (early.length < PENDING_PER_PEER) early.push({ link, message });
      this.early.set(peerId, early);
      return;
    }
    super.onControl(link, message);
  }
}
