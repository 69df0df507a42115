// The rooms of the signed-in person on this device: one RoomConnection per room opened on
// this run (kept alive until logout, lock or delete), the "Rooms" list (refreshed at most a
// few times a second, however many messages arrive), creating and joining rooms.
//
// A member stores its room once the first peer told it the room's key agreement; until
// then the room is "unsettled": its link stays sealed in the vault's settings so the room
// is listed, and can be opened, even after a reload with nobody else online.
import type { IdbHistoryStore } from '../storage/idb-history-store';
import type { RoomSession } from '../core/room-session';
import { loadRoomSession } from './session-loader';
import { AppError, type CreateRoomInput, type RoomSummary } from './app-types';
import type { OpenedLink, SealedLink } from './join-flow';
import { RoomConnection, sessionOptions, type RoomContext } from './room-connection';
import { listRoomSummaries } from './room-summaries';

/** Shortest time between two reads of the rooms list. */
const REFRESH_MS = 200;

export interface AppRoomsOptions {
  origin: string;
  publish(rooms: RoomSummary[]): void;
  saveRoomPassword(roomId: string, password: string): Promise<void>;
  /** Joined rooms not stored yet (see above), kept sealed in the vault. */
  loadUnsettled(): Promise<SealedLink[]>;
  saveUnsettled(links: SealedLink[]): Promise<void>;
}

export class AppRooms {
  private readonly connections = new Map<string, RoomConnection>();
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private unsettled = new Map<string, SealedLink>();
  private unsettledLoaded = false;

  constructor(
    private readonly context: RoomContext & { store: IdbHistoryStore },
    private readonly options: AppRoomsOptions,
  ) {}

  get store(): IdbHistoryStore {
    return this.context.store;
  }

  has(roomId: string): boolean {
    return this.connections.has(roomId);
  }

  /** The room's connection (created from the stored room), connecting in the background. */
  async connection(roomId: string): Promise<RoomConnection> {
    let connection = this.connections.get(roomId);
    if (!connection) {
      const stored = await this.context.store.getRoom(roomId);
      const unsettled = (await this.loadUnsettled()).get(roomId);
      if (!stored && unsettled) {
        connection = this.connections.get(roomId) ?? this.unsettledConnection(unsettled);
        this.connections.set(roomId, connection);
      } else if (!stored) {
        throw new AppError(
          'bad-link',
          'This device has not joined this room, and the link is incomplete: the part after # ' +
            'is missing. Ask for the whole room link.',
        );
      } else {
        connection =
          this.connections.get(roomId) ?? new RoomConnection(this.context, roomId, stored);
        this.connections.set(roomId, connection);
      }
    }
    void connection.connect();
    return connection;
  }

  async create(input: CreateRoomInput): Promise<{ roomId: string }> {
    const name = input.name.trim();
    if (!name || name.length > 100) {
      throw new AppError('invalid', 'Give the room a name (at most 100 characters).');
    }
    const options = await sessionOptions(this.context, '', input.password || undefined);
    const RoomSession = await loadRoomSession();
    const { session } = await RoomSession.create({
      ...options,
      origin: this.options.origin,
      name,
      cipher: input.cipher,
      keyAgreement: input.keyAgreement,
      ...(input.maxFileBytes ? { maxFileBytes: input.maxFileBytes } : {}),
    });
    if (input.password) await this.options.saveRoomPassword(session.roomId, input.password);
    this.adopt(session);
    await this.refresh();
    return { roomId: session.roomId };
  }

  /** For the join flow: a session from an opened link (the handle is the session's now). */
  async join(
    opened: OpenedLink,
    roomPassword: string | undefined,
    sealed: SealedLink,
  ): Promise<void> {
    const existing = this.connections.get(opened.roomId);
    if (existing?.connected) {
      await this.context.crypto.release(opened.room);
      return;
    }
    let session: RoomSession;
    try {
      const options = await sessionOptions(this.context, opened.roomId, roomPassword);
      session = await (await loadRoomSession()).joinOpened(opened, options);
    } catch (error) {
      await Promise.resolve(this.context.crypto.release(opened.room)).catch(() => undefined);
      throw error;
    }
    if (roomPassword) await this.options.saveRoomPassword(opened.roomId, roomPassword);
    if (!(await this.context.store.getRoom(opened.roomId))) {
      (await this.loadUnsettled()).set(opened.roomId, sealed);
      await this.saveUnsettled();
    }
    if (existing) {
      this.connections.delete(opened.roomId);
      await existing.close();
    }
    this.adopt(session);
    await this.refresh();
  }

