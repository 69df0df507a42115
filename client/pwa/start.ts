// Registers the service worker (sw/sw.ts, built to /sw.js) with workbox-window. The
// build adds no registration script of its own: the CSP forbids inline scripts, so the page
// does it here. Call startPwa() once, first thing in main.ts; it never throws.
import { listenForInstallPrompt } from './install';
import { announceUpdate } from './update';

/** Long-lived tabs look for a new version now and then (browsers check on navigation). */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

let started = false;

export function startPwa(): void {
  if (started) return;
  started = true;
  listenForInstallPrompt();
  if (!('serviceWorker' in navigator)) return;
  register().catch((error: unknown) => {
    // The app still works online without it; only offline start and updates are lost.
    console.warn('Offline support is unavailable:', (error as Error).message);
  });
}

async function register(): Promise<void> {
  // Loaded on the side: it is not needed to show the first screen.
  const { Workbox } = await import('workbox-window');
  const workbox = new Workbox('/sw.js', { scope: '/' });
  workbox.addEventListener('waiting', () => {
    announceUpdate(() => {
      // Reload once the new version controls the page, so every file comes from it.
      workbox.addEventListener('controlling', () => window.location.reload());
      workbox.messageSkipWaiting();
    });
  });
  const registration = await workbox.register();
  if (!registration) return;
  setInterval(() => {
    registration.update().catch(() => undefined); // offline: try again later
  }, UPDATE_CHECK_INTERVAL_MS);
}
