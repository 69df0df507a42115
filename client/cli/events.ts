// What the terminal client reports, one union for both output modes: `--json` prints each
// event as it is, the text mode renders it (output.ts). Only the fields a person or a
// script needs: never keys, tickets or passwords.

export interface MemberInfo {
  username: string;
  name: string;
  fingerprint: string;
  online: boolean;
  /** 'secure' once the handshake is done; 'verified' once compared by a person too. */
  trust: 'connecting' | 'secure' | 'verified';
  verified: boolean;
}

export type DeliveryState = 'pending' | 'sent' | 'delivered';

/** A file as the client reports it (never its key). */
export interface FileInfo {
  id: string;
  name: string;
  size: number;
  type: string;
  /** Hex SHA-256 of the whole file, as the signed offer states it. */
  sha256: string;
  /** The sender's username. */
  from: string;
  own: boolean;
  state: string;
  received: number;
}

/** On a message that offers a file: what to show before anyone fetches it. */
export interface FileMention {
  id: string;
  name: string;
  size: number;
}

export type CliEvent =
  | { event: 'ready'; roomId: string; username: string; link?: string }
  | {
      event: 'message';
      id: string;
      /** Milliseconds since the epoch, as the author stamped it. */
      time: number;
      username: string;
      name: string;
      text: string;
      own: boolean;
      file?: FileMention;
    }
  | {
      /** A stored message shown at start (written before this run). */
      event: 'history';
      id: string;
      time: number;
      username: string;
      name: string;
      text: string;
      own: boolean;
      file?: FileMention;
    }
  | { event: 'sent'; id: string; state: DeliveryState }
  | { event: 'delivery'; id: string; state: DeliveryState }
  | ({ event: 'peer-joined' } & MemberInfo)
  | ({ event: 'peer-verified' } & MemberInfo)
  | ({ event: 'peer-left' } & MemberInfo)
  | { event: 'peer-failed'; peer: string; reason: string; message: string }
  | { event: 'signaling-failed'; count: number; message: string }
  | { event: 'message-rejected'; from: string; reason: string; message: string }
  | { event: 'key-changed'; username: string; fingerprint: string; previous: string }
  | { event: 'removed'; reason: 'kicked' | 'banned' }
  | { event: 'room-closed' }
  | { event: 'connection'; state: 'connecting' | 'online' | 'reconnecting' | 'offline' }
  | { event: 'who'; members: MemberInfo[] }
  | {
      event: 'verify';
      peer: string;
      safetyNumber: string;
      sas: { emoji: string[]; digits: string };
    }
  | ({ event: 'file-offered' } & FileInfo)
  | {
      event: 'file-progress';
      id: string;
      name: string;
      state: string;
      received: number;
      size: number;
      percent: number;
      bytesPerSecond: number;
      secondsLeft: number | null;
    }
  | ({ event: 'file-complete' } & FileInfo)
  | ({ event: 'file-failed' } & FileInfo & { reason: string; message: string })
  | ({ event: 'file-expired' } & FileInfo)
  | { event: 'file-saved'; id: string; name: string; path: string; bytes: number; sha256: string }
  | { event: 'files'; files: FileInfo[] }
  | { event: 'notice'; message: string }
  | { event: 'error'; message: string };
