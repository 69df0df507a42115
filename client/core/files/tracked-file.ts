// What FileTransfers keeps per file: the offer (with its key: never shown), where the
// data is, the running fetch, and how the file looks to the UI.
import type { FileOffer } from '../../../signaling/protocol';
import type { ChunkFile } from '../../storage/chunk-store';
import type { FileFetch } from './file-fetch';
import { summaryOf, type FileFailReason, type FileState, type FileView } from './file-views';
import { SpeedMeter } from './speed-meter';

export interface Tracked {
  offer: FileOffer;
  messageId: string;
  from: string;
  authorDevice: string;
  own: boolean;
  state: FileState;
  error?: { reason: FileFailReason; message: string };
  chunks?: ChunkFile;
  fetch?: FileFetch;
  speed: SpeedMeter;
  lastProgress: number;
  received: number;
  /** Chunks rejected by finished fetches (bad tag, wrong place, cut short). */
  rejected: number;
}

export function parseMessageId(id: string): { device: string; counter: number } | null {
  const match = /^([0-9a-f]{64}):(\d{1,16})$/.exec(id);
  return match ? { device: match[1]!, counter: Number(match[2]) } : null;
}

export function newTracked(
  offer: FileOffer,
  messageId: string,
  from: string,
  device: string,
  self: { device: string; now: () => number },
): Tracked {
  const own = device === self.device;
  return {
    offer,
    messageId,
    from,
    authorDevice: device,
    own,
    state: offer.expiresAt <= self.now() ? 'expired' : own ? 'complete' : 'offered',
    speed: new SpeedMeter(self.now),
    lastProgress: 0,
    received: 0,
    rejected: 0,
  };
}

export function viewOf(tracked: Tracked): FileView {
  return {
    ...summaryOf(tracked.offer),
    messageId: tracked.messageId,
    from: tracked.from,
    own: tracked.own,
    state: tracked.state,
    received: tracked.received,
    rejectedChunks: tracked.rejected + (tracked.fetch?.rejectedChunks ?? 0),
    ...(tracked.error ? { error: tracked.error } : {}),
  };
}

/** Plaintext bytes of the chunks held (every chunk but the short final one is 16 KiB). */
export function heldBytes(tracked: Tracked): number {
  const held = tracked.chunks?.bitmap.size ?? 0;
  return Math.min(tracked.offer.size, held * tracked.offer.chunkSize);
}
