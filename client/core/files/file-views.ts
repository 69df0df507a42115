// What the UI and the CLI see of files: plain data (no key, no handle) and the events.
import type { FileOffer } from '../../../signaling/protocol';

/**
 * offered: someone offers it, nothing fetched yet; preparing: ours, being hashed and
 * sealed; fetching; waiting: no connected peer has the chunks we lack ("waiting for a peer
 * that has the file"); paused; verifying: all chunks here, whole-file SHA-256 running;
 * complete: verified (or ours), ready to save; failed; expired: the room's TTL passed and
 * the data was deleted (the message stays).
 */
export type FileState =
  | 'offered'
  | 'preparing'
  | 'fetching'
  | 'waiting'
  | 'paused'
  | 'verifying'
  | 'complete'
  | 'failed'
  | 'expired';

export type FileFailReason =
  'hash-mismatch' | 'quota' | 'storage' | 'too-large' | 'bad-offer' | 'read-error';

/** The offer as the UI may see it: everything but the key and the header. */
export interface FileSummary {
  id: string;
  name: string;
  size: number;
  type: string;
  /** Hex SHA-256 of the plaintext (people may compare it out of band). */
  sha256: string;
  expiresAt: number;
}

export interface FileView extends FileSummary {
  /** The offering message's id (`${authorDevice}:${counter}`). */
  messageId: string;
  /** The sender's username. */
  from: string;
  own: boolean;
  state: FileState;
  /** Plaintext bytes held so far (the size once complete). */
  received: number;
  /** Damaged, misplaced or cut-short chunks that were rejected and fetched again. */
  rejectedChunks: number;
  /** Set when state is 'failed'. */
  error?: { reason: FileFailReason; message: string };
}

export interface FileProgress {
  id: string;
  state: FileState;
  received: number;
  size: number;
  /** Smoothed over the last seconds; 0 while nothing moves. */
  bytesPerSecond: number;
  /** null while the speed is unknown or zero. */
  secondsLeft: number | null;
}

export interface FileEvents {
  /** A file offer arrived (live or from history sync), or we offered one. */
  'file-offered': FileView;
  /** Throttled (a few per second) while preparing, fetching or verifying; also on state changes. */
  'file-progress': FileProgress;
  /** Fetched and verified (the whole-file SHA-256 matched): ready to save. */
  'file-complete': FileView;
  /** The transfer stopped for good; partial data was removed. */
  'file-failed': FileView & { reason: FileFailReason; message: string };
  /** The room's TTL passed: the data is gone, the message stays. */
  'file-expired': FileView;
}

export function summaryOf(offer: FileOffer): FileSummary {
  return {
    id: offer.id,
    name: offer.name,
    size: offer.size,
    type: offer.type,
    sha256: offer.sha256,
    expiresAt: offer.expiresAt,
  };
}

/** Something to send: a browser File/Blob fits, so does nodeFileSource(path). */
export interface FileSource {
  name: string;
  size: number;
  type?: string;
  stream(): AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;
}

/** Named errors for the file api (bad id, too large, wrong state). */
export class FileActionError extends Error {
  override name = 'FileActionError';
  constructor(
    readonly code: 'unknown-file' | 'too-large' | 'not-ready' | 'expired' | 'read-error',
    message: string,
  ) {
    super(message);
  }
}
