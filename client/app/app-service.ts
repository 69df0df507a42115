// The App the UI talks to (app-types.ts): start-up phases, the account, the rooms on this
// device and their connections, joining by link, search and settings. Browser specifics
// (the worker, the address bar, window events) are wired in create-app.ts, so this class
// runs in Node tests as well.
import type { CryptoPort } from '../core/crypto-port';
import type { IdentityPublic } from '../core/identity-info';
import type { ServerApi } from '../core/server-api';
import { loadDeviceIdentity, whoIsSignedIn } from './account-check';
import type { DeviceVault } from './device/vault';
import {
  AppError,
  type Account,
  type App,
  type AppSnapshot,
  type CreateRoomInput,
  type RoomController,
  type SearchHit,
  type Settings,
} from './app-types';
import { asAppError } from './app-errors';
import {
  JoinFlow,
  openLink,
  PENDING_JOIN_KEY,
  SealedLinkSchema,
  type OpenedLink,
} from './join-flow';
import { createRoomController } from './room-controller';
import { DeclinedFiles, forgetDeclinedFiles } from './declined-files';
import { searchMessages } from './search';
import {
  ACCOUNT_KEY,
  DEFAULT_SETTINGS,
  SETTINGS_KEY,
  SettingsPatchSchema,
  SettingsSchema,
} from './settings';
import { SnapshotStore } from './snapshot-store';
import type { AppRooms } from './app-rooms';
import { DeviceOwnedByOther, forgetRoomPassword, openAccountRooms } from './account-rooms';

export interface IncomingAlert {
  roomId: string;
  roomName: string;
  from: string;
  text: string;
}

export interface AppServiceDeps {
  crypto: CryptoPort;
  openVault(): Promise<DeviceVault>;
  server: ServerApi;
  /** Where links to rooms created here point (the server's origin). */
  origin: string;
  /** The room link the page was opened with, already in the worker (or what is wrong). */
  startLink: OpenedLink | AppError | null;
  /** The room id of the page's /r/ID path, for messages about its link. */
  startRoomId: string | null;
  online(): boolean;
  alert(alert: IncomingAlert, settings: Pick<Settings, 'notifications' | 'sound'>): void;
  /** The device's file chunks (browser only): plaintext copies go on lock, all on delete. */
  files?: { removePlainCopies(): Promise<void>; deleteAll(): Promise<void> };
}

export class AppService implements App {
  private readonly state: SnapshotStore;
  private vault!: DeviceVault;
  private identity: IdentityPublic | null = null;
  private rooms: AppRooms | null = null;
  private joins!: JoinFlow;
  private heldLink: OpenedLink | null = null;

  constructor(private readonly deps: AppServiceDeps) {
    this.state = new SnapshotStore({
      phase: 'starting',
      account: null,
      online: deps.online(),
      passphraseSet: false,
      settings: DEFAULT_SETTINGS,
      rooms: [],
      pendingJoin: null,
    });
    this.joins = this.newJoinFlow();
  }

  /** Opens the vault and, unless a passphrase locks it, everything behind it. */
  async start(): Promise<void> {
    const { startLink, startRoomId } = this.deps;
    if (startLink instanceof AppError) {
      this.state.update({
        pendingJoin: { roomId: startRoomId ?? '', needsPassword: false, error: startLink.message },
      });
    } else if (startLink) {
      this.heldLink = startLink;
    }
    await this.openVault();
  }

  private async openVault(): Promise<void> {
    this.vault = await this.deps.openVault();
    this.vault.onStateChange((state) => {
      // Auto-lock included: whatever the phase, the lock screen comes next.
      if (state === 'locked') {
        void this.closeRooms()
          .then(() => this.removePlainCopies())
          .then(() => this.toLocked());
      }
    });
    this.state.update({ passphraseSet: this.vault.passphraseSet });
    if (this.vault.state === 'locked') {
      // Copies decrypted for Download belong to the unlocked session that made them: a
      // locked device (the tab was closed, not locked) must not keep them on disk.
      await this.removePlainCopies();
      this.toLocked();
    } else await this.afterUnlock();
  }

  private async removePlainCopies(): Promise<void> {
    await this.deps.files?.removePlainCopies().catch(() => undefined);
  }

  private toLocked(): void {
    this.state.update({ phase: 'locked', rooms: [] });
  }

  private newJoinFlow(): JoinFlow {
    return new JoinFlow({
      crypto: this.deps.crypto,
      dataKey: () => this.vault.dataKey(),
      save: (link) => this.vault.writeSetting(PENDING_JOIN_KEY, link ? { ...link } : null),
      publish: (pendingJoin) => this.state.update({ pendingJoin }),
      join: (opened, password, sealed) => this.requireRooms().join(opened, password, sealed),
    });
  }

