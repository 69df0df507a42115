import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { applyUpdate, onUpdateReady } from '../pwa/update';
import { theme } from './theme';

/**
 * "A new version is ready" with a "Reload" button, shown once a new service worker waits.
 * The new version starts only on that click, so nothing changes under a person mid-chat.
 */
@customElement('update-toast')
export class UpdateToast extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        position: fixed;
        left: 50%;
        bottom: 16px;
        transform: translateX(-50%);
        z-index: 50;
        width: min(440px, calc(100vw - 24px));
      }
      .toast {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 12px;
        padding: 10px 12px 10px 16px;
        border-radius: var(--radius, 14px);
        border: 1px solid var(--glass-border);
        background: rgba(20, 28, 56, 0.9);
        backdrop-filter: blur(14px);
        -webkit-backdrop-filter: blur(14px);
        box-shadow: 0 10px 30px rgba(0, 0, 0, 0.45);
      }
      p {
        margin: 0;
      }
    `,
  ];

  @state() private _ready = false;
  @state() private _reloading = false;
  private _unsubscribe: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this._unsubscribe = onUpdateReady((ready) => {
      this._ready = ready;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._unsubscribe?.();
    this._unsubscribe = null;
  }

  override render() {
    if (!this._ready) return nothing;
    return html`
      <div class="toast" role="status">
        <p>A new version is ready</p>
        <button type="button" class="primary" ?disabled=${this._reloading} @click=${this._onReload}>
          Reload
        </button>
      </div>
    `;
  }

  private _onReload(): void {
    this._reloading = true;
    applyUpdate();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'update-toast': UpdateToast;
  }
}
