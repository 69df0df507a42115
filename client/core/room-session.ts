// A person in a room (DESIGN.md sections 3-7): admission, the mesh, signed messages with
// gossip sync and an outbox, moderation, key pinning and the typed events the UI and the
// CLI listen to. Nothing here touches the DOM; it runs in browsers and in Node.
import { P2P_MAX_TEXT, ROOM_NAME_MAX, SignalCloseCode } from '../../signaling/protocol';
import type { CipherSuite } from '../crypto/primitives/aead';
import { Admission, toJoinError } from './admission';
import { publicIdentity, type IdentityPublic } from './identity-info';
import type { CryptoPort } from './crypto-port';
import type { Author } from './envelope';
import { TypedEmitter } from './events';
import type { FileSource, FileView } from './files/file-views';
import { RoomFiles, type SessionFileOptions } from './files/room-files';
import type { HistoryCursor, HistoryStore, StoredRoom } from './history-store';
import { Mesh } from './mesh';
import { MessageLog } from './message-log';
import type { KeyAgreement } from './peer-link';
import { RoomEngine } from './room-engine';
import type { ServerApi } from './server-api';
import {
  JoinError,
  RoomActionError,
  type MemberView,
  type MessageView,
  type RoomEvents,
} from './views';

export { JoinError, RoomActionError } from './views';
export type { MemberView, MessageView, RoomEvents } from './views';

export interface RoomSessionOptions {
  server: ServerApi;
  crypto: CryptoPort;
  /**
   * The identity from the crypto api (createIdentity / loadSavedIdentity): the whole info
   * object, or just its handle (then the public key is read from a probe handshake).
   */
  identity: string | IdentityPublic;
  store: HistoryStore;
  displayName: string;
  username: string;
  roomPassword?: string;
  /** Node: @roamhq/wrtc. */
  wrtc?: unknown;
  /** Node: the `ws` package. */
  WebSocket?: unknown;
  /**
   * The device data key (crypto api handle). With it, the room's epoch secrets are kept,
   * sealed, in the store (StoredRoom.secrets), so a rotated room can be rejoined after a
   * restart; without it they live only as long as the session.
   */
  dataKey?: string;
  /** File transfer: the chunk store (default in memory) and limits. */
  files?: SessionFileOptions;
}

export interface CreateRoomOptions extends RoomSessionOptions {
  /** Where the link points, e.g. https://chat.example (usually the server's origin). */
  origin: string;
  cipher?: CipherSuite;
  keyAgreement?: KeyAgreement;
  capacity?: number;
  /** The room's name: kept on the device and told to members over the secure channel. */
  name?: string;
  /** The room's maximum file size in bytes, for every member (absent: no limit). */
  maxFileBytes?: number;
}

/**
 * The room handle to use: the saved secrets (every epoch this device learned) when the
 * store has them for this room, else the one the link opened.
 */
async function restoreSecrets(
  options: RoomSessionOptions,
  roomId: string,
  fromLink: string,
): Promise<string> {
  if (!options.dataKey) return fromLink;
  const saved = (await options.store.getRoom(roomId))?.secrets.at(-1);
  if (!saved) return fromLink;
  const restored = await options.crypto.openRoomSecrets(options.dataKey, saved.record, roomId);
  if (!restored.ok) return fromLink;
  await options.crypto.release(fromLink);
  return restored.value;
}

interface LocalRoomInfo {
  origin: string;
  role: 'host' | 'member';
  keyAgreement?: KeyAgreement;
  name?: string;
}

/** How long leave() waits for peers to close their ends after our 'bye'. */
const LEAVE_GRACE_MS = 500;

export class RoomSession {
  private readonly emitter = new TypedEmitter<RoomEvents>();
  private engine!: RoomEngine;
  private files?: RoomFiles;
  private mesh!: Mesh;
  private ended = false;
  private socketOpen = false;
  private signalingFailures = 0;
  private origin = '';
  private connectionState: RoomEvents['connection']['state'] = 'connecting';

  private constructor(
    private readonly options: RoomSessionOptions,
    private readonly admission: Admission,
    private readonly room: string,
    readonly roomId: string,
  ) {}

