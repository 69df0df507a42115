// What the UI and the CLI see of a room: plain data, no keys, no handles.
import type { ChatEnvelope } from '../../signaling/protocol';
import { summaryOf, type FileEvents, type FileSummary } from './files/file-views';
import { messageId, type DeliveryState, type StoredMessage } from './history-store';

export interface MessageView {
  /** `${authorDevice}:${counter}`: unique in the room. */
  id: string;
  authorDevice: string;
  counter: number;
  username: string;
  displayName: string;
  text: string;
  /** The author's clock (ms): for display only. */
  sentAt: number;
  lamport: number;
  epoch: number;
  /** True for messages this device wrote. */
  own: boolean;
  state: DeliveryState;
  /** Set when the message offers a file (details, progress: RoomSession's file api). */
  file?: FileSummary;
}

export interface MemberView {
  /** y-webrtc's peer id of the connection (changes per session). */
  peerId: string;
  username: string;
  displayName: string;
  /** Hex SHA-256 of the identity key; '' until the secure handshake finished. */
  fingerprint: string;
  online: boolean;
  /** 'secure': handshake done; 'verified': the user also compared safety number or SAS. */
  trust: 'connecting' | 'secure' | 'verified';
  verified: boolean;
  typing: boolean;
  isHost: boolean;
}

export function messageView(message: StoredMessage, selfDevice: string): MessageView {
  const envelope = message.envelope as unknown as ChatEnvelope;
  return {
    id: messageId(message.authorDevice, message.counter),
    authorDevice: message.authorDevice,
    counter: message.counter,
    username: envelope.username,
    displayName: envelope.displayName || envelope.username,
    text: envelope.text,
    sentAt: message.sentAt,
    lamport: message.lamport,
    epoch: message.epoch,
    own: message.authorDevice === selfDevice,
    state: message.state,
    ...(envelope.file ? { file: summaryOf(envelope.file) } : {}),
  };
}

export type JoinErrorCode =
  | 'bad-link'
  | 'wrong-secret-or-password'
  | 'banned'
  | 'full'
  | 'closed'
  | 'not-found'
  | 'unauthenticated'
  | 'network';

/** Joining failed; `message` says why in words a person can act on. */
export class JoinError extends Error {
  override name = 'JoinError';
  constructor(
    readonly code: JoinErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Kick/ban/close by someone who is not the host, an unknown member... */
export class RoomActionError extends Error {
  override name = 'RoomActionError';
}

export interface RoomEvents extends FileEvents {
  'peer-joined': MemberView;
  'peer-verified': MemberView;
  'peer-left': MemberView;
  /** "could not verify NAME's connection": nothing from that peer is shown or stored. */
  'peer-failed': { peer: string; reason: string; message: string };
  message: MessageView;
  delivery: { id: string; state: DeliveryState };
  /** Count of signaling frames that failed verification so far. */
  'signaling-failed': { count: number; message: string };
  'key-changed': { username: string; fingerprint: string; previous: string };
  /** A message was dropped: bad signature, removed or unknown author, bad form. */
  'message-rejected': { from: string; reason: string; message: string };
  removed: { reason: 'kicked' | 'banned' };
  'room-closed': Record<string, never>;
  /** Someone's presence changed (typing, display name): read members() again. */
  presence: Record<string, never>;
  /** The host named or renamed the room. */
  'room-renamed': { name: string };
  connection: { state: 'connecting' | 'online' | 'reconnecting' | 'offline' };
  error: { message: string };
}