  private async afterUnlock(): Promise<void> {
    const { vault } = this;
    this.identity = await loadDeviceIdentity(this.deps.crypto);
    const saved = await vault.readSetting(SETTINGS_KEY, SettingsSchema);
    const settings = { ...DEFAULT_SETTINGS, ...saved };
    vault.autoLock(settings.autoLockMinutes);
    this.state.update({ settings });
    const held = this.heldLink;
    this.heldLink = null;
    if (held) await this.joins.adopt(held);
    else this.joins.restore(await vault.readSetting(PENDING_JOIN_KEY, SealedLinkSchema.nullable()));
    // At start, another person's session cookie only means: sign in again.
    await this.checkAccount().catch(() => this.signedOut());
  }

  /** Asks the server who is signed in; offline, the remembered account is used. */
  private async checkAccount(): Promise<void> {
    const { account, online } = await whoIsSignedIn(this.deps.server, this.vault);
    this.state.update({ online });
    if (account) await this.signedIn(account);
    else await this.signedOut();
  }

  private async signedIn(account: Account): Promise<void> {
    const current = this.state.get().account;
    if (this.rooms && current?.username === account.username) {
      // Still the same person (the network came back): keep rooms and their screens.
      this.state.update({ account });
      return;
    }
    const rooms = await openAccountRooms({
      vault: this.vault,
      crypto: this.deps.crypto,
      server: this.deps.server,
      origin: this.deps.origin,
      identity: this.identity!,
      account,
      settings: () => this.state.get().settings,
      alert: this.deps.alert,
      publish: (rooms) => this.state.update({ rooms }),
      reachable: (online) => {
        if (this.state.get().online !== online) this.state.update({ online });
      },
      unauthenticated: () => void this.signedOut(),
    }).catch(async (error: unknown) => {
      if (error instanceof DeviceOwnedByOther) {
        await this.deps.server.logout().catch(() => undefined);
        await this.signedOut();
      }
      throw error;
    });
    await this.rooms?.closeAll();
    this.rooms = rooms;
    // The list first, so the home screen never shows an empty "Rooms" for a moment.
    await this.rooms.refresh();
    this.state.update({ account, phase: 'ready' });
    // Every room gets its session, so messages arrive (and alert) wherever the person is.
    this.rooms.connectAll();
    if (this.joins.roomId) void this.joins.run().catch(() => undefined);
  }

  private async signedOut(): Promise<void> {
    await this.closeRooms();
    this.state.update({ account: null, phase: 'signed-out', rooms: [] });
  }

  private async closeRooms(): Promise<void> {
    const rooms = this.rooms;
    this.rooms = null;
    await rooms?.closeAll();
  }

  private requireRooms(): AppRooms {
    if (this.rooms) return this.rooms;
    const { phase } = this.state.get();
    if (phase === 'locked') throw new AppError('invalid', 'Unlock first.');
    throw new AppError('unauthenticated', 'Log in or register first.');
  }

  // --- the App interface --------------------------------------------------------------

  snapshot(): AppSnapshot {
    return this.state.get();
  }

  subscribe(listener: (snapshot: AppSnapshot) => void): () => void {
    return this.state.subscribe(listener);
  }

  async unlock(passphrase: string): Promise<void> {
    await asAppError(async () => {
      await this.vault.unlock(passphrase);
      await this.afterUnlock();
    });
  }

  async lock(): Promise<void> {
    await asAppError(async () => {
      await this.closeRooms();
      await this.vault.lock();
      this.toLocked();
    });
  }

  async setPassphrase(next: string, current?: string): Promise<void> {
    await asAppError(() => this.vault.setPassphrase(next, current));
    this.vault.autoLock(this.state.get().settings.autoLockMinutes);
    this.state.update({ passphraseSet: this.vault.passphraseSet });
  }

  async removePassphrase(current: string): Promise<void> {
    await asAppError(() => this.vault.removePassphrase(current));
    this.state.update({ passphraseSet: this.vault.passphraseSet });
  }

  async register(username: string, password: string): Promise<void> {
    await asAppError(() => this.deps.server.register(username, password));
    await this.login(username, password);
  }

  async login(username: string, password: string): Promise<void> {
    await asAppError(async () => {
      await this.deps.server.login(username, password);
      this.state.update({ online: true });
      await this.checkAccount();
    });
  }

