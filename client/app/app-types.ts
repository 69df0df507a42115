// What the Lit components see of the app: plain data and async actions. Components render
// this state and call these actions; they never hold keys, sockets, peers or stores
// (DESIGN.md section 2: UI -> core -> crypto worker). Implemented in client/app/.
import type { CipherSuite } from '../crypto/primitives/aead';
import type { MemberView, MessageView, RoomEvents } from '../core/views';
import type { Verification } from '../core/member-views';
import type { FileProgress, FileView } from '../core/files/file-views';

export type { FileProgress, FileView, MemberView, MessageView, Verification };

export type KeyAgreement = 'x25519' | 'p521';

/** Where the app is in starting up; the root element shows one screen per phase. */
export type AppPhase =
  | 'starting'
  /** A passphrase protects the data key: show the lock screen ("Passphrase", "Unlock"). */
  | 'locked'
  /** Unlocked (or no passphrase) and the server said nobody is signed in. */
  | 'signed-out'
  /** Unlocked and signed in (or offline with a remembered account). */
  | 'ready';

export interface Account {
  username: string;
  isAdmin: boolean;
}

export interface Settings {
  displayName: string;
  /** Minutes of inactivity before the app locks itself; 0 = never. Only with a passphrase. */
  autoLockMinutes: number;
  notifications: boolean;
  sound: boolean;
}

export interface RoomSummary {
  roomId: string;
  name: string;
  role: 'host' | 'member';
  /** Messages newer than the last one the user saw. */
  unread: number;
  /** Sent time (ms) of the newest stored message, or creation time. */
  lastActivity: number;
  /** The newest message's text, for the list (shown as text, never as HTML). */
  preview: string;
  ended?: 'closed' | 'kicked' | 'banned';
}

export interface SearchHit {
  roomId: string;
  roomName: string;
  message: MessageView;
}

export interface AppSnapshot {
  phase: AppPhase;
  /** The last signed-in account (remembered on the device so the app works offline). */
  account: Account | null;
  /** navigator.onLine and whether the server answered last time. */
  online: boolean;
  /** True when a passphrase protects local data. */
  passphraseSet: boolean;
  settings: Settings;
  rooms: RoomSummary[];
  /**
   * A room link opened from the address bar (/r/ID#k=...) waiting for sign-in or a room
   * password: the UI shows "Joining room…" and, when needed, asks for the room password.
   */
  pendingJoin: { roomId: string; needsPassword: boolean; error?: string } | null;
}

/** A failure a person can act on; `message` says what to do. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code:
      | 'bad-link'
      | 'wrong-secret-or-password'
      | 'wrong-passphrase'
      | 'banned'
      | 'kicked'
      | 'full'
      | 'closed'
      | 'not-found'
      | 'unauthenticated'
      | 'network'
      | 'quota'
      | 'invalid'
      | 'server',
    message: string,
  ) {
    super(message);
  }
}

export interface CreateRoomInput {
  name: string;
  password?: string;
  cipher: CipherSuite;
  keyAgreement: KeyAgreement;
  /** The room's maximum file size in bytes, for every member (absent: no limit). */
  maxFileBytes?: number;
}

export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'offline';

/** What a room screen shows besides messages and members. */
export interface RoomStatus {
  connection: ConnectionState;
  /** Set once the room is over for this device: the banner says so and the composer locks. */
  ended?: 'closed' | 'kicked' | 'banned';
  /** Usernames whose key changed since they were pinned (warning banner until verified). */
  keyChanged: string[];
  /** "could not verify NAME's connection: ..." lines, newest last (at most 5). */
  failures: string[];
}

export type RoomControllerEvents = Pick<
  RoomEvents,
  | 'message'
  | 'delivery'
  | 'peer-joined'
  | 'peer-left'
  | 'peer-verified'
  | 'key-changed'
  /** The host renamed the room: `name` is the new one (controller.name follows). */
  | 'room-renamed'
  /** Files (issue 6): call fileView(id) again for the details. */
  | 'file-offered'
  | 'file-progress'
  | 'file-complete'
  | 'file-failed'
  | 'file-expired'
> & {
  /** Members, typing or trust changed: call members() again. */
  members: Record<string, never>;
  status: RoomStatus;
};

/**
 * One open room. Works with no network: history and the outbox come from the device;
 * send() stores the message as pending until a peer is connected.
 */
