// Asks the host once more before closing the room: closing ends it for everyone and
// cannot be undone.
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { RoomController } from '../app/app-types';
import { theme } from './theme';
import { describeError } from './shell-events';
import { dialogStyles } from './room-dialog-styles';

@customElement('room-close-dialog')
export class RoomCloseDialog extends LitElement {
  static override styles = [theme, dialogStyles];

  @property({ attribute: false }) controller?: RoomController;

  @state() private error = '';
  @state() private closing = false;

  @query('dialog') private dialog?: HTMLDialogElement;

  async show(): Promise<void> {
    await this.updateComplete;
    this.error = '';
    this.dialog?.showModal();
  }

  private cancel(): void {
    this.dialog?.close();
  }

  private async confirm(): Promise<void> {
    if (!this.controller) return;
    this.closing = true;
    this.error = '';
    try {
      await this.controller.close();
      this.dialog?.close();
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.closing = false;
    }
  }

  override render() {
    return html`<dialog aria-labelledby="close-title">
      <h2 id="close-title">Close this room?</h2>
      <p>
        Everyone is told the room is closed and nobody can join or send any more. The conversation
        stays readable on each device. This cannot be undone.
      </p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        <button type="button" @click=${this.cancel}>Keep it open</button>
        <button type="button" class="danger" ?disabled=${this.closing} @click=${this.confirm}>
          Close room for everyone
        </button>
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'room-close-dialog': RoomCloseDialog;
  }
}