  async logout(): Promise<void> {
    await this.deps.server.logout().catch(() => undefined);
    await this.vault.writeSetting(ACCOUNT_KEY, null);
    await this.signedOut();
  }

  async requestPasswordReset(username: string): Promise<void> {
    await asAppError(() => this.deps.server.requestPasswordReset(username));
  }

  async confirmPasswordReset(token: string, password: string): Promise<void> {
    await asAppError(() => this.deps.server.confirmPasswordReset(token, password));
  }

  async changePassword(current: string, next: string): Promise<void> {
    await asAppError(() => this.deps.server.changePassword(current, next));
    // The server signed every session out, this one too.
    await this.vault.writeSetting(ACCOUNT_KEY, null);
    await this.signedOut();
  }

  async updateSettings(patch: Partial<Settings>): Promise<void> {
    const checked = SettingsPatchSchema.safeParse(patch);
    if (!checked.success) throw new AppError('invalid', 'These settings are not valid.');
    const settings = { ...this.state.get().settings, ...checked.data };
    await asAppError(() => this.vault.writeSetting(SETTINGS_KEY, settings));
    if (checked.data.autoLockMinutes !== undefined) this.vault.autoLock(settings.autoLockMinutes);
    if (checked.data.displayName !== undefined) this.rooms?.setDisplayName(settings.displayName);
    this.state.update({ settings });
  }

  async createRoom(input: CreateRoomInput): Promise<{ roomId: string }> {
    return asAppError(() => this.requireRooms().create(input));
  }

  async joinLink(link: string, roomPassword?: string): Promise<{ roomId: string }> {
    return asAppError(async () => {
      const opened = await openLink(this.deps.crypto, link);
      await this.joins.adopt(opened);
      this.requireRooms();
      return this.joins.run(roomPassword);
    });
  }

  async submitRoomPassword(password: string): Promise<{ roomId: string }> {
    return asAppError(() => {
      this.requireRooms();
      return this.joins.run(password);
    });
  }

  async openRoom(roomId: string): Promise<RoomController> {
    return asAppError(async () => {
      const rooms = this.requireRooms();
      const joining = rooms.has(roomId) ? null : this.joins.waitFor(roomId);
      if (joining) await joining;
      const connection = await this.requireRooms().connection(roomId);
      const declined = await DeclinedFiles.load(this.vault, roomId);
      return createRoomController(connection, this.vault, declined, () => this.vault.touch());
    });
  }

  async deleteConversation(roomId: string): Promise<void> {
    await asAppError(async () => {
      await this.requireRooms().delete(roomId);
      await this.vault.saveDraft(roomId, '');
      await forgetRoomPassword(this.vault, roomId);
      await forgetDeclinedFiles(this.vault, roomId);
    });
  }

  async search(query: string): Promise<SearchHit[]> {
    return asAppError(async () => {
      const rooms = this.requireRooms();
      const roomNames = new Map(this.state.get().rooms.map((room) => [room.roomId, room.name]));
      return searchMessages(rooms.store, query, {
        roomNames,
        selfDevice: this.identity!.fingerprint,
      });
    });
  }

  async deleteLocalData(): Promise<void> {
    await asAppError(async () => {
      await this.closeRooms();
      await this.deps.files?.deleteAll();
      await this.vault.deleteEverything();
      this.identity = null;
      this.joins = this.newJoinFlow();
      this.state.update({
        phase: 'starting',
        rooms: [],
        pendingJoin: null,
        settings: DEFAULT_SETTINGS,
      });
      await this.openVault();
    });
  }

  async deleteAccount(password: string): Promise<void> {
    await asAppError(() => this.deps.server.deleteAccount(password));
    await this.deleteLocalData();
  }

  // --- for create-app.ts (browser events) ------------------------------------------------

  /** The network came back (or went): reconnect rooms, retry a pending join. */
  async networkChanged(online: boolean): Promise<void> {
    this.state.update({ online });
    if (!online) return;
    const { phase } = this.state.get();
    if (phase === 'ready' || phase === 'signed-out') await this.checkAccount().catch(() => {});
    this.reconnect();
  }

  /** Rooms opened on this run that have no session (server was down...): try again. */
  reconnect(): void {
    if (!this.deps.online() || !this.rooms) return;
    this.rooms.reconnect();
    if (this.joins.retryable) void this.joins.run().catch(() => undefined);
  }

  touch(): void {
    this.vault?.touch();
  }

  /** Leaves every room and closes local data (tests; a page simply unloads). */
  async dispose(): Promise<void> {
    await this.closeRooms();
    await this.vault?.close();
  }
}
