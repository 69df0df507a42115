import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { theme } from './theme';

/**
 * The shell's banner: being offline (what still works) and failures of shell actions
 * (each with "Dismiss"; the message itself says what to do).
 * @fires dismiss - the person closed the error
 */
@customElement('status-banner')
export class StatusBanner extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        max-width: 1100px;
        margin: 0 auto;
        padding: 0 12px;
      }
      .banner {
        margin-top: 10px;
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        justify-content: space-between;
      }
      .offline {
        background: rgba(255, 196, 107, 0.12);
        border: 1px solid rgba(255, 196, 107, 0.45);
        border-radius: 10px;
        padding: 10px 12px;
        margin: 10px 0 0;
      }
    `,
  ];

  @property({ type: Boolean }) online = true;
  /** An error to show until dismissed; '' for none. */
  @property() message = '';
  /** A success to show until dismissed; '' for none. */
  @property() notice = '';

  override render() {
    return html`
      <div role="status">
        ${
          this.notice
            ? html`<div class="banner notice">
                <span>${this.notice}</span>
                <button type="button" @click=${this._onDismiss}>OK</button>
              </div>`
            : nothing
        }
        ${
          this.online
            ? nothing
            : html`<p class="offline">
                You are offline. Stored rooms and messages are here; what you send waits as pending
                until the connection is back.
              </p>`
        }
      </div>
      ${
        this.message
          ? html`<div class="banner error" role="alert">
              <span>${this.message}</span>
              <button type="button" @click=${this._onDismiss}>Dismiss</button>
            </div>`
          : nothing
      }
    `;
  }

  private _onDismiss(): void {
    this.dispatchEvent(new CustomEvent('dismiss'));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'status-banner': StatusBanner;
  }
}
