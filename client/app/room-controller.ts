// What a room screen holds: a view of one RoomConnection. Its listeners go away on
// release(); the connection (and the session under it) stays, so messages keep arriving.
import type { RoomController, RoomControllerEvents } from './app-types';
import { asAppError } from './app-errors';
import type { DeclinedFiles } from './declined-files';
import type { RoomConnection } from './room-connection';
import { roomFileActions } from './room-file-actions';

export interface DraftStore {
  loadDraft(roomId: string): Promise<string>;
  saveDraft(roomId: string, text: string): Promise<void>;
}

export function createRoomController(
  connection: RoomConnection,
  drafts: DraftStore,
  declined: DeclinedFiles,
  touch: () => void,
): RoomController {
  const listeners: (() => void)[] = [];
  const { roomId } = connection;
  return {
    roomId,
    get name() {
      return connection.name;
    },
    get isHost() {
      return connection.isHost;
    },
    status: () => connection.status(),
    members: () => connection.members(),
    count: () => asAppError(() => connection.count()),
    page: (options) => asAppError(() => connection.page(options)),
    send: (text) => {
      touch();
      return asAppError(async () => {
        const view = await connection.send(text);
        // The author has obviously seen the room up to here.
        await connection.markRead();
        return view;
      });
    },
    setTyping: (typing) => connection.setTyping(typing),
    markRead: () => void connection.markRead().catch(() => undefined),
    inviteLink: () => asAppError(() => connection.inviteLink()),
    verification: (peerId) => asAppError(() => connection.live().verification(peerId)),
    markVerified: (peerId) => asAppError(() => connection.live().markVerified(peerId)),
    kick: (username) => asAppError(() => connection.live().kick(username)),
    ban: (username) => asAppError(() => connection.live().ban(username)),
    close: () => asAppError(() => connection.live().close()),
    rename: (name) => asAppError(() => connection.rename(name)),
    loadDraft: () => asAppError(() => drafts.loadDraft(roomId)),
    saveDraft: (text) => asAppError(() => drafts.saveDraft(roomId, text)),
    files: roomFileActions(connection, declined, touch),
    on<K extends keyof RoomControllerEvents>(
      type: K,
      listener: (event: RoomControllerEvents[K]) => void,
    ) {
      const off = connection.on(type, listener);
      listeners.push(off);
      return off;
    },
    release: () => {
      for (const off of listeners.splice(0)) off();
    },
  };
}
