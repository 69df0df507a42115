// Room links: https://HOST/r/ROOM_ID#k=SECRET (DESIGN.md section 3). SECRET is 32 random
// bytes in base64url and lives only in the fragment, which browsers never send to a
// server. Parsing is strict: a link either yields a 32-byte secret or says what is wrong.
import { RoomId } from '../../signaling/protocol';
import { fromBase64Url, randomBytes, toBase64Url } from './primitives/bytes';
import { CryptoInputError } from './primitives/errors';
import { failure, success, type Failure, type Success } from './result';

export const ROOM_SECRET_LENGTH = 32;

export interface RoomLink {
  /** scheme://host[:port] the room lives on. */
  readonly origin: string;
  readonly roomId: string;
  readonly secret: Uint8Array;
}

/** What exactly is wrong with a link, for code; `message` is the sentence for people. */
export type RoomLinkProblem =
  | 'not-a-link'
  | 'insecure-scheme'
  | 'not-a-room-path'
  | 'bad-room-id'
  | 'missing-secret'
  | 'bad-secret';

export interface RoomLinkFailure extends Failure {
  readonly problem: RoomLinkProblem;
}

export const INCOMPLETE_LINK_MESSAGE = 'this link is incomplete: the part after # is missing';

function linkFailure(problem: RoomLinkProblem, message: string): RoomLinkFailure {
  return { ...failure('malformed', message), problem };
}

export function createRoomSecret(): Uint8Array {
  return randomBytes(ROOM_SECRET_LENGTH);
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/** Builds the link to share. Throws CryptoInputError for an invalid room id or secret. */
export function formatRoomLink(origin: string, roomId: string, secret: Uint8Array): string {
  if (!RoomId.safeParse(roomId).success) {
    throw new CryptoInputError('malformed', 'A room id is 22 base64url characters.');
  }
  if (secret.length !== ROOM_SECRET_LENGTH) {
    throw new CryptoInputError('bad-length', 'A room secret is 32 bytes.');
  }
  let base: URL;
  try {
    base = new URL(origin);
  } catch {
    throw new CryptoInputError('malformed', 'The server address for this link is not a URL.');
  }
  return `${base.origin}/r/${roomId}#k=${toBase64Url(secret)}`;
}

/**
 * Parses a pasted or opened room link. https is required except on loopback hosts
 * (development and tests). Trailing whitespace from copy and paste is tolerated.
 */
export function parseRoomLink(text: string): Success<RoomLink> | RoomLinkFailure {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return linkFailure('not-a-link', 'This is not a link. Paste the whole room link.');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    return linkFailure('insecure-scheme', 'Room links must start with https://.');
  }
  const match = /^\/r\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) {
    return linkFailure(
      'not-a-room-path',
      'This is not a room link: it should contain /r/ and a room id.',
    );
  }
  const roomId = match[1]!;
  if (!RoomId.safeParse(roomId).success) {
    return linkFailure(
      'bad-room-id',
      'The room id in this link is damaged. Ask for the link again.',
    );
  }
  // URL.hash is '' both for no '#' and for a bare '#': either way the secret is missing.
  if (url.hash === '' || url.hash === '#') {
    return linkFailure('missing-secret', INCOMPLETE_LINK_MESSAGE);
  }
  const fragment = new URLSearchParams(url.hash.slice(1));
  const encoded = fragment.get('k');
  if (encoded === null || encoded === '') {
    return linkFailure('missing-secret', INCOMPLETE_LINK_MESSAGE);
  }
  const secret = fromBase64Url(encoded);
  if (!secret.ok || secret.value.length !== ROOM_SECRET_LENGTH) {
    return linkFailure(
      'bad-secret',
      'The key in this link is damaged or cut short. Copy the whole link again.',
    );
  }
  return success({ origin: url.origin, roomId, secret: secret.value });
}
