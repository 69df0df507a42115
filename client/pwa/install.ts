// Installing the app: Chromium fires `beforeinstallprompt` when the app is installable; we
// keep the event and show an "Install" button (<install-button>) that replays it. Safari on
// iOS has no such event, so there we show a one-line hint instead.

/** Chromium's event (not in TypeScript's DOM types). */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export interface InstallState {
  /** The browser offered installation: show the "Install" button. */
  canInstall: boolean;
  /** iOS Safari, not yet installed: show "Share, then Add to Home Screen". */
  showIosHint: boolean;
}

type InstallListener = (state: InstallState) => void;

let deferredPrompt: BeforeInstallPromptEvent | null = null;
let state: InstallState = { canInstall: false, showIosHint: false };
const listeners = new Set<InstallListener>();

function setState(next: InstallState): void {
  state = next;
  for (const listener of listeners) listener(state);
}

/**
 * iPhone/iPad Safari (iPadOS reports itself as a Mac with touch). Other iOS browsers (CriOS,
 * FxiOS, EdgiOS) can't add to the home screen in the same way, so they get no hint.
 */
export function isIosSafari(userAgent: string, maxTouchPoints: number): boolean {
  const appleMobile =
    /iPhone|iPad|iPod/.test(userAgent) || (/Macintosh/.test(userAgent) && maxTouchPoints > 1);
  const safari = /Safari\//.test(userAgent) && !/CriOS|FxiOS|EdgiOS|OPiOS/.test(userAgent);
  return appleMobile && safari;
}

function runsInstalled(): boolean {
  const standalone = (navigator as Navigator & { standalone?: boolean }).standalone === true;
  return standalone || window.matchMedia('(display-mode: standalone)').matches;
}

/** Starts listening; called once by startPwa() before anything else can miss the event. */
export function listenForInstallPrompt(): void {
  window.addEventListener('beforeinstallprompt', (event) => {
    // Keep the browser's own mini-infobar away: the app's button asks at a better moment.
    event.preventDefault();
    deferredPrompt = event as BeforeInstallPromptEvent;
    setState({ canInstall: true, showIosHint: false });
  });
  window.addEventListener('appinstalled', () => {
    deferredPrompt = null;
    setState({ canInstall: false, showIosHint: false });
  });
  if (!runsInstalled() && isIosSafari(navigator.userAgent, navigator.maxTouchPoints)) {
    setState({ canInstall: false, showIosHint: true });
  }
}

/** Tells the listener the state now and on every change; returns unsubscribe. */
export function onInstallState(listener: InstallListener): () => void {
  listeners.add(listener);
  listener(state);
  return () => listeners.delete(listener);
}

/** Shows the browser's install dialog (needs a click: call from the button's handler). */
export async function promptInstall(): Promise<'accepted' | 'dismissed' | 'unavailable'> {
  const prompt = deferredPrompt;
  if (!prompt) return 'unavailable';
  // A deferred prompt can be used only once.
  deferredPrompt = null;
  setState({ ...state, canInstall: false });
  await prompt.prompt();
  const { outcome } = await prompt.userChoice;
  return outcome;
}
