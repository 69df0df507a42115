// Writing in a room with no session (no network, server down, not admitted yet): the
// message is signed and stored as 'pending', exactly as a session would, and goes out
// with the outbox when a session syncs with a peer.
//
// NOTE: only one MessageLog may compose in a room at a time (counters must never repeat);
// RoomConnection guarantees it by running offline composes and session starts in one queue.
import { P2P_MAX_TEXT } from '../../signaling/protocol';
import type { CryptoPort } from '../core/crypto-port';
import type { HistoryStore } from '../core/history-store';
import type { IdentityPublic } from '../core/identity-info';
import { MessageLog } from '../core/message-log';
import { messageView, RoomActionError, type MessageView } from '../core/views';

export interface ComposeContext {
  store: HistoryStore;
  crypto: CryptoPort;
  identity: IdentityPublic;
  username: string;
  displayName: string;
}

/** The same checks RoomSession.send makes, so both paths refuse the same input. */
export function checkMessageText(text: string): void {
  if (text.trim().length === 0) throw new RoomActionError('There is nothing to send.');
  if (text.length > P2P_MAX_TEXT) {
    throw new RoomActionError(`A message has at most ${P2P_MAX_TEXT} characters; split it up.`);
  }
}

export async function composeOffline(
  context: ComposeContext,
  roomId: string,
  text: string,
): Promise<MessageView> {
  checkMessageText(text);
  const room = await context.store.getRoom(roomId);
  if (!room) throw new RoomActionError('This room is not on this device.');
  if (room.ended) throw new RoomActionError('You are no longer in this room.');
  const { identity } = context;
  const log = await MessageLog.open(context.store, context.crypto, roomId, {
    identity: identity.handle,
    alg: identity.alg,
    publicKey: identity.publicKey,
    fingerprint: identity.fingerprint,
    username: context.username,
    displayName: context.displayName,
  });
  const stored = await log.compose(text, room.epoch);
  return messageView(stored, identity.fingerprint);
}
