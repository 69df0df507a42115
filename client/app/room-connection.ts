// One room as the app keeps it: the RoomSession when one is up, the device's store when
// not. Sends, session starts and offline composes run in one queue, so a message written
// offline is stored before a session opens its message log (counters never repeat), and
// it leaves with the outbox once a peer is reached. The session stays up after the room
// screen is left, so messages still arrive (and alert) while the person is elsewhere.
import type { CryptoPort } from '../core/crypto-port';
import { TypedEmitter } from '../core/events';
import type { HistoryStore, StoredRoom } from '../core/history-store';
import type { IdentityPublic } from '../core/identity-info';
import type { RoomSession, RoomSessionOptions } from '../core/room-session';
import { loadRoomSession } from './session-loader';
import type { ServerApi } from '../core/server-api';
import { messageView, type MessageView } from '../core/views';
import { AppError, type RoomControllerEvents, type RoomStatus } from './app-types';
import { toAppError } from './app-errors';
import type { SealedLink } from './join-flow';
import { composeOffline } from './offline-composer';
import { deviceChunkStore } from '../storage/device-chunk-store';
import { fileCryptoPort } from '../crypto/file-crypto-worker';

export interface RoomContext {
  store: HistoryStore;
  crypto: CryptoPort;
  server: ServerApi;
  identity: IdentityPublic;
  dataKey: string;
  username: string;
  displayName(): string;
  /** The room's password, if it has one (kept sealed on the device). */
  roomPassword(roomId: string): Promise<string | undefined>;
  /** A message from someone else arrived (alerts). */
  incoming(roomId: string, roomName: string, message: MessageView): void;
  /** Something the rooms list shows changed (unread, preview, name, ended). */
  changed(roomId: string): void;
  /** The server no longer knows our session: the app goes to sign-in. */
  unauthenticated(): void;
  /** Whether the server answered the last time a room tried to connect. */
  reachable(online: boolean): void;
}

const MAX_FAILURES = 5;

/** The options every session of a room starts with (the typed password, else the saved one). */
export async function sessionOptions(
  context: RoomContext,
  roomId: string,
  roomPassword?: string,
): Promise<RoomSessionOptions> {
  const password = roomPassword ?? (roomId ? await context.roomPassword(roomId) : undefined);
  return {
    server: context.server,
    crypto: context.crypto,
    identity: context.identity,
    store: context.store,
    dataKey: context.dataKey,
    username: context.username,
    displayName: context.displayName() || context.username,
    ...(password ? { roomPassword: password } : {}),
    // Files: chunks on disk (OPFS, else IndexedDB), so transfers survive a reload, and
    // sealed or opened in a crypto worker of their own, so chat never waits behind them.
    files: { store: deviceChunkStore(), crypto: fileCryptoPort() },
  };
}

export class RoomConnection {
  private session: RoomSession | null = null;
  private readonly emitter = new TypedEmitter<RoomControllerEvents>();
  private current: RoomStatus;
  private queue: Promise<unknown> = Promise.resolve();
  private unwire: (() => void)[] = [];
  private closed = false;
  private attempted = false;
  private roomName: string;
  private host: boolean;

  constructor(
    private readonly context: RoomContext,
    readonly roomId: string,
    room: Pick<StoredRoom, 'name' | 'role' | 'ended'>,
    /** For a joined room not stored yet (no peer met so far): its link, sealed. */
    private readonly sealedLink?: SealedLink,
  ) {
    this.roomName = room.name;
    this.host = room.role === 'host';
    this.current = {
      connection: 'offline',
      keyChanged: [],
      failures: [],
      ...(room.ended ? { ended: room.ended } : {}),
    };
  }

  get name(): string {
    return this.roomName;
  }

  get isHost(): boolean {
    return this.host;
  }

  get connected(): boolean {
    return this.session !== null;
  }

  status(): RoomStatus {
    return this.current;
  }

  on<K extends keyof RoomControllerEvents>(
    type: K,
    listener: (event: RoomControllerEvents[K]) => void,
  ): () => void {
    return this.emitter.on(type, listener);
  }

  members() {
    return this.session?.members() ?? [];
  }

