import { describe, expect, it } from 'vitest';
import { RoomId } from '../../../signaling/protocol';
import { toBase64Url } from '../../../client/crypto/primitives/bytes';
import { CryptoInputError } from '../../../client/crypto/primitives/errors';
import {
  INCOMPLETE_LINK_MESSAGE,
  createRoomSecret,
  formatRoomLink,
  parseRoomLink,
  type RoomLinkProblem,
} from '../../../client/crypto/room-link';

const roomId = 'AbCdEfGhIjKlMnOpQrSt_-';
const secret = createRoomSecret();
const k = toBase64Url(secret);

function problemOf(link: string): RoomLinkProblem | 'parsed' {
  const result = parseRoomLink(link);
  return result.ok ? 'parsed' : result.problem;
}

describe('room links', () => {
  it('parses back exactly what was formatted', () => {
    expect(RoomId.safeParse(roomId).success).toBe(true);
    const link = formatRoomLink('https://chat.example:8443/some/path', roomId, secret);
    expect(link).toBe(`https://chat.example:8443/r/${roomId}#k=${k}`);
    const parsed = parseRoomLink(link);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.origin).toBe('https://chat.example:8443');
      expect(parsed.value.roomId).toBe(roomId);
      expect(toBase64Url(parsed.value.secret)).toBe(k);
    }
  });

  it('makes a fresh 32-byte secret each time', () => {
    const a = createRoomSecret();
    expect(a.length).toBe(32);
    expect(toBase64Url(a)).not.toBe(toBase64Url(createRoomSecret()));
  });

  it('says the link is incomplete when the part after # is missing', () => {
    for (const link of [
      `https://chat.example/r/${roomId}`,
      `https://chat.example/r/${roomId}#`,
      `https://chat.example/r/${roomId}#k=`,
      `https://chat.example/r/${roomId}#x=1`,
    ]) {
      const result = parseRoomLink(link);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.message).toBe('this link is incomplete: the part after # is missing');
        expect(result.message).toBe(INCOMPLETE_LINK_MESSAGE);
        expect(result.problem).toBe('missing-secret');
        expect(result.reason).toBe('malformed');
      }
    }
  });

  it('names what is wrong with other malformed links', () => {
    expect(problemOf('not a link at all')).toBe('not-a-link');
    expect(problemOf(`http://chat.example/r/${roomId}#k=${k}`)).toBe('insecure-scheme');
    expect(problemOf(`ftp://chat.example/r/${roomId}#k=${k}`)).toBe('insecure-scheme');
    expect(problemOf(`https://chat.example/room/${roomId}#k=${k}`)).toBe('not-a-room-path');
    expect(problemOf(`https://chat.example/r/${roomId}/extra#k=${k}`)).toBe('not-a-room-path');
    expect(problemOf(`https://chat.example/r/short#k=${k}`)).toBe('bad-room-id');
    expect(problemOf(`https://chat.example/r/${roomId}#k=${k.slice(0, 20)}`)).toBe('bad-secret');
    expect(problemOf(`https://chat.example/r/${roomId}#k=${k}AA`)).toBe('bad-secret');
    expect(problemOf(`https://chat.example/r/${roomId}#k=${k.slice(0, 42)}+`)).toBe('bad-secret');
  });

  it('accepts copy-paste whitespace and plain http on loopback (development)', () => {
    expect(problemOf(`  https://chat.example/r/${roomId}#k=${k}\n`)).toBe('parsed');
    expect(problemOf(`http://127.0.0.1:3000/r/${roomId}#k=${k}`)).toBe('parsed');
    expect(problemOf(`http://localhost:3000/r/${roomId}#k=${k}`)).toBe('parsed');
  });

  it('refuses to format a link from a bad origin, room id or secret', () => {
    expect(() => formatRoomLink('https://chat.example', 'bad id', secret)).toThrow(
      CryptoInputError,
    );
    expect(() => formatRoomLink('https://chat.example', roomId, secret.subarray(1))).toThrow(
      CryptoInputError,
    );
    expect(() => formatRoomLink('chat.example', roomId, secret)).toThrow(CryptoInputError);
  });
});
