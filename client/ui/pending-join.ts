import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { App, AppSnapshot } from '../app/app-types';
import { describeError, navigate } from './shell-events';
import { theme } from './theme';

/**
 * A room link opened from the address bar is being joined: "Joining room…", the "Room
 * password" prompt when the room has one, or what went wrong with a way back home.
 * @fires navigate - '/r/ROOM_ID' once joined, '/' to give up
 */
@customElement('pending-join')
export class PendingJoin extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        max-width: 460px;
        margin: 8vh auto 0;
        padding: 0 12px;
      }
    `,
  ];

  @property({ attribute: false }) app!: App;
  @property({ attribute: false }) pending!: NonNullable<AppSnapshot['pendingJoin']>;

  @state() private _busy = false;
  @state() private _error = '';

  override updated(): void {
    // Typing the password is the one thing to do: start there once the box appears
    // (autofocus does not reach into shadow roots).
    const root = this.renderRoot as ShadowRoot;
    if (this.pending.needsPassword && !root.activeElement) {
      root.querySelector<HTMLInputElement>('input[name="password"]')?.focus();
    }
  }

  override render() {
    const { needsPassword } = this.pending;
    const error = this._error || this.pending.error;
    return html`
      <section class="panel" aria-labelledby="join-title">
        <h1 id="join-title">Joining room…</h1>
        ${
          needsPassword
            ? html`<p class="hint">This room has a password. Ask the person who invited you.</p>
                <form @submit=${this._onSubmit} novalidate>
                  <label
                    >Room password <input name="password" type="password" autocomplete="off"
                  /></label>
                  ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
                  <button class="primary" type="submit" ?disabled=${this._busy}>Join</button>
                </form>`
            : error
              ? html`<p class="error" role="alert">${error}</p>`
              : html`<p role="status">Connecting to the room securely…</p>`
        }
        <p>
          <button type="button" class="link" @click=${() => navigate(this, '/')}>
            Back to home
          </button>
        </p>
      </section>
    `;
  }

  private async _onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[name="password"]');
    const password = input?.value ?? '';
    if (!password) {
      this._error = 'Type the room password.';
      return;
    }
    this._busy = true;
    this._error = '';
    try {
      const { roomId } = await this.app.submitRoomPassword(password);
      navigate(this, `/r/${encodeURIComponent(roomId)}`);
    } catch (error) {
      this._error = describeError(error);
      input?.select();
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pending-join': PendingJoin;
  }
}
