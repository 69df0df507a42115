// What a FileTransfers needs from its room session (RoomFiles fills it in).
import type { FileOffer, PeerMessage } from '../../../signaling/protocol';
import type { ChunkStore } from '../../storage/chunk-store';
import type { CryptoPort } from '../crypto-port';
import type { HistoryStore } from '../history-store';
import type { FileLinkLike } from './file-channel';
import type { FileEvents } from './file-views';

export interface FileMember {
  peerId: string;
  device: string;
  username: string;
  link: FileLinkLike & { send(message: PeerMessage): Promise<boolean> };
}

export interface FileTransfersOptions {
  crypto: CryptoPort;
  chunks: ChunkStore;
  history: HistoryStore;
  roomId: string;
  selfDevice: string;
  selfUsername: string;
  /** The room's file TTL (admission: room.fileTtl). */
  fileTtlSeconds: number;
  /** Largest file this device sends or fetches (default: no limit but the storage's). */
  maxFileBytes?: number;
  /**
   * The room's maximum file size (admission: room.maxFileBytes), set by its host: larger
   * files are neither offered nor fetched, and others' larger offers are refused.
   */
  roomMaxFileBytes?: number;
  now?: () => number;
  expiryCheckMs?: number;
  emit<K extends keyof FileEvents>(type: K, event: FileEvents[K]): void;
  /** Posts the offer as a signed chat message; resolves with the message's id. */
  postOffer(offer: FileOffer): Promise<{ id: string }>;
  /** Members connected securely right now. */
  members(): FileMember[];
  /** Fault injection for tests: what goes out on the file channel for each frame. */
  outgoingFrames?: (frame: Uint8Array) => Uint8Array[] | Promise<Uint8Array[]>;
  /** Fault injection for tests: the offer as posted (e.g. a lying SHA-256). */
  offerHook?: (offer: FileOffer) => FileOffer;
}
