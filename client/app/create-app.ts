// The app in a browser page: the room link is taken from the address bar first (and the
// bar cleaned), then the crypto worker, the device vault and the server API are wired to
// AppService, with the window's network and activity events.
import { ServerApi } from '../core/server-api';
import { startCryptoWorker } from '../crypto/worker-client';
import { alertIncoming } from '../pwa/alerts';
import { roomIdFromPath, takeRoomLinkFromAddressBar } from './address-bar-link';
import { toAppError } from './app-errors';
import { AppService } from './app-service';
import type { App } from './app-types';
import { DeviceVault } from './device/vault';
import { openLink } from './join-flow';
import { deviceChunkStore } from '../storage/device-chunk-store';

/** How often rooms that lost (or never got) their session try again. */
const RECONNECT_MS = 10_000;

/** Activity that postpones the auto-lock. */
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

// Taken while the module graph loads, before main.ts runs anything (service worker
// registration included): the secret leaves the address bar, and so the history entry,
// at the earliest moment. createApp() hands it to the worker and drops it.
const startRoomId = roomIdFromPath(location.pathname);
let startLinkText = takeRoomLinkFromAddressBar(window);

export async function createApp(): Promise<App> {
  const linkText = startLinkText;
  startLinkText = null;
  const worker = startCryptoWorker();
  const crypto = worker.api;
  // The worker keeps the secret; the page holds a handle (the string is not kept).
  const startLink = linkText ? await openLink(crypto, linkText).catch(toAppError) : null;
  const app = new AppService({
    crypto,
    openVault: () => DeviceVault.open(crypto),
    server: new ServerApi({ baseUrl: location.origin }),
    origin: location.origin,
    startLink,
    startRoomId,
    online: () => navigator.onLine,
    alert: (incoming, settings) => void alertIncoming(incoming, settings).catch(() => undefined),
    files: {
      removePlainCopies: () => deviceChunkStore().removePlainCopies(),
      deleteAll: () => deviceChunkStore().deleteAll(),
    },
  });
  await app.start();
  window.addEventListener('online', () => void app.networkChanged(true));
  window.addEventListener('offline', () => void app.networkChanged(false));
  setInterval(() => app.reconnect(), RECONNECT_MS);
  for (const type of ACTIVITY_EVENTS) {
    document.addEventListener(type, () => app.touch(), { passive: true, capture: true });
  }
  return app;
}