  /** A new room: fresh secret, verifier to the server, then joined as its host. */
  static async create(options: CreateRoomOptions): Promise<{ session: RoomSession; link: string }> {
    const { crypto } = options;
    const { room } = await crypto.createRoom();
    try {
      const credentials = await crypto.roomCredentials(room, 0);
      let created: { id: string };
      try {
        created = await options.server.createRoom({
          verifier: credentials.admitVerifier,
          cipher: options.cipher ?? 'aes-256-gcm',
          ...(options.roomPassword ? { password: options.roomPassword } : {}),
          ...(options.capacity ? { capacity: options.capacity } : {}),
          ...(options.maxFileBytes ? { maxFileBytes: options.maxFileBytes } : {}),
        });
      } catch (error) {
        throw toJoinError(error);
      }
      const link = await crypto.roomLink(room, options.origin, created.id);
      const session = await RoomSession.start(options, room, created.id, {
        origin: options.origin,
        role: 'host',
        keyAgreement: options.keyAgreement ?? 'x25519',
        ...(options.name ? { name: options.name } : {}),
      });
      return { session, link };
    } catch (error) {
      await crypto.release(room);
      throw error;
    }
  }

  /** Joins from a room link. A broken link fails before any network call. */
  static async join(link: string, options: RoomSessionOptions): Promise<RoomSession> {
    const opened = await options.crypto.openRoomLink(link);
    if (!opened.ok) throw new JoinError('bad-link', opened.message);
    return RoomSession.joinOpened(opened.value, options);
  }

  /**
   * Joins with a room handle already in the crypto worker (a link opened earlier, e.g.
   * sealed on the device and opened again). The session owns the handle from here on: it
   * is released when joining fails.
   */
  static async joinOpened(
    opened: { room: string; roomId: string; origin: string },
    options: RoomSessionOptions,
  ): Promise<RoomSession> {
    const { roomId, origin } = opened;
    const room = await restoreSecrets(options, roomId, opened.room);
    try {
      return await RoomSession.start(options, room, roomId, { origin, role: 'member' });
    } catch (error) {
      await options.crypto.release(room);
      throw error;
    }
  }

  /**
   * Opens a room this device joined before, from its stored record: the secrets sealed
   * under the data key (no link needed) and the origin it was joined on.
   */
  static async rejoin(roomId: string, options: RoomSessionOptions): Promise<RoomSession> {
    const stored = await options.store.getRoom(roomId);
    const saved = stored?.secrets.at(-1);
    if (!stored || !saved || !options.dataKey) {
      throw new JoinError(
        'bad-link',
        'This device has no saved keys for this room; open its link again.',
      );
    }
    const opened = await options.crypto.openRoomSecrets(options.dataKey, saved.record, roomId);
    if (!opened.ok) {
      throw new JoinError(
        'bad-link',
        "This room's saved keys could not be opened on this device; open its link again.",
      );
    }
    try {
      return await RoomSession.start(options, opened.value, roomId, {
        origin: stored.origin,
        role: stored.role,
      });
    } catch (error) {
      await options.crypto.release(opened.value);
      throw error;
    }
  }

  private static async start(
    options: RoomSessionOptions,
    room: string,
    roomId: string,
    local: LocalRoomInfo,
  ): Promise<RoomSession> {
    const admission = new Admission(
      options.server,
      options.crypto,
      room,
      roomId,
      options.roomPassword,
    );
    const admitted = await admission.admit();
    const session = new RoomSession(options, admission, room, roomId);
    await session.begin(admitted.room, local);
    return session;
  }

