import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { App, AppSnapshot } from '../app/app-types';
import './app-header';
import './auth-panel';
import './home-page';
import './lock-screen';
import './pending-join';
import './settings-page';
import './status-banner';
import { routeOf } from './routes';
import type { NavigateEvent } from './shell-events';
import { theme } from './theme';

// NOTE: the room screen (H3's <room-page .app .roomId>, with its QR code library) loads on
// first use: the home screen starts with less JavaScript. The service worker precaches it.
let roomPageLoaded: Promise<unknown> | null = null;
function loadRoomPage(): Promise<unknown> {
  roomPageLoaded ??= import('./room-page').catch((error: unknown) => {
    roomPageLoaded = null;
    throw error;
  });
  return roomPageLoaded;
}

/**
 * The whole page: one screen per phase of the app (starting, locked, signed out, ready),
 * and once ready, one per path, with the history API (back/forward work). Children ask
 * for another screen with a `navigate` event.
 */
@customElement('app-root')
export class AppRoot extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        min-height: 100vh;
      }
      main:focus {
        outline: none;
      }
      .starting {
        text-align: center;
        margin-top: 20vh;
        color: var(--text-dim);
      }
    `,
  ];

  @property({ attribute: false }) app!: App;

  @state() private _snapshot: AppSnapshot | null = null;
  @state() private _path = location.pathname;
  /** A failure of a shell action (log out, lock...), until dismissed. */
  @state() private _error = '';
  /** News after a screen change ("Password changed..."), until dismissed or navigating. */
  @state() private _notice = '';
  /** From a mailed reset link: see takeResetToken(). */
  @property({ attribute: false }) resetToken: string | null = null;
  private _unsubscribe: (() => void) | undefined;
  /** The tab's title for the screen being rendered (set after each render). */
  private _title = 'Secure Chat';

  constructor() {
    super();
    this.addEventListener('app-error', (event) => {
      this._error = (event as CustomEvent<string>).detail;
    });
    this.addEventListener('reset-token-used', () => {
      this.resetToken = null;
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this._onPopState);
    window.addEventListener('app-notice', this._onNotice);
    // On window, not on this element: a screen that just left the page (signed out under
    // it) still reaches us (see navigate()); events from inside bubble up to it too.
    window.addEventListener('navigate', this._onNavigate);
    this._snapshot = this.app.snapshot();
    this._unsubscribe = this.app.subscribe((snapshot) => {
      this._snapshot = snapshot;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this._onPopState);
    window.removeEventListener('app-notice', this._onNotice);
    window.removeEventListener('navigate', this._onNavigate);
    this._unsubscribe?.();
  }

  private readonly _onPopState = (): void => {
    this._path = location.pathname;
    this._error = '';
    this._notice = '';
  };

  private readonly _onNavigate = (event: NavigateEvent): void => this._go(event.detail);

  private readonly _onNotice = (event: Event): void => {
    this._notice = (event as CustomEvent<string>).detail;
  };

  private _dismiss(): void {
    this._error = '';
    this._notice = '';
  }

  private _go(path: string): void {
    if (path !== location.pathname) history.pushState(null, '', path);
    this._path = path;
    this._error = '';
    this._notice = '';
    // Move focus to the new screen so keyboard and screen reader users start there.
    void this.updateComplete.then(() => {
      this.renderRoot.querySelector<HTMLElement>('main')?.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    });
  }

  override updated(): void {
    document.title = this._title;
  }

  override render() {
    const snapshot = this._snapshot;
    if (!snapshot || snapshot.phase === 'starting') {
      return html`<p class="starting" role="status">Opening Secure Chat…</p>`;
    }
    if (snapshot.phase === 'locked') {
      this._title = 'Locked · Secure Chat';
      return html`<lock-screen .app=${this.app}></lock-screen>`;
    }
    if (snapshot.phase === 'signed-out') {
      this._title = 'Log in · Secure Chat';
      return html`<status-banner
          .online=${snapshot.online}
          .notice=${this._notice}
          @dismiss=${this._dismiss}
        ></status-banner>
        <auth-panel
          .app=${this.app}
          .resetToken=${this.resetToken}
          ?joining=${snapshot.pendingJoin !== null && !snapshot.pendingJoin.error}
        ></auth-panel>`;
    }
    return html`
      <app-header .app=${this.app} .snapshot=${snapshot} .path=${this._path}></app-header>
      <status-banner
        .online=${snapshot.online}
        .message=${this._error}
        .notice=${this._notice}
        @dismiss=${this._dismiss}
      ></status-banner>
      <main tabindex="-1">${this._renderRoute(snapshot)}</main>
    `;
  }

  private _renderRoute(snapshot: AppSnapshot) {
    const route = routeOf(this._path);
    if (route.name === 'settings') {
      this._title = 'Settings · Secure Chat';
      return html`<settings-page .app=${this.app} .snapshot=${snapshot}></settings-page>`;
    }
    if (route.name === 'room') {
      const pending = snapshot.pendingJoin;
      if (pending && pending.roomId === route.roomId) {
        this._title = 'Joining room · Secure Chat';
        return html`<pending-join .app=${this.app} .pending=${pending}></pending-join>`;
      }
      loadRoomPage().catch(() => {
        this._error = 'The room screen could not be loaded. Check your connection, then reload.';
      });
      const room = snapshot.rooms.find((candidate) => candidate.roomId === route.roomId);
      this._title = `${room?.name ?? 'Room'} · Secure Chat`;
      return html`<room-page .app=${this.app} .roomId=${route.roomId}></room-page>`;
    }
    this._title = 'Secure Chat';
    return html`<home-page .app=${this.app} .snapshot=${snapshot}></home-page>${nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'app-root': AppRoot;
  }
}