  /** Starts a session from the stored, sealed secrets, unless one is up or the room ended. */
  connect(): Promise<void> {
    return this.enqueue(async () => {
      if (this.session || this.closed || this.current.ended) return;
      // Retries after a failure stay 'offline' until they work: no banner flicker.
      if (this.current.connection !== 'offline' || !this.attempted) {
        this.setStatus({ connection: 'connecting' });
      }
      this.attempted = true;
      try {
        const options = await sessionOptions(this.context, this.roomId);
        const stored = await this.context.store.getRoom(this.roomId);
        const session =
          !stored && this.sealedLink
            ? await this.joinFromLink(this.sealedLink, options)
            : await (await loadRoomSession()).rejoin(this.roomId, options);
        if (this.closed) {
          await session.leave();
          return;
        }
        this.attach(session);
        this.context.reachable(true);
      } catch (error) {
        await this.connectFailed(toAppError(error));
      }
    });
  }

  private async joinFromLink(link: SealedLink, options: RoomSessionOptions) {
    const { crypto, dataKey } = this.context;
    const opened = await crypto.openRoomSecrets(dataKey, link.record, link.roomId);
    if (!opened.ok) throw new AppError('bad-link', "This room's saved link could not be opened.");
    return (await loadRoomSession()).joinOpened(
      { room: opened.value, roomId: link.roomId, origin: link.origin },
      options,
    );
  }

  private async connectFailed(error: AppError): Promise<void> {
    if (error.code === 'unauthenticated') this.context.unauthenticated();
    this.context.reachable(error.code !== 'network');
    const ended =
      error.code === 'banned'
        ? 'banned'
        : error.code === 'closed' || error.code === 'not-found'
          ? 'closed'
          : undefined;
    if (ended) await this.markEnded(ended);
    if (error.code !== 'network' && !ended) this.addFailure(error.message);
    this.setStatus({ connection: 'offline' });
  }

  /**
   * Never rejects: the end of a room may be announced while the app is closing everything
   * (e.g. deleting the account closes the rooms it hosts, then deletes the local data), and
   * the engine records `ended` on a live session anyway.
   */
  private async markEnded(ended: 'closed' | 'kicked' | 'banned'): Promise<void> {
    this.setStatus({ ended });
    if (this.closed) return;
    try {
      const stored = await this.context.store.getRoom(this.roomId);
      if (stored && !stored.ended) await this.context.store.putRoom({ ...stored, ended });
      this.context.changed(this.roomId);
    } catch {
      // The store was closed meanwhile (logout, lock, deleted data): nothing left to mark.
    }
  }

  /** Takes over a session started elsewhere (create, join by link). */
  attach(session: RoomSession): void {
    this.session = session;
    this.roomName = session.name;
    this.host = session.isHost;
    const forward = <K extends keyof RoomControllerEvents>(type: K) =>
      session.on(type as never, (event: RoomControllerEvents[K]) => this.emitter.emit(type, event));
    const members = () => this.emitter.emit('members', {});
    this.unwire = [
      forward('delivery'),
      forward('peer-joined'),
      forward('peer-left'),
      forward('key-changed'),
      forward('peer-verified'),
      forward('file-offered'),
      forward('file-progress'),
      forward('file-complete'),
      forward('file-failed'),
      forward('file-expired'),
      session.on('peer-joined', members),
      session.on('peer-left', members),
      session.on('peer-verified', members),
      session.on('presence', members),
      session.on('message', (message) => this.onMessage(message)),
      session.on('peer-verified', (member) => {
        if (member.verified && this.current.keyChanged.includes(member.username)) {
          this.setStatus({
            keyChanged: this.current.keyChanged.filter((name) => name !== member.username),
          });
        }
      }),
      session.on('key-changed', ({ username }) => {
        if (!this.current.keyChanged.includes(username)) {
          this.setStatus({ keyChanged: [...this.current.keyChanged, username] });
        }
      }),
      session.on('peer-failed', ({ message }) => this.addFailure(message)),
      session.on('connection', ({ state }) => this.setStatus({ connection: state })),
      session.on('removed', ({ reason }) => void this.markEnded(reason)),
      session.on('room-closed', () => void this.markEnded('closed')),
      session.on('room-renamed', ({ name }) => {
        this.roomName = name;
        this.emitter.emit('room-renamed', { name });
        this.context.changed(this.roomId);
      }),
    ];
    this.setStatus({ connection: session.connection });
  }

  private onMessage(message: MessageView): void {
    this.emitter.emit('message', message);
    if (!message.own) this.context.incoming(this.roomId, this.roomName, message);
    this.context.changed(this.roomId);
  }

