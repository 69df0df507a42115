import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { App, AppSnapshot, RoomSummary } from '../app/app-types';
import { announce, navigate } from './shell-events';
import { formValue, SectionStatus } from './section-status';
import { theme } from './theme';

/** Which destructive action waits for "Yes, delete". */
type Confirming = { kind: 'room'; room: RoomSummary } | { kind: 'local' } | null;

/**
 * The deletions in Settings: one conversation, all local data, the server account. Each
 * one says what it removes and waits for a confirmation (or the account password).
 * @fires navigate - '/' after deleting everything
 */
@customElement('data-settings')
export class DataSettings extends LitElement {
  private readonly _status = new SectionStatus(this);
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 6px;
      }
      li {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
      }
      form {
        margin-top: 20px;
      }
      form > button {
        justify-self: start;
      }
    `,
  ];

  @property({ attribute: false }) app!: App;
  @property({ attribute: false }) snapshot!: AppSnapshot;

  @state() private _confirming: Confirming = null;

  override render() {
    return html`${this._renderConversations()} ${this._renderDangerZone()}`;
  }

  private _renderConversations() {
    const rooms = this.snapshot.rooms;
    return html`<section class="panel" aria-labelledby="conversations-title">
      <h2 id="conversations-title">Conversations on this device</h2>
      ${rooms.length === 0 ? html`<p class="hint">No stored conversations.</p>` : nothing}
      <ul aria-label="Stored conversations">
        ${rooms.map(
          (room) =>
            html`<li>
              <span>${room.name}</span>
              <button
                type="button"
                class="danger"
                aria-label=${`Delete conversation ${room.name}`}
                ?disabled=${this._status.busy}
                @click=${() => (this._confirming = { kind: 'room', room })}
              >
                Delete
              </button>
            </li>`,
        )}
      </ul>
      ${this._confirming?.kind === 'room' ? this._renderConfirm() : nothing}
      ${this._status.message('rooms')}
    </section>`;
  }

  private _renderDangerZone() {
    return html`<section class="panel danger-zone" aria-labelledby="danger-title">
      <h2 id="danger-title">Delete data</h2>
      <p class="hint">
        Deleting local data removes every room, message, key and setting from this device only.
      </p>
      <button
        type="button"
        class="danger"
        ?disabled=${this._status.busy}
        @click=${() => (this._confirming = { kind: 'local' })}
      >
        Delete all local data
      </button>
      ${this._confirming?.kind === 'local' ? this._renderConfirm() : nothing}
      ${this._status.message('local')}
      <form @submit=${this._onDeleteAccount} novalidate>
        <h3>Delete my account</h3>
        <p class="hint">
          Removes your account from the server and then everything on this device. Type your
          password to confirm.
        </p>
        <label
          >Account password <input name="password" type="password" autocomplete="current-password"
        /></label>
        ${this._status.message('account')}
        <button type="submit" class="danger" ?disabled=${this._status.busy}>Delete account</button>
      </form>
    </section>`;
  }

  private _renderConfirm() {
    const what =
      this._confirming?.kind === 'room'
        ? `Delete the conversation “${this._confirming.room.name}” and all its messages from this device?`
        : 'Delete every room, message, key and setting on this device?';
    return html`<div class="notice" role="alertdialog" aria-label="Confirm deletion">
      <p>${what} This cannot be undone.</p>
      <div class="row">
        <button type="button" class="danger" @click=${this._onConfirm}>Yes, delete</button>
        <button type="button" @click=${() => (this._confirming = null)}>Cancel</button>
      </div>
    </div>`;
  }

  private _onDeleteAccount(event: Event): void {
    event.preventDefault();
    const password = formValue(event, 'password');
    if (!password) {
      this._status.say('account', 'Type your password to delete your account.', true);
      return;
    }
    void this._status.run('account', async () => {
      await this.app.deleteAccount(password);
      navigate(this, '/');
      announce('Your account is deleted, and everything this device stored for it.');
    });
  }

  private _onConfirm(): void {
    const confirming = this._confirming;
    this._confirming = null;
    if (confirming?.kind === 'room') {
      void this._status.run(
        'rooms',
        () => this.app.deleteConversation(confirming.room.roomId),
        `Deleted “${confirming.room.name}” from this device.`,
      );
    } else if (confirming?.kind === 'local') {
      void this._status.run('local', async () => {
        await this.app.deleteLocalData();
        navigate(this, '/');
        announce('Everything this device stored is deleted.');
      });
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'data-settings': DataSettings;
  }
}
