// The shell's addresses: '/', '/settings', '/r/ROOM_ID', and the mailed '/reset#token=...'.
// No DOM here beyond location/history at call time, so unit tests run it in Node.

/**
 * A mailed reset link (/reset#token=...): the token is read once, before anything else runs,
 * and leaves the address bar (and so the history) at once.
 */
export function takeResetToken(): string | null {
  if (location.pathname !== '/reset') return null;
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  history.replaceState(null, '', '/');
  return token;
}

export type Route = { name: 'home' } | { name: 'settings' } | { name: 'room'; roomId: string };

/** '/', '/settings', '/r/ID'; anything else is home. */
export function routeOf(path: string): Route {
  if (path === '/settings') return { name: 'settings' };
  const room = /^\/r\/([^/]+)\/?$/.exec(path);
  if (room?.[1]) {
    try {
      return { name: 'room', roomId: decodeURIComponent(room[1]) };
    } catch {
      return { name: 'home' };
    }
  }
  return { name: 'home' };
}
