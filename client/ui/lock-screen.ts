import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { App } from '../app/app-types';
import { describeError } from './shell-events';
import { theme } from './theme';

/**
 * The device's data is locked by a passphrase: "Passphrase" + "Unlock". A forgotten
 * passphrase cannot be recovered (that is the point), so the way forward is to erase this
 * device's data and start over, behind a confirmation.
 */
@customElement('lock-screen')
export class LockScreen extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        max-width: 420px;
        margin: 10vh auto 0;
        padding: 0 12px;
      }
      .logo {
        display: block;
        margin: 0 auto 12px;
        border-radius: 16px;
      }
      h1 {
        font-size: 1.4rem;
        text-align: center;
      }
    `,
  ];

  @property({ attribute: false }) app!: App;

  @state() private _busy = false;
  @state() private _error = '';
  @state() private _confirmingErase = false;

  override firstUpdated(): void {
    // The one thing to do here is typing: start there (autofocus does not reach shadow roots).
    this.renderRoot.querySelector<HTMLInputElement>('input[name="passphrase"]')?.focus();
  }

  override render() {
    return html`
      <section class="panel" aria-labelledby="lock-title">
        <img class="logo" src="/icons/icon-192.png" alt="" width="64" height="64" />
        <h1 id="lock-title">Secure Chat is locked</h1>
        <p class="hint">
          Your rooms and messages on this device are encrypted. Enter your passphrase to open them.
        </p>
        <form @submit=${this._onUnlock} novalidate>
          <label
            >Passphrase <input name="passphrase" type="password" autocomplete="current-password"
          /></label>
          ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
          <button class="primary" type="submit" ?disabled=${this._busy}>Unlock</button>
        </form>
      </section>
      <section class="panel">
        ${
          this._confirmingErase
            ? html`<p role="alert">
                  This erases every room, message and key stored on this device. It cannot be
                  undone. Your server account stays.
                </p>
                <div class="row">
                  <button class="danger" type="button" @click=${this._onErase}>
                    Erase this device
                  </button>
                  <button type="button" @click=${() => (this._confirmingErase = false)}>
                    Cancel
                  </button>
                </div>`
            : html`<p class="hint">Forgot it? Nobody can recover it, but you can start over.</p>
                <button type="button" class="link" @click=${() => (this._confirmingErase = true)}>
                  Delete all local data
                </button>`
        }
      </section>
    `;
  }

  private async _onUnlock(event: Event): Promise<void> {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[name="passphrase"]');
    const passphrase = input?.value ?? '';
    if (!passphrase) {
      this._error = 'Enter your passphrase.';
      return;
    }
    this._busy = true;
    this._error = '';
    try {
      await this.app.unlock(passphrase);
    } catch (error) {
      this._error = describeError(error);
      input?.select();
    } finally {
      this._busy = false;
      // The passphrase must not linger in the DOM once used.
      if (input && !this._error) input.value = '';
    }
  }

  private async _onErase(): Promise<void> {
    this._busy = true;
    try {
      await this.app.deleteLocalData();
    } catch (error) {
      this._error = describeError(error);
    } finally {
      this._busy = false;
      this._confirmingErase = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lock-screen': LockScreen;
  }
}
