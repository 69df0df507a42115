// The room's header: its name, who is here, and the room's actions ("Invite", "Room
// settings", and for the host "Close room").
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { theme } from './theme';
import { navigate } from './shell-events';

export type RoomHeaderAction = 'invite' | 'settings' | 'close' | 'members';

/** @fires room-action - detail: RoomHeaderAction */
@customElement('room-header')
export class RoomHeader extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 12px;
      }
      .title {
        flex: 1 1 180px;
        min-width: 0;
      }
      h1 {
        font-size: 1.25rem;
        margin: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .sub {
        margin: 0;
        font-size: 0.85rem;
        color: var(--text-dim);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
      }
      .members-toggle {
        display: none;
      }
      @media (max-width: 860px) {
        .members-toggle {
          display: inline-flex;
        }
      }
      @media (max-width: 480px) {
        .actions button {
          padding: 8px 10px;
          min-height: 40px;
        }
      }
    `,
  ];

  @property() name = '';
  @property({ type: Boolean }) isHost = false;
  /** The room is over (closed, kicked, banned): only reading is left. */
  @property({ type: Boolean }) ended = false;
  @property({ type: Number }) online = 0;
  @property({ type: Boolean }) membersShown = false;

  private act(action: RoomHeaderAction): void {
    this.dispatchEvent(new CustomEvent<RoomHeaderAction>('room-action', { detail: action }));
  }

  override render() {
    const who =
      this.online === 0
        ? 'Nobody else online'
        : this.online === 1
          ? '1 other person online'
          : `${this.online} others online`;
    return html`<header>
      <button type="button" class="link" @click=${() => navigate(this, '/')}>
        <span aria-hidden="true">←</span> All rooms
      </button>
      <div class="title">
        <h1>${this.name}</h1>
        <p class="sub">
          ${this.ended ? 'Read only' : who}${this.isHost ? ' · you are the host' : ''}
        </p>
      </div>
      <div class="actions">
        <button
          type="button"
          class="members-toggle"
          aria-expanded=${this.membersShown ? 'true' : 'false'}
          @click=${() => this.act('members')}
        >
          People
        </button>
        ${
          this.ended
            ? nothing
            : html`<button type="button" class="primary" @click=${() => this.act('invite')}>
                Invite
              </button>`
        }
        <button type="button" @click=${() => this.act('settings')}>Room settings</button>
        ${
          this.isHost && !this.ended
            ? html`<button type="button" class="danger" @click=${() => this.act('close')}>
                Close room
              </button>`
            : nothing
        }
      </div>
    </header>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'room-header': RoomHeader;
  }
}
