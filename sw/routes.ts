// Which requests the service worker answers, as pure functions (unit-tested in Node).

/** The manifest's share_target action (vite.config.ts): other apps post shared files here. */
export const SHARE_TARGET_PATH = '/share';

/**
 * Paths the server answers itself. A navigation there goes to the network, never to the
 * cached app shell: /api is data (never cached), /signal the WebSocket, /healthz a probe.
 */
export const SERVER_PATHS: readonly RegExp[] = [
  /^\/api(?:[/?]|$)/,
  /^\/signal(?:[/?]|$)/,
  /^\/healthz(?:[/?]|$)/,
];

/** A path ending in a file name (/sw.js, /icons/x.png): a file, not a screen of the app. */
const FILE_PATH = /\/[^/?]+\.[^/?]+(?:\?.*)?$/;

/** Workbox's NavigationRoute tests its denylist against pathname + search. */
export const NAVIGATION_DENYLIST: readonly RegExp[] = [...SERVER_PATHS, FILE_PATH];

/** True when a navigation to this path should get the app shell (index.html). */
export function isAppNavigation(pathAndSearch: string): boolean {
  return !NAVIGATION_DENYLIST.some((pattern) => pattern.test(pathAndSearch));
}

/** The page's consent to activate a waiting update (workbox-window's messageSkipWaiting). */
export function isSkipWaitingMessage(data: unknown): boolean {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { type?: unknown }).type === 'SKIP_WAITING'
  );
}

/**
 * Where a click on a message notification leads: the room's page, only ever a same-origin
 * /r/ROOM path (the notification's data comes from our page, but we don't open anything else).
 */
export function notificationTarget(data: unknown): string {
  const url = (data as { url?: unknown } | null)?.url;
  return typeof url === 'string' && /^\/r\/[A-Za-z0-9_-]{1,128}$/.test(url) ? url : '/';
}
