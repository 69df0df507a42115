// Small things every element of the shell shares: moving to another screen and turning a
// failure into words a person can act on.
import { AppError } from '../app/app-types';

/** Paths the shell knows: '/', '/settings', '/r/ROOM_ID'. */
export type NavigateEvent = CustomEvent<string>;

declare global {
  interface HTMLElementEventMap {
    navigate: NavigateEvent;
  }
  interface WindowEventMap {
    navigate: NavigateEvent;
  }
}

/**
 * Asks <app-root> to show another screen (bubbles out of shadow roots up to window). From
 * an element no longer on the page (its screen went away while it worked), it goes to
 * window directly.
 */
export function navigate(from: HTMLElement, path: string): void {
  const event = new CustomEvent('navigate', { detail: path, bubbles: true, composed: true });
  (from.isConnected ? from : window).dispatchEvent(event);
}

/**
 * A success worth telling after the screen changes (e.g. "Password changed" as the app signs
 * out): <app-root> shows it in the banner. Sent on window, so it arrives even when the
 * element that sent it has just left the page.
 */
export function announce(message: string): void {
  window.dispatchEvent(new CustomEvent('app-notice', { detail: message }));
}

/** A plain left click on a link becomes a `navigate` event; other clicks (new tab) stay. */
export function onLinkClick(event: MouseEvent, path: string): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  event.preventDefault();
  navigate(event.currentTarget as HTMLElement, path);
}

/**
 * The message to show for a failed action. AppError messages are written for people;
 * anything else is a bug or a dropped connection, so say what to try without details.
 */
export function describeError(error: unknown): string {
  if (error instanceof AppError) return error.message;
  // Errors that crossed a boundary (Comlink) keep name and message but not their class.
  if (error instanceof Error && error.name === 'AppError') return error.message;
  if (error instanceof Error) console.error(`Unexpected ${error.name} in the UI`);
  return 'Something went wrong. Check your connection and try again, or reload the page.';
}

/** The AppError code of a failure, if it has one. */
export function errorCode(error: unknown): AppError['code'] | undefined {
  if (error instanceof AppError) return error.code;
  if (error instanceof Error && error.name === 'AppError' && 'code' in error) {
    return (error as AppError).code;
  }
  return undefined;
}
