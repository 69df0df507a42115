// The room link in the address bar: read once, and the secret gone from the bar at once.
import { describe, expect, it } from 'vitest';
import {
  roomIdFromPath,
  takeRoomLinkFromAddressBar,
  type AddressBar,
} from '../../../client/app/address-bar-link';

const ROOM_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const SECRET = 'k=' + 'B'.repeat(43);

function addressBar(url: string) {
  const parsed = new URL(url);
  const replaced: string[] = [];
  const location = {
    origin: parsed.origin,
    pathname: parsed.pathname,
    search: parsed.search,
    hash: parsed.hash,
  };
  const bar: AddressBar = {
    location,
    history: {
      state: { from: 'router' },
      replaceState(_state: unknown, _unused: string, next?: string | URL | null) {
        replaced.push(String(next));
        const moved = new URL(String(next), parsed.origin);
        location.pathname = moved.pathname;
        location.search = moved.search;
        location.hash = moved.hash;
      },
    },
  };
  return { bar, replaced, location };
}

describe('taking a room link from the address bar', () => {
  it('returns the whole link and leaves /r/ID without the secret in the bar', () => {
    const { bar, replaced, location } = addressBar(`https://chat.example/r/${ROOM_ID}#${SECRET}`);
    expect(takeRoomLinkFromAddressBar(bar)).toBe(`https://chat.example/r/${ROOM_ID}#${SECRET}`);
    expect(replaced).toEqual([`/r/${ROOM_ID}`]);
    expect(location.hash).toBe('');
    // Read once: a second look finds nothing to take.
    expect(takeRoomLinkFromAddressBar(bar)).toBeNull();
  });

  it('keeps the query string but never the fragment', () => {
    const { bar, replaced } = addressBar(`https://chat.example/r/${ROOM_ID}?from=qr#${SECRET}`);
    expect(takeRoomLinkFromAddressBar(bar)).toContain(SECRET);
    expect(replaced).toEqual([`/r/${ROOM_ID}?from=qr`]);
  });

  it('leaves other pages and a room path with no fragment alone', () => {
    for (const url of [
      'https://chat.example/',
      'https://chat.example/settings#k=abc',
      `https://chat.example/r/${ROOM_ID}`,
      `https://chat.example/r/${ROOM_ID}#`,
    ]) {
      const { bar, replaced } = addressBar(url);
      expect(takeRoomLinkFromAddressBar(bar)).toBeNull();
      expect(replaced).toEqual([]);
    }
  });

  it('names the room of a /r/ID path', () => {
    expect(roomIdFromPath(`/r/${ROOM_ID}`)).toBe(ROOM_ID);
    expect(roomIdFromPath(`/r/${ROOM_ID}/`)).toBe(ROOM_ID);
    expect(roomIdFromPath('/settings')).toBeNull();
    expect(roomIdFromPath(`/r/${ROOM_ID}/more`)).toBeNull();
  });
});