export interface RoomController {
  readonly roomId: string;
  readonly name: string;
  readonly isHost: boolean;
  status(): RoomStatus;
  members(): MemberView[];
  /** How many messages are stored for this room (for the virtual list's height). */
  count(): Promise<number>;
  /**
   * Stored messages, oldest first: the `limit` messages before `beforeId` (or the newest
   * when omitted). Virtualized lists call this as the user scrolls up.
   */
  page(options?: { beforeId?: string; limit?: number }): Promise<MessageView[]>;
  send(text: string): Promise<MessageView>;
  setTyping(typing: boolean): void;
  /** Everything seen up to now: the unread count of this room drops to 0. */
  markRead(): void;
  /** The invite link (contains the room secret: shown only in the invite dialog). */
  inviteLink(): Promise<string>;
  verification(peerId: string): Promise<Verification>;
  markVerified(peerId: string): Promise<void>;
  kick(username: string): Promise<void>;
  ban(username: string): Promise<void>;
  close(): Promise<void>;
  rename(name: string): Promise<void>;
  /** The composer's unsent text, kept encrypted on the device (survives reloads). */
  loadDraft(): Promise<string>;
  saveDraft(text: string): Promise<void>;
  on<K extends keyof RoomControllerEvents>(
    type: K,
    listener: (event: RoomControllerEvents[K]) => void,
  ): () => void;
  /** Files (issue 6, client/app/room-file-actions.ts). Need the live session. */
  files: RoomFileActions;
  /** Stops showing the room; the connection stays up for notifications. */
  release(): void;
}

/** What the room screen does with files; the bytes stay on disk (OPFS) throughout. */
export interface RoomFileActions {
  /** The file's current state, or undefined while the room's connection is not up. */
  view(id: string): FileView | undefined;
  /** Hashes and seals the file on this device, then offers it to the room. */
  send(file: File): Promise<FileView>;
  /** Accepts an offer (the size was shown first): fetching starts. Also resumes. */
  fetch(id: string): Promise<FileView>;
  pause(id: string): Promise<FileView>;
  resume(id: string): Promise<FileView>;
  /** Stops fetching and deletes what arrived; the offer stays. */
  cancel(id: string): Promise<FileView>;
  /** The room's maximum file size set by its host (bytes); undefined: none, or not connected. */
  maxFileBytes(): number | undefined;
  /**
   * Makes the file that message `messageId` offers known to the session (an offer stored
   * before a restart); view() has it afterwards. Does nothing while not connected.
   */
  track(messageId: string): Promise<void>;
  /**
   * Not now: the offer stays, nothing is fetched. The answer is remembered (sealed on the
   * device, across restarts); resolves once it is stored.
   */
  decline(id: string): Promise<void>;
  declined(id: string): boolean;
  /**
   * The verified file as a disk-backed Blob (never read into memory): 'download' gives an
   * opaque type (a blob is never rendered as HTML), 'preview' only raster image types.
   */
  blob(id: string, purpose: 'download' | 'preview'): Promise<Blob>;
}

export interface App {
  snapshot(): AppSnapshot;
  /** Called on every change of the snapshot; returns its own unsubscribe. */
  subscribe(listener: (snapshot: AppSnapshot) => void): () => void;

  unlock(passphrase: string): Promise<void>;
  lock(): Promise<void>;
  /** Turns the lock on, or changes the passphrase (current is required when one is set). */
  setPassphrase(next: string, current?: string): Promise<void>;
  removePassphrase(current: string): Promise<void>;

  register(username: string, password: string): Promise<void>;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** "Forgot password": asks the server to mail a reset link (always answers the same). */
  requestPasswordReset(username: string): Promise<void>;
  confirmPasswordReset(token: string, password: string): Promise<void>;
  changePassword(current: string, next: string): Promise<void>;

  updateSettings(patch: Partial<Settings>): Promise<void>;

  createRoom(input: CreateRoomInput): Promise<{ roomId: string }>;
  /**
   * A pasted or opened link: read once, its secret sealed on the device, then joined.
   * Resolves with the room id; AppError('bad-link') names what is wrong with the link.
   */
  joinLink(link: string, roomPassword?: string): Promise<{ roomId: string }>;
  /** Retries the pending join with the room password the user typed. */
  submitRoomPassword(password: string): Promise<{ roomId: string }>;
  openRoom(roomId: string): Promise<RoomController>;
  deleteConversation(roomId: string): Promise<void>;
  search(query: string): Promise<SearchHit[]>;

  /** Deletes every room, message, key and setting on this device. */
  deleteLocalData(): Promise<void>;
  /** Deletes the server account (password required) and then all local data. */
  deleteAccount(password: string): Promise<void>;
}
