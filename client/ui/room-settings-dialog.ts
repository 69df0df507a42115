// "Room settings": the room's name (and, for the host, closing the room for everyone,
// behind a second, explicit button: it cannot be undone).
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { RoomController } from '../app/app-types';
import { theme } from './theme';
import { describeError } from './shell-events';
import { dialogStyles } from './room-dialog-styles';

/** @fires renamed - detail: the new name */
@customElement('room-settings-dialog')
export class RoomSettingsDialog extends LitElement {
  static override styles = [theme, dialogStyles];

  @property({ attribute: false }) controller?: RoomController;

  @state() private name = '';
  @state() private error = '';
  @state() private saving = false;

  @query('dialog') private dialog?: HTMLDialogElement;

  async show(): Promise<void> {
    await this.updateComplete;
    this.name = this.controller?.name ?? '';
    this.error = '';
    this.dialog?.showModal();
  }

  private close(): void {
    this.dialog?.close();
  }

  private async save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const name = this.name.trim();
    if (!this.controller || !name) {
      this.error = 'Give the room a name.';
      return;
    }
    this.saving = true;
    try {
      await this.controller.rename(name);
      this.dispatchEvent(new CustomEvent('renamed', { detail: name }));
      this.close();
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.saving = false;
    }
  }

  override render() {
    return html`<dialog aria-labelledby="settings-title">
      <h2 id="settings-title">Room settings</h2>
      <form @submit=${this.save}>
        <label>
          Room name
          <input
            type="text"
            maxlength="100"
            required
            .value=${this.name}
            @input=${(e: InputEvent) => (this.name = (e.target as HTMLInputElement).value)}
          />
        </label>
        <p class="hint">The name stays between the people in the room: the server never sees it.</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button type="button" @click=${this.close}>Cancel</button>
          <button type="submit" class="primary" ?disabled=${this.saving}>Save</button>
        </div>
      </form>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'room-settings-dialog': RoomSettingsDialog;
  }
}
