// The service worker (DESIGN.md section 10): precaches the app shell so the app starts with
// no network, answers navigations to app screens (/r/ROOM, /settings) with index.html, and
// leaves everything else alone. Nothing from /api is ever cached: no runtime caching route
// exists, so those requests go straight to the network.
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import type { PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import {
  NAVIGATION_DENYLIST,
  SHARE_TARGET_PATH,
  isSkipWaitingMessage,
  notificationTarget,
} from './routes';
import { handleShare } from './share-target';

declare const self: ServiceWorkerGlobalScope & {
  /** Replaced at build time by vite-plugin-pwa with the list of built files and revisions. */
  __WB_MANIFEST: (PrecacheEntry | string)[];
};

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [...NAVIGATION_DENYLIST],
  }),
);

// The share target (manifest) posts here: shared files wait in a cache until the person
// sends them from a room ("Files shared with this app"), then the app opens.
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && url.pathname === SHARE_TARGET_PATH,
  ({ request }) => handleShare(request),
  'POST',
);

// NOTE: no skipWaiting() on install. A new version waits until the person presses "Reload"
// (client/pwa/update.ts), so a page never runs against files from two versions.
self.addEventListener('message', (event) => {
  if (isSkipWaitingMessage(event.data)) void self.skipWaiting();
});

// The first install takes control of the open page at once, so it works offline without a
// reload. For updates this runs only after the person agreed (skipWaiting above).
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openRoom(notificationTarget(event.notification.data)));
});

/** Focuses an open window of the app on the room, or opens one. */
async function openRoom(path: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window' });
  const open = windows[0];
  if (open) {
    await open.focus();
    // The page routes by path (history API); navigate() reloads it at the room.
    if (new URL(open.url).pathname === path) return;
    try {
      await open.navigate(path);
      return;
    } catch {
      // A window this worker does not control can't be navigated: open a new one.
    }
  }
  await self.clients.openWindow(path);
}
