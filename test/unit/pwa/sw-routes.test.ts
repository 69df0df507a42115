// The service worker's decisions: which navigations get the cached app shell (so the app
// opens offline at /r/ROOM and /settings) and which must reach the server.
import { describe, expect, it } from 'vitest';
import { isAppNavigation, isSkipWaitingMessage, notificationTarget } from '../../../sw/routes';

describe('navigation fallback', () => {
  it('serves the app shell for the app screens', () => {
    for (const path of ['/', '/r/AbC-12_x', '/settings', '/r/AbC?x=1']) {
      expect(isAppNavigation(path), path).toBe(true);
    }
  });

  it('never answers the server paths with the app shell', () => {
    for (const path of [
      '/api',
      '/api/me',
      '/api/rooms/abc?x=1',
      '/signal',
      '/signal?ticket=t',
      '/healthz',
    ]) {
      expect(isAppNavigation(path), path).toBe(false);
    }
  });

  it('leaves files alone (a missing file is a 404, not the app)', () => {
    for (const path of ['/sw.js', '/icons/icon-192.png', '/manifest.webmanifest', '/robots.txt']) {
      expect(isAppNavigation(path), path).toBe(false);
    }
  });

  it('does not mistake app paths that merely start like server paths', () => {
    expect(isAppNavigation('/apiary')).toBe(true);
    expect(isAppNavigation('/signals')).toBe(true);
  });
});

describe('update consent', () => {
  it('activates the waiting version only on the page message workbox-window sends', () => {
    expect(isSkipWaitingMessage({ type: 'SKIP_WAITING' })).toBe(true);
    for (const other of [null, 'SKIP_WAITING', {}, { type: 'skip' }, { kind: 'SKIP_WAITING' }]) {
      expect(isSkipWaitingMessage(other)).toBe(false);
    }
  });
});

describe('notification click', () => {
  it('opens the room the notification was about', () => {
    expect(notificationTarget({ url: '/r/room_42-x' })).toBe('/r/room_42-x');
  });

  it('opens nothing but the app for anything else', () => {
    for (const data of [
      null,
      undefined,
      { url: 'https://evil.example/r/x' },
      { url: '//evil.example/r/x' },
      { url: '/r/../api/me' },
      { url: '/settings' },
      { url: 42 },
    ]) {
      expect(notificationTarget(data)).toBe('/');
    }
  });
});