  private adopt(session: RoomSession): void {
    if (this.closed) {
      void session.leave();
      throw new AppError('invalid', 'Signed out while joining.');
    }
    const connection = new RoomConnection(this.context, session.roomId, {
      name: session.name,
      role: session.isHost ? 'host' : 'member',
    });
    connection.attach(session);
    this.connections.set(session.roomId, connection);
  }

  async delete(roomId: string): Promise<void> {
    const connection = this.connections.get(roomId);
    this.connections.delete(roomId);
    if ((await this.loadUnsettled()).delete(roomId)) await this.saveUnsettled();
    await connection?.close();
    await this.context.store.deleteRoom(roomId);
    await this.refresh();
  }

  /** Starts sessions for every stored room that is not over, one after the other. */
  connectAll(): void {
    void (async () => {
      for (const link of (await this.loadUnsettled()).values()) {
        if (this.closed) return;
        if (this.connections.has(link.roomId)) continue;
        const connection = this.unsettledConnection(link);
        this.connections.set(link.roomId, connection);
        await connection.connect();
      }
      for (const room of await this.context.store.listRooms()) {
        if (this.closed) return;
        if (room.ended || this.connections.has(room.roomId)) continue;
        const connection = new RoomConnection(this.context, room.roomId, room);
        this.connections.set(room.roomId, connection);
        await connection.connect();
      }
    })().catch(() => undefined);
  }

  /** The person renamed themselves: live sessions say so from now on. */
  setDisplayName(displayName: string): void {
    const name = displayName || this.context.username;
    for (const connection of this.connections.values()) connection.setDisplayName(name);
  }

  reconnect(): void {
    for (const connection of this.connections.values()) void connection.connect();
  }

  scheduleRefresh(): void {
    if (this.refreshTimer || this.closed) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refresh().catch(() => undefined);
    }, REFRESH_MS);
  }

  private unsettledConnection(link: SealedLink): RoomConnection {
    return new RoomConnection(
      this.context,
      link.roomId,
      { name: link.roomId, role: 'member' },
      link,
    );
  }

  private async loadUnsettled(): Promise<Map<string, SealedLink>> {
    if (!this.unsettledLoaded) {
      const links = await this.options.loadUnsettled();
      for (const link of links)
        if (!this.unsettled.has(link.roomId)) this.unsettled.set(link.roomId, link);
      this.unsettledLoaded = true;
    }
    return this.unsettled;
  }

  private async saveUnsettled(): Promise<void> {
    await this.options.saveUnsettled([...this.unsettled.values()]);
  }

  /** Stored rooms, plus joined ones not stored yet (their first peer is still to come). */
  async refresh(): Promise<void> {
    if (this.closed) return;
    const stored = await listRoomSummaries(this.context.store);
    const known = new Set(stored.map((room) => room.roomId));
    const unsettled = await this.loadUnsettled();
    let settled = false;
    for (const roomId of [...unsettled.keys()]) {
      if (known.has(roomId)) settled = unsettled.delete(roomId);
    }
    if (settled) await this.saveUnsettled();
    const waiting = new Set([...unsettled.keys(), ...this.connections.keys()]);
    const unstored: RoomSummary[] = [...waiting]
      .filter((roomId) => !known.has(roomId))
      .map((roomId) => {
        const connection = this.connections.get(roomId);
        return {
          roomId,
          name: connection?.name ?? roomId,
          role: connection?.isHost ? 'host' : 'member',
          unread: 0,
          lastActivity: Date.now(),
          preview: '',
        };
      });
    if (!this.closed) this.options.publish([...unstored, ...stored]);
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((connection) => connection.close().catch(() => undefined)));
    await this.context.store.close().catch(() => undefined);
  }
}
