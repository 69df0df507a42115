// "Invite": the room link as the value of a read-only text box, "Copy link", and a QR code
// to scan with a phone. The link holds the room secret, so it is fetched only when the
// dialog opens and dropped when it closes.
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { RoomController } from '../app/app-types';
import { theme } from './theme';
import { describeError } from './shell-events';
import { dialogStyles } from './room-dialog-styles';
import './qr-code';

@customElement('invite-dialog')
export class InviteDialog extends LitElement {
  static override styles = [theme, dialogStyles];

  @property({ attribute: false }) controller?: RoomController;

  @state() private link = '';
  @state() private error = '';
  @state() private copied = '';

  @query('dialog') private dialog?: HTMLDialogElement;
  @query('input') private input?: HTMLInputElement;

  async show(): Promise<void> {
    await this.updateComplete;
    this.link = '';
    this.error = '';
    this.copied = '';
    this.dialog?.showModal();
    try {
      this.link = (await this.controller?.inviteLink()) ?? '';
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private close(): void {
    this.dialog?.close();
  }

  private onClose(): void {
    this.link = '';
    this.copied = '';
  }

  private async copy(): Promise<void> {
    if (!this.link) return;
    try {
      await navigator.clipboard.writeText(this.link);
      this.copied = 'Link copied. Send it only to people you want in this room.';
    } catch {
      // No clipboard permission (or an insecure origin): select it for a manual copy.
      this.input?.select();
      this.copied = 'Copying is blocked here: the link is selected, press Ctrl+C (or ⌘C).';
    }
  }

  override render() {
    return html`<dialog aria-labelledby="invite-title" @close=${this.onClose}>
      <h2 id="invite-title">Invite people</h2>
      <p class="hint">
        Anyone with this link can join the room, so share it privately. The secret after "#" never
        reaches the server.
      </p>
      <label>
        Room link
        <input type="text" readonly .value=${this.link} placeholder="Preparing the link…" />
      </label>
      ${
        this.link
          ? html`<div class="qr">
              <qr-code .text=${this.link} label="QR code of the room link"></qr-code>
            </div>`
          : nothing
      }
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.copied ? html`<p class="notice" role="status">${this.copied}</p>` : nothing}
      <div class="actions">
        <button type="button" class="primary" ?disabled=${!this.link} @click=${this.copy}>
          Copy link
        </button>
        <button type="button" @click=${this.close}>Done</button>
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'invite-dialog': InviteDialog;
  }
}
