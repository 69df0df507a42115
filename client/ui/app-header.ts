import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { App, AppSnapshot } from '../app/app-types';
import './install-button';
import { describeError, navigate, onLinkClick } from './shell-events';
import { theme } from './theme';

/**
 * The bar on every signed-in screen: "Home", "Settings", the PWA's "Install", "Lock" (only
 * when a passphrase protects the device) and "Log out".
 * @fires navigate - '/' or '/settings'
 * @fires app-error - detail: a message for <status-banner> when an action here fails
 */
@customElement('app-header')
export class AppHeader extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        position: sticky;
        top: 0;
        z-index: 10;
        background: rgba(11, 16, 32, 0.72);
        backdrop-filter: blur(14px);
        -webkit-backdrop-filter: blur(14px);
        border-bottom: 1px solid var(--glass-border);
      }
      header {
        max-width: 1100px;
        margin: 0 auto;
        padding: 8px 12px;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
      }
      .brand {
        font-weight: 700;
        font-size: 1.05rem;
        color: var(--text);
        text-decoration: none;
        margin-right: auto;
        display: flex;
        align-items: center;
        gap: 8px;
        min-height: 44px;
      }
      .brand img {
        border-radius: 8px;
      }
      .dot {
        width: 10px;
        height: 10px;
        border-radius: 50%;
        background: var(--ok);
      }
      .dot.offline {
        background: var(--warn);
      }
      nav {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        align-items: center;
      }
      nav a[aria-current='page'] {
        border-color: var(--accent);
      }
      .who {
        color: var(--text-dim);
        font-size: 0.9rem;
      }
      /* NOTE: on phones the bar stays one row (the room screen needs the height). */
      @media (max-width: 520px) {
        header {
          gap: 4px;
          padding: 6px 8px;
        }
        /* The offline banner says it in words; the dot would cost a row here. */
        .who,
        .brand-name,
        .dot {
          display: none;
        }
        nav {
          gap: 4px;
        }
        button,
        .button {
          padding: 6px 8px;
          font-size: 0.875rem;
          min-height: 40px;
        }
      }
    `,
  ];

  @property({ attribute: false }) app!: App;
  @property({ attribute: false }) snapshot!: AppSnapshot;
  /** The current path, to mark the current page in the navigation. */
  @property() path = '/';

  @state() private _busy = false;

  override render() {
    const { account, passphraseSet, online } = this.snapshot;
    return html`
      <header>
        <a class="brand" href="/" @click=${(event: MouseEvent) => onLinkClick(event, '/')}>
          <img src="/icons/icon-192.png" alt="" width="28" height="28" />
          <span class="dot ${online ? '' : 'offline'}" aria-hidden="true"></span>
          <span class="brand-name" aria-hidden="true">Secure Chat</span>
          <span class="visually-hidden"
            >${online ? 'Secure Chat (online)' : 'Secure Chat (offline)'}</span
          >
        </a>
        <nav aria-label="Main">
          ${account ? html`<span class="who">${account.username}</span>` : nothing}
          <a
            class="button"
            href="/"
            aria-current=${this.path === '/' ? 'page' : 'false'}
            @click=${(event: MouseEvent) => onLinkClick(event, '/')}
            >Home</a
          >
          <a
            class="button"
            href="/settings"
            aria-current=${this.path === '/settings' ? 'page' : 'false'}
            @click=${(event: MouseEvent) => onLinkClick(event, '/settings')}
            >Settings</a
          >
          <install-button></install-button>
          ${
            passphraseSet
              ? html`<button type="button" ?disabled=${this._busy} @click=${this._onLock}>
                  Lock
                </button>`
              : nothing
          }
          <button type="button" ?disabled=${this._busy} @click=${this._onLogout}>Log out</button>
        </nav>
      </header>
    `;
  }

  private async _act(action: () => Promise<void>): Promise<void> {
    this._busy = true;
    try {
      await action();
    } catch (error) {
      this.dispatchEvent(
        new CustomEvent('app-error', {
          detail: describeError(error),
          bubbles: true,
          composed: true,
        }),
      );
    } finally {
      this._busy = false;
    }
  }

  private _onLock(): void {
    void this._act(() => this.app.lock());
  }

  private _onLogout(): void {
    void this._act(async () => {
      await this.app.logout();
      navigate(this, '/');
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'app-header': AppHeader;
  }
}
