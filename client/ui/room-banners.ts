// The room's clear banners: disconnected / reconnecting, room closed, removed (kicked or
// banned), a member's key changed, a peer that could not be verified. Each says what
// happened and what the person can do next.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { RoomStatus } from '../app/app-types';
import { theme } from './theme';
import { navigate } from './shell-events';

const ENDED_WORDS: Record<NonNullable<RoomStatus['ended']>, string> = {
  closed:
    'This room was closed by its host. Nobody can join or send any more; the conversation stays readable on this device.',
  kicked:
    'You were removed from this room by the host and cannot rejoin it. What you had stays readable on this device.',
  banned:
    'You were banned from this room by the host and cannot rejoin it. What you had stays readable on this device.',
};

/** @fires verify-user - detail: username whose key changed (the page opens "Verify") */
@customElement('room-banners')
export class RoomBanners extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      .stack {
        display: grid;
        gap: 8px;
        margin-top: 10px;
      }
      .banner {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
      }
      .banner p {
        margin: 0;
        flex: 1 1 240px;
      }
      .warn {
        color: #ffe6c2;
        background: rgba(255, 196, 107, 0.12);
        border: 1px solid rgba(255, 196, 107, 0.5);
        border-radius: 10px;
        padding: 10px 12px;
      }
      .banner button {
        min-height: 36px;
        padding: 6px 12px;
      }
    `,
  ];

  @property({ attribute: false }) status?: RoomStatus;

  override render() {
    const status = this.status;
    if (!status) return nothing;
    const quiet =
      !status.ended &&
      status.connection === 'online' &&
      status.keyChanged.length === 0 &&
      status.failures.length === 0;
    // Nothing to say takes no room at all (no empty stack, no margin).
    if (quiet) return nothing;
    return html`<div class="stack">
      ${status.ended ? this.renderEnded(status.ended) : this.renderConnection(status)}
      ${status.keyChanged.map(
        (username) =>
          html`<div class="banner warn" role="alert">
            <p>
              ${username}'s identity key changed since you last talked. This can be a new device, or
              someone in the middle: verify ${username} again before you trust new messages.
            </p>
            <button type="button" @click=${() => this.verifyUser(username)}>
              Verify ${username} again
            </button>
          </div>`,
      )}
      ${status.failures.map(
        (line) =>
          html`<div class="banner error" role="alert">
            <p>
              ${line.charAt(0).toUpperCase() + line.slice(1)}. Nothing from that connection is shown
              or stored. If it keeps happening, ask them to reopen the room, and compare safety
              numbers before trusting them.
            </p>
          </div>`,
      )}
    </div>`;
  }

  private renderEnded(ended: NonNullable<RoomStatus['ended']>) {
    return html`<div class="banner error" role="alert">
      <p>${ENDED_WORDS[ended]}</p>
      <button type="button" @click=${() => navigate(this, '/')}>Back to rooms</button>
    </div>`;
  }

  private renderConnection(status: RoomStatus) {
    switch (status.connection) {
      case 'online':
        return nothing;
      case 'connecting':
        return html`<div class="banner notice" role="status">
          <p>Connecting to the room… You can read and write meanwhile.</p>
        </div>`;
      case 'reconnecting':
        return html`<div class="banner warn" role="status">
          <p>
            Connection lost, reconnecting… Messages you send wait on this device (pending) and go
            out when the connection is back.
          </p>
        </div>`;
      case 'offline':
        return html`<div class="banner warn" role="status">
          <p>
            Disconnected: you are offline. You can read the conversation; messages you send wait on
            this device (pending) until you are back online.
          </p>
        </div>`;
    }
  }

  private verifyUser(username: string): void {
    this.dispatchEvent(new CustomEvent('verify-user', { detail: username }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'room-banners': RoomBanners;
  }
}
