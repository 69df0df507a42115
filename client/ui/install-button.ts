import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { onInstallState, promptInstall, type InstallState } from '../pwa/install';
import { theme } from './theme';

/**
 * "Install" when the browser offers to install the app (beforeinstallprompt), or a one-line
 * hint on iOS Safari, which has no install prompt. Renders nothing otherwise.
 */
@customElement('install-button')
export class InstallButton extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: contents;
      }
      .hint {
        margin: 0;
        font-size: 0.85rem;
      }
    `,
  ];

  @state() private _install: InstallState = { canInstall: false, showIosHint: false };
  private _unsubscribe: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this._unsubscribe = onInstallState((next) => {
      this._install = next;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._unsubscribe?.();
    this._unsubscribe = null;
  }

  override render() {
    if (this._install.canInstall) {
      return html`<button type="button" @click=${this._onInstall}>Install</button>`;
    }
    if (this._install.showIosHint) {
      return html`<p class="hint">To install: tap Share, then “Add to Home Screen”.</p>`;
    }
    return nothing;
  }

  private _onInstall(): void {
    void promptInstall();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'install-button': InstallButton;
  }
}
