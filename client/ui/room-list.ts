import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { RoomSummary } from '../app/app-types';
import { formatWhen } from './format-when';
import { onLinkClick } from './shell-events';
import { theme } from './theme';

const ENDED_TEXT: Record<NonNullable<RoomSummary['ended']>, string> = {
  closed: 'Closed',
  kicked: 'Removed',
  banned: 'Banned',
};

/**
 * The list "Rooms": every room stored on this device, newest activity first, with unread
 * counts. It reads only the snapshot, so it works offline.
 * @fires navigate - '/r/ROOM_ID' when a room is chosen
 */
@customElement('room-list')
export class RoomList extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 6px;
        /* NOTE: keeps the (empty) list visible, so "Rooms" is on screen from the start. */
        min-height: 4px;
      }
      a {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 2px 10px;
        padding: 10px 12px;
        border-radius: 10px;
        color: var(--text);
        text-decoration: none;
        background: rgba(255, 255, 255, 0.03);
        border: 1px solid transparent;
        min-height: 44px;
      }
      a:hover {
        background: rgba(255, 255, 255, 0.08);
        border-color: var(--glass-border);
      }
      .name {
        font-weight: 600;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .time {
        color: var(--text-dim);
        font-size: 0.8rem;
      }
      .preview {
        color: var(--text-dim);
        font-size: 0.9rem;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .unread {
        justify-self: end;
        min-width: 24px;
        padding: 1px 8px;
        border-radius: 999px;
        background: var(--accent-strong);
        color: #fff;
        font-size: 0.8rem;
        font-weight: 700;
        text-align: center;
      }
      .ended {
        justify-self: end;
        font-size: 0.8rem;
        color: var(--warn);
      }
      .empty {
        color: var(--text-dim);
      }
    `,
  ];

  @property({ attribute: false }) rooms: RoomSummary[] = [];

  override render() {
    const rooms = [...this.rooms].sort((a, b) => b.lastActivity - a.lastActivity);
    return html`
      <h2 id="rooms-title">Rooms</h2>
      <ul aria-labelledby="rooms-title">
        ${rooms.map((room) => this._renderRoom(room))}
      </ul>
      ${
        rooms.length === 0
          ? html`<p class="empty">
              No rooms yet. Create one, or join with a link someone sent you.
            </p>`
          : nothing
      }
    `;
  }

  private _renderRoom(room: RoomSummary) {
    const path = `/r/${encodeURIComponent(room.roomId)}`;
    const unread =
      room.unread > 0 ? `${room.unread} unread message${room.unread === 1 ? '' : 's'}` : '';
    return html`<li>
      <a href=${path} @click=${(event: MouseEvent) => onLinkClick(event, path)}>
        <span class="name">${room.name || 'Unnamed room'}</span>
        <span class="time">${formatWhen(room.lastActivity)}</span>
        <span class="preview"
          >${room.preview || (room.role === 'host' ? 'You created this room' : 'No messages yet')}</span
        >
        ${
          room.ended
            ? html`<span class="ended">${ENDED_TEXT[room.ended]}</span>`
            : room.unread > 0
              ? html`<span class="unread"
                  ><span aria-hidden="true">${room.unread > 99 ? '99+' : room.unread}</span
                  ><span class="visually-hidden">${unread}</span></span
                >`
              : nothing
        }
      </a>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'room-list': RoomList;
  }
}