  private addFailure(message: string): void {
    this.setStatus({ failures: [...this.current.failures, message].slice(-MAX_FAILURES) });
  }

  private setStatus(change: Partial<RoomStatus>): void {
    this.current = { ...this.current, ...change };
    this.emitter.emit('status', this.current);
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Through the session when there is one, else signed and stored as pending. */
  send(text: string): Promise<MessageView> {
    return this.enqueue(async () => {
      if (this.current.ended) {
        throw new AppError(this.current.ended, 'You are no longer in this room.');
      }
      if (this.session) return this.session.send(text);
      const view = await composeOffline(
        {
          store: this.context.store,
          crypto: this.context.crypto,
          identity: this.context.identity,
          username: this.context.username,
          displayName: this.context.displayName() || this.context.username,
        },
        this.roomId,
        text,
      );
      this.onMessage(view);
      return view;
    });
  }

  setTyping(typing: boolean): void {
    this.session?.setTyping(typing);
  }

  setDisplayName(displayName: string): void {
    this.session?.setDisplayName(displayName);
  }

  /** Everything stored counts as seen. */
  markRead(): Promise<void> {
    return this.enqueue(async () => {
      const { store } = this.context;
      const lamport = await store.maxLamport(this.roomId);
      if (this.session) {
        await this.session.markRead(lamport);
      } else {
        const stored = await store.getRoom(this.roomId);
        if (stored && stored.readLamport < lamport) {
          await store.putRoom({ ...stored, readLamport: lamport });
        }
      }
      this.context.changed(this.roomId);
    });
  }

  count(): Promise<number> {
    return this.context.store.countMessages(this.roomId);
  }

  async page(options: { beforeId?: string; limit?: number } = {}): Promise<MessageView[]> {
    const { store, identity } = this.context;
    let before;
    if (options.beforeId) {
      const split = options.beforeId.lastIndexOf(':');
      const device = options.beforeId.slice(0, split);
      const counter = Number(options.beforeId.slice(split + 1));
      const anchor = await store.getMessage(this.roomId, device, counter);
      if (!anchor) return [];
      before = { lamport: anchor.lamport, authorDevice: device, counter };
    }
    const page = await store.history(this.roomId, {
      ...(before ? { before } : {}),
      limit: options.limit ?? 50,
    });
    return page.reverse().map((message) => messageView(message, identity.fingerprint));
  }

  /** From the live session, or from the sealed secrets (works offline). */
  async inviteLink(): Promise<string> {
    if (this.session) return this.session.inviteLink();
    const { store, crypto, dataKey } = this.context;
    const stored = await store.getRoom(this.roomId);
    const saved = stored?.secrets.at(-1);
    if (!stored || !saved) throw new AppError('not-found', 'This room is not on this device.');
    const opened = await crypto.openRoomSecrets(dataKey, saved.record, this.roomId);
    if (!opened.ok) throw new AppError('invalid', "This room's saved keys could not be opened.");
    try {
      return await crypto.roomLink(opened.value, stored.origin, this.roomId);
    } finally {
      await crypto.release(opened.value);
    }
  }

  /** The live session for actions that need peers or the server. */
  live(): RoomSession {
    if (this.session) return this.session;
    if (this.current.ended) throw new AppError(this.current.ended, 'This room is over for you.');
    throw new AppError('network', 'Not connected to this room right now; try again when online.');
  }

  async rename(name: string): Promise<void> {
    if (!this.host) throw new AppError('invalid', 'Only the host can rename the room.');
    if (this.session) return this.session.rename(name);
    const trimmed = name.trim();
    if (!trimmed) throw new AppError('invalid', 'A room needs a name.');
    const stored = await this.context.store.getRoom(this.roomId);
    if (stored) await this.context.store.putRoom({ ...stored, name: trimmed.slice(0, 100) });
    this.roomName = trimmed.slice(0, 100);
    this.emitter.emit('room-renamed', { name: this.roomName });
    this.context.changed(this.roomId);
  }

  /** Leaves the room's session for good (logout, delete, lock). */
  close(): Promise<void> {
    this.closed = true;
    return this.enqueue(async () => {
      for (const off of this.unwire.splice(0)) off();
      const session = this.session;
      this.session = null;
      await session?.leave();
      this.emitter.removeAll();
    });
  }
}
