// Rooms, messages and pins as the room engine would store them, with text distinctive
// enough that finding it in raw storage means it was stored in the clear.
import type { PinnedIdentity, StoredMessage, StoredRoom } from '../../../client/core/history-store';

export const SECRET_TEXT = 'meet at the old lighthouse at dawn';
export const ROOM_NAME = 'Harbour planning committee';
export const AUTHOR_NAME = 'marguerite-lindqvist';

export const ALICE = 'a11ce0000000000000000000000000000000000000000000000000000000000a';
export const BOB = 'b0b0000000000000000000000000000000000000000000000000000000000000';

export function room(overrides: Partial<StoredRoom> = {}): StoredRoom {
  return {
    roomId: 'room-1',
    name: ROOM_NAME,
    origin: 'https://chat.example',
    cipher: 'aes-256-gcm',
    keyAgreement: 'x25519',
    role: 'host',
    epoch: 0,
    secrets: [{ epoch: 0, record: new Uint8Array([1, 2, 3, 4]) }],
    removed: [],
    readLamport: 0,
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}

export function message(
  authorDevice: string,
  counter: number,
  lamport: number,
  overrides: Partial<StoredMessage> = {},
): StoredMessage {
  return {
    roomId: 'room-1',
    authorDevice,
    counter,
    lamport,
    epoch: 0,
    sentAt: 1_700_000_000_000 + lamport,
    envelope: {
      type: 'chat',
      author: AUTHOR_NAME,
      device: authorDevice,
      counter,
      lamport,
      text: `${SECRET_TEXT} #${counter}`,
      identityKey: new Uint8Array(32).fill(7),
    },
    signature: new Uint8Array(64).fill(counter % 256),
    state: 'delivered',
    receivedAt: 1_700_000_100_000,
    ...overrides,
  };
}

export function pin(overrides: Partial<PinnedIdentity> = {}): PinnedIdentity {
  return {
    username: AUTHOR_NAME,
    alg: 'ed25519',
    publicKey: new Uint8Array(32).fill(9),
    fingerprint: 'f'.repeat(64),
    verified: false,
    pinnedAt: 1_700_000_000_000,
    ...overrides,
  };
}

/** The ids of a page, for comparing order: "device-prefix:counter". */
export function ids(messages: readonly StoredMessage[]): string[] {
  return messages.map((m) => `${m.authorDevice.slice(0, 3)}:${m.counter}`);
}

export function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
