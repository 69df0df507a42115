// A room link opened in the browser (/r/ROOM_ID#k=SECRET) is read from the address bar
// exactly once, at start, and the fragment is removed at once with history.replaceState,
// so the secret lands neither in the browser's history nor in a screenshot of the bar.

/** The two browser objects this needs (tests pass plain objects). */
export interface AddressBar {
  readonly location: Pick<Location, 'origin' | 'pathname' | 'search' | 'hash'>;
  readonly history: Pick<History, 'replaceState' | 'state'>;
}

const ROOM_PATH = /^\/r\/([^/]+)\/?$/;

/** The room id of a /r/ID path, or null for any other page. */
export function roomIdFromPath(pathname: string): string | null {
  const match = ROOM_PATH.exec(pathname);
  return match ? decodeURIComponent(match[1]!) : null;
}

/**
 * The full link when the page was opened as /r/ID#..., else null. Leaves /r/ID (no
 * fragment) in the address bar; the caller hands the string to the crypto worker and
 * drops it.
 */
export function takeRoomLinkFromAddressBar(bar: AddressBar): string | null {
  const { origin, pathname, search, hash } = bar.location;
  if (roomIdFromPath(pathname) === null || hash.length <= 1) return null;
  const link = `${origin}${pathname}${hash}`;
  bar.history.replaceState(bar.history.state, '', `${pathname}${search}`);
  return link;
}