  private async begin(
    info: { host: string; isHost: boolean; cipher: CipherSuite },
    local: LocalRoomInfo,
  ): Promise<void> {
    this.origin = local.origin;
    const { crypto, store } = this.options;
    const identity = await publicIdentity(crypto, this.options.identity, this.room, this.roomId);
    const author: Author = {
      identity: identity.handle,
      alg: identity.alg,
      publicKey: identity.publicKey,
      fingerprint: identity.fingerprint,
      username: this.options.username,
      displayName: this.options.displayName,
    };
    const stored = await store.getRoom(this.roomId);
    const epochs = await crypto.roomEpochs(this.room);
    const epoch = Math.max(0, ...epochs);
    const keyAgreement = local.keyAgreement ?? stored?.keyAgreement ?? null;
    const roomRecord: StoredRoom = {
      roomId: this.roomId,
      name: stored?.name ?? local.name ?? this.roomId,
      origin: local.origin,
      cipher: info.cipher,
      keyAgreement: keyAgreement ?? 'x25519',
      role: info.isHost ? 'host' : 'member',
      epoch,
      secrets: stored?.secrets ?? [],
      removed: stored?.removed ?? [],
      readLamport: stored?.readLamport ?? 0,
      createdAt: stored?.createdAt ?? Date.now(),
    };
    // A joiner learns the key agreement from its first peer; store the room then.
    if (keyAgreement) await store.putRoom(roomRecord);
    const log = await MessageLog.open(store, crypto, this.roomId, author);
    this.engine = new RoomEngine({
      crypto,
      store,
      room: this.room,
      roomId: this.roomId,
      host: info.host,
      isHost: info.isHost,
      author,
      log,
      roomRecord,
      emit: (type, event) => this.emit(type, event),
      mesh: () => this.mesh,
      removedSelf: (kind) => this.end({ removed: kind }),
      epochChanged: (epoch) => this.onEpochChanged(epoch),
    });
    await this.engine.init();
    this.files = RoomFiles.create(this.options.files, {
      crypto,
      history: store,
      roomId: this.roomId,
      selfDevice: author.fingerprint,
      selfUsername: author.username,
      fileTtlSeconds: this.admission.info.fileTtl,
      roomMaxFileBytes: this.admission.info.maxFileBytes,
      engine: this.engine,
      emit: (type, event) => this.emit(type, event as RoomEvents[typeof type]),
    });
    await this.files.init();
    await this.saveSecrets();
    let iceServers: unknown[] = [];
    try {
      iceServers = (await this.options.server.ice()).iceServers;
    } catch {
      // Loopback and LAN work with host candidates alone.
    }
    this.emit('connection', { state: 'connecting' });
    this.mesh = new Mesh({
      roomId: this.roomId,
      wsBase: this.options.server.wsBase,
      crypto,
      identity: identity.handle,
      room: this.room,
      suite: info.cipher,
      keyAgreement,
      epoch,
      wrtc: this.options.wrtc,
      WebSocket: this.options.WebSocket,
      iceServers,
      presence: {
        username: this.options.username,
        displayName: this.options.displayName,
        fingerprint: author.fingerprint,
        typing: false,
      },
      handlers: {
        established: (link) => this.engine.onEstablished(link),
        message: (link, message) =>
          RoomFiles.isFileMessage(message)
            ? this.files?.onControl(link, message)
            : this.engine.onMessage(link, message),
        failed: (link, reason, message) => this.engine.onFailed(link, reason, message),
        closed: (link) => this.engine.onClosed(link),
        droppedFrame: () => this.engine.droppedFrames++,
        keyAgreement: (ka) => void this.engine.learnKeyAgreement(ka),
        signalingRejected: (message) => {
          this.signalingFailures++;
          this.emit('signaling-failed', { count: this.signalingFailures, message });
        },
        socketOpen: () => {
          this.socketOpen = true;
          this.admission.socketOpened();
          this.emit('connection', { state: 'online' });
        },
        socketClosed: (code) => this.onSocketClosed(code),
        resolveUrl: () => this.resolveUrl(),
        urlFailed: () => undefined,
        presenceChanged: () => this.emit('presence', {}),
      },
    });
  }

  private async onEpochChanged(epoch: number): Promise<void> {
    this.mesh.setEpoch(epoch);
    await this.saveSecrets();
  }

  /** Seals every epoch secret under the data key into the room's record (if we have one). */
  private async saveSecrets(): Promise<void> {
    if (!this.options.dataKey) return;
    const record = await this.options.crypto.sealRoomSecrets(
      this.room,
      this.options.dataKey,
      this.roomId,
    );
    const epochs = await this.options.crypto.roomEpochs(this.room);
    await this.engine.saveRecord({ secrets: [{ epoch: Math.max(0, ...epochs), record }] });
  }

