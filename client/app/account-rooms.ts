// What signing in opens: the encrypted history, the per-room context sessions need, and
// the vault-backed bits of AppRooms (room passwords, joined rooms not stored yet). Local
// history is not split by account, so a device holding one person's conversations does
// not open them for another account.
import { z } from 'zod';
import type { CryptoPort } from '../core/crypto-port';
import type { IdentityPublic } from '../core/identity-info';
import type { ServerApi } from '../core/server-api';
import { AppError, type Account, type RoomSummary, type Settings } from './app-types';
import { AppRooms } from './app-rooms';
import type { DeviceVault } from './device/vault';
import { SealedLinkSchema } from './join-flow';
import type { RoomContext } from './room-connection';
import { ACCOUNT_KEY } from './settings';

const RoomPassword = z.string().max(1024).nullable();
/** Joined rooms whose first peer is still to come (app-rooms.ts). */
const UNSETTLED_KEY = 'unsettledRooms';
/** Whose conversations this device holds (kept across logouts, gone with local data). */
const OWNER_KEY = 'deviceOwner';

function roomPasswordKey(roomId: string): string {
  return `roomPassword:${roomId}`;
}

export function forgetRoomPassword(vault: DeviceVault, roomId: string): Promise<void> {
  return vault.writeSetting(roomPasswordKey(roomId), null);
}

/** Another account signed in on a device that holds someone's conversations. */
export class DeviceOwnedByOther extends AppError {
  constructor(owner: string) {
    super(
      'invalid',
      `This device holds the conversations of ${owner}. Log in as ${owner}, or delete all ` +
        'local data (Settings) before using another account here.',
    );
  }
}

export interface AccountRoomsDeps {
  vault: DeviceVault;
  crypto: CryptoPort;
  server: ServerApi;
  origin: string;
  identity: IdentityPublic;
  account: Account;
  settings(): Settings;
  alert(
    alert: { roomId: string; roomName: string; from: string; text: string },
    settings: Pick<Settings, 'notifications' | 'sound'>,
  ): void;
  publish(rooms: RoomSummary[]): void;
  reachable(online: boolean): void;
  unauthenticated(): void;
}

export async function openAccountRooms(deps: AccountRoomsDeps): Promise<AppRooms> {
  const { vault, account } = deps;
  const store = await vault.openHistory();
  const owner = await vault.readSetting(OWNER_KEY, z.string().nullable());
  if (owner && owner !== account.username && (await store.listRooms()).length > 0) {
    await store.close();
    throw new DeviceOwnedByOther(owner);
  }
  if (owner !== account.username) await vault.writeSetting(OWNER_KEY, account.username);
  await vault.writeSetting(ACCOUNT_KEY, { ...account });
  let rooms: AppRooms | null = null;
  const context: RoomContext & { store: typeof store } = {
    store,
    crypto: deps.crypto,
    server: deps.server,
    identity: deps.identity,
    dataKey: vault.dataKey(),
    username: account.username,
    displayName: () => deps.settings().displayName,
    roomPassword: async (roomId) =>
      (await vault.readSetting(roomPasswordKey(roomId), RoomPassword)) ?? undefined,
    incoming: (roomId, roomName, message) =>
      deps.alert(
        { roomId, roomName, from: message.displayName || message.username, text: message.text },
        deps.settings(),
      ),
    changed: () => rooms?.scheduleRefresh(),
    reachable: deps.reachable,
    unauthenticated: deps.unauthenticated,
  };
  rooms = new AppRooms(context, {
    origin: deps.origin,
    publish: deps.publish,
    saveRoomPassword: (roomId, password) => vault.writeSetting(roomPasswordKey(roomId), password),
    loadUnsettled: async () =>
      (await vault.readSetting(UNSETTLED_KEY, z.array(SealedLinkSchema))) ?? [],
    saveUnsettled: (links) =>
      vault.writeSetting(
        UNSETTLED_KEY,
        links.map((link) => ({ ...link })),
      ),
  });
  return rooms;
}
