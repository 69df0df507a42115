// "A new version is ready": start.ts announces a waiting service worker here, and
// <update-toast> shows the prompt. The new version activates only when the person
// presses "Reload" (the service worker never skips waiting on its own).

type UpdateListener = (ready: boolean) => void;

let activateWaiting: (() => void) | null = null;
const listeners = new Set<UpdateListener>();

/** Called by start.ts when a new service worker is installed and waiting. */
export function announceUpdate(activate: () => void): void {
  activateWaiting = activate;
  for (const listener of listeners) listener(true);
}

/** Tells the listener now and on every change whether an update waits; returns unsubscribe. */
export function onUpdateReady(listener: UpdateListener): () => void {
  listeners.add(listener);
  listener(activateWaiting !== null);
  return () => listeners.delete(listener);
}

/** The person's consent: activate the waiting version; the page reloads once it controls. */
export function applyUpdate(): void {
  const activate = activateWaiting;
  if (!activate) return;
  activate();
}