  private async resolveUrl(): Promise<string> {
    if (this.ended) throw new Error('This session has ended.');
    try {
      return await this.admission.signalUrl();
    } catch (error) {
      if (error instanceof JoinError) {
        if (error.code === 'banned') this.end({ removed: 'banned' });
        else if (error.code === 'closed' || error.code === 'not-found') this.end({ closed: true });
      }
      throw error;
    }
  }

  private onSocketClosed(code: number): void {
    const opened = this.socketOpen;
    this.socketOpen = false;
    this.admission.socketClosed(opened, code === SignalCloseCode.ticketExpired);
    if (this.ended) return;
    if (code === SignalCloseCode.kicked) return this.end({ removed: 'kicked' });
    if (code === SignalCloseCode.banned) return this.end({ removed: 'banned' });
    if (code === SignalCloseCode.roomClosed) return this.end({ closed: true });
    if (opened) this.emit('connection', { state: 'reconnecting' });
  }

  private end(why: { removed?: 'kicked' | 'banned'; closed?: boolean }): void {
    if (this.ended) return;
    this.ended = true;
    // Tell the person first; tearing down the mesh may take a moment.
    if (why.removed) this.emit('removed', { reason: why.removed });
    if (why.closed) this.emit('room-closed', {});
    void this.engine.markEnded(why.closed ? 'closed' : why.removed);
    void this.shutdown()
      .catch((error: unknown) => this.emit('error', { message: (error as Error).message }))
      .finally(() => this.emit('connection', { state: 'offline' }));
  }

  private async shutdown(): Promise<void> {
    if (this.mesh) {
      // NOTE: peers are asked to close their ends first: closing ours while they are still
      // sending crashed @roamhq/wrtc (a send on a channel whose native half was gone).
      await this.files?.close();
      await this.engine.sayGoodbye();
      await this.mesh.connectionsClosed(LEAVE_GRACE_MS);
      await this.mesh.destroy();
    }
    await this.options.crypto.release(this.room);
  }

  private emit<K extends keyof RoomEvents>(type: K, event: RoomEvents[K]): void {
    if (type === 'connection') this.connectionState = (event as RoomEvents['connection']).state;
    this.emitter.emit(type, event);
    this.files?.observe(type, event);
  }

  on<K extends keyof RoomEvents>(type: K, listener: (event: RoomEvents[K]) => void): () => void {
    return this.emitter.on(type, listener);
  }

  /** Resolves with the next `type` event that passes `filter` (tests, scripts). */
  next<K extends keyof RoomEvents>(
    type: K,
    filter?: (event: RoomEvents[K]) => boolean,
  ): Promise<RoomEvents[K]> {
    return this.emitter.once(type, filter);
  }

  get isHost(): boolean {
    return this.admission.info.isHost;
  }

  /** The room's maximum file size set by its host (bytes); undefined: no limit. */
  get maxFileBytes(): number | undefined {
    return this.admission.info.maxFileBytes;
  }

  get host(): string {
    return this.admission.info.host;
  }

  /** The last 'connection' event's state. */
  get connection(): RoomEvents['connection']['state'] {
    return this.connectionState;
  }

  /** The room's name: the host's choice, learned by members from the host. */
  get name(): string {
    return this.engine.roomName;
  }

  /** The link to invite others (it contains the room secret: show it only on request). */
  async inviteLink(): Promise<string> {
    return this.options.crypto.roomLink(this.room, this.origin, this.roomId);
  }

