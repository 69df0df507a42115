import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { App } from '../app/app-types';
import { describeError, errorCode, navigate } from './shell-events';
import { theme } from './theme';

/** What to do next, per failure: each error message gets a way forward. */
const NEXT_STEP: Partial<Record<string, string>> = {
  'bad-link': 'Ask the person who invited you to send the link again, and copy all of it.',
  'wrong-secret-or-password': 'Check the room password with the person who invited you.',
  banned: 'The host removed you from this room. Ask them for a new room.',
  closed: 'The host closed this room. Ask them for a new one.',
  'not-found': 'The room no longer exists. Ask for a new link.',
  full: 'The room is full. Try again later or ask the host.',
  network: 'Check your connection, then press "Join" again.',
};

/**
 * "Room link" + "Join": pasting an invite. When the room has a password, a "Room password"
 * box appears after the first try.
 * @fires navigate - '/r/ROOM_ID' once joined
 */
@customElement('join-link-form')
export class JoinLinkForm extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      .next {
        display: block;
        margin-top: 4px;
        color: var(--text-dim);
      }
    `,
  ];

  @property({ attribute: false }) app!: App;

  @state() private _busy = false;
  @state() private _error = '';
  @state() private _next = '';
  @state() private _needsPassword = false;

  override render() {
    return html`
      <form @submit=${this._onSubmit} novalidate aria-labelledby="join-title">
        <h2 id="join-title">Join a room</h2>
        <label
          >Room link
          <input
            name="link"
            type="text"
            inputmode="url"
            autocomplete="off"
            spellcheck="false"
            placeholder="https://…/r/…#k=…"
            @input=${this._clearError}
        /></label>
        ${
          this._needsPassword
            ? html`<label
                >Room password <input name="password" type="password" autocomplete="off"
              /></label>`
            : nothing
        }
        ${
          this._error
            ? html`<p class="error" role="alert">
                ${this._error}${this._next ? html`<span class="next">${this._next}</span>` : nothing}
              </p>`
            : nothing
        }
        <button class="primary" type="submit" ?disabled=${this._busy}>
          ${this._busy ? 'Joining…' : 'Join'}
        </button>
      </form>
    `;
  }

  private _clearError(): void {
    this._error = '';
    this._next = '';
  }

  private _show(message: string, next = ''): void {
    this._error = message;
    this._next = next;
  }

  private async _onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const link = String(data.get('link') ?? '').trim();
    const password = String(data.get('password') ?? '');
    if (!link) {
      this._show('Paste the room link you were sent.');
      return;
    }
    if (!URL.canParse(link)) {
      this._show('That is not a room link.', NEXT_STEP['bad-link']);
      return;
    }
    this._busy = true;
    this._clearError();
    try {
      const { roomId } = await this.app.joinLink(link, password || undefined);
      form.reset();
      this._needsPassword = false;
      navigate(this, `/r/${encodeURIComponent(roomId)}`);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'wrong-secret-or-password' && !this._needsPassword) {
        // The link may be fine and the room simply has a password: ask for it first.
        this._needsPassword = true;
        this._show(
          `${describeError(error)}`,
          'If the room has a password, type it in "Room password" and press "Join" again.',
        );
      } else {
        this._show(describeError(error), code ? (NEXT_STEP[code] ?? '') : '');
      }
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'join-link-form': JoinLinkForm;
  }
}
