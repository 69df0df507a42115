// Entry point of the page: offline support first (an update can then still fix a broken
// start), then the app services, then the UI.
import { createApp } from './app/create-app';
import { startPwa } from './pwa/start';
import './ui/app-root';
import { takeResetToken } from './ui/routes';
import { documentStyles } from './ui/theme';
import './ui/update-toast';

document.adoptedStyleSheets = [...document.adoptedStyleSheets, documentStyles.styleSheet!];

async function main(): Promise<void> {
  const resetToken = takeResetToken();
  startPwa();
  const host = document.getElementById('app');
  if (!host) return;
  // Outside <app-root>: "A new version is ready" must show even when the app cannot start.
  document.body.append(document.createElement('update-toast'));
  try {
    const app = await createApp();
    const root = document.createElement('app-root');
    root.app = app;
    root.resetToken = resetToken;
    host.replaceChildren(root);
  } catch (error) {
    showStartFailure(host, error);
  }
}

/** The app could not start (storage blocked, worker failed...): say so, offer a reload. */
function showStartFailure(host: HTMLElement, error: unknown): void {
  console.error('The app could not start:', error instanceof Error ? error.name : 'unknown');
  const message = document.createElement('p');
  message.setAttribute('role', 'alert');
  message.textContent =
    error instanceof Error && error.name === 'AppError'
      ? error.message
      : 'Secure Chat could not start. This browser may block storage for this site (private ' +
        'mode?). Allow site data for this site, then reload.';
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.textContent = 'Reload';
  reload.addEventListener('click', () => window.location.reload());
  host.replaceChildren(message, reload);
}

void main();