  /** Host: renames the room on this device and for every member (now and when they meet). */
  async rename(name: string): Promise<void> {
    if (!this.isHost) throw new RoomActionError('Only the host can rename the room.');
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > ROOM_NAME_MAX) {
      throw new RoomActionError(`A room name has 1 to ${ROOM_NAME_MAX} characters.`);
    }
    await this.engine.rename(trimmed);
  }

  /** Stored at once; state 'sent' when a peer got it now, else 'pending' (the outbox). */
  send(text: string): Promise<MessageView> {
    if (this.ended) return Promise.reject(new RoomActionError('You are no longer in this room.'));
    if (text.trim().length === 0) {
      return Promise.reject(new RoomActionError('There is nothing to send.'));
    }
    if (text.length > P2P_MAX_TEXT) {
      return Promise.reject(
        new RoomActionError(`A message has at most ${P2P_MAX_TEXT} characters; split it up.`),
      );
    }
    return this.engine.send(text);
  }

  /** One page of stored history, oldest first; `before` pages further back. */
  history(options: { before?: HistoryCursor; limit?: number } = {}): Promise<MessageView[]> {
    return this.engine.history(options).then((views) => {
      for (const view of views) this.files?.observe('message', view);
      return views;
    });
  }

  // --- files (client/core/files): events file-offered/-progress/-complete/-failed/-expired

  /** Hashes and seals the file into the chunk store, then offers it to the room. */
  sendFile(source: FileSource): Promise<FileView> {
    if (this.ended) return Promise.reject(new RoomActionError('You are no longer in this room.'));
    return this.files!.sendFile(source);
  }

  /** Starts or resumes fetching an offered file (the size is in its view: ask first). */
  fetchFile(id: string): Promise<FileView> {
    return this.files!.fetchFile(id);
  }

  pauseFile(id: string): FileView {
    return this.files!.pauseFile(id);
  }

  resumeFile(id: string): Promise<FileView> {
    return this.files!.resumeFile(id);
  }

  /** Stops a fetch and deletes what arrived; the offer stays. */
  cancelFile(id: string): Promise<FileView> {
    return this.files!.cancelFile(id);
  }

  fileViews(): FileView[] {
    return this.files?.fileViews() ?? [];
  }

  /** Makes the file that stored message `messageId` offers known (see fileViews). */
  async trackFileOffer(messageId: string): Promise<void> {
    await this.files?.trackOffer(messageId);
  }

  /** A complete file's verified plaintext, piece by piece (never whole in memory). */
  readFile(id: string): AsyncGenerator<Uint8Array> {
    return this.files!.readFile(id);
  }

  members(): MemberView[] {
    return this.engine.memberViews();
  }

  setTyping(typing: boolean): void {
    this.mesh.setPresence({ typing });
  }

  /** The name on messages written from now on (and in presence; members see it on the next intro). */
  setDisplayName(displayName: string): void {
    this.engine.self.displayName = displayName;
    this.mesh.setPresence({ displayName });
  }

  verification(peer: string) {
    return this.engine.verification(peer);
  }

  markVerified(peer: string): Promise<void> {
    return this.engine.markVerified(peer);
  }

  async kick(username: string): Promise<void> {
    await this.engine.remove('kick', username, () =>
      this.options.server.kick(this.roomId, username),
    );
  }

  async ban(username: string): Promise<void> {
    await this.engine.remove('ban', username, () => this.options.server.ban(this.roomId, username));
  }

  /** Host: closes the room for everyone (the server tells every member). */
  async close(): Promise<void> {
    if (!this.isHost) throw new RoomActionError('Only the host can close the room.');
    try {
      await this.options.server.closeRoom(this.roomId);
    } catch (error) {
      throw new RoomActionError((error as Error).message);
    }
    this.end({ closed: true });
  }

  /** The person has seen everything up to this Lamport time (unread counts start after). */
  async markRead(lamport: number): Promise<void> {
    await this.engine.markRead(lamport);
  }

  /** Counters for the UI and tests: dropped frames, signaling failures, replays. */
  stats() {
    return {
      droppedFrames: this.engine.droppedFrames,
      rejectedMessages: this.engine.rejectedMessages,
      signalingFailures: this.signalingFailures,
      signalingReplays: this.mesh.replays,
      openLinks: this.mesh.openLinks().length,
      epoch: this.engine.epoch,
    };
  }

  /** Leaves quietly: peers see us go; history stays on this device. */
  async leave(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.shutdown();
    this.emit('connection', { state: 'offline' });
    this.emitter.removeAll();
  }
}
