// One message as a row of the virtual list. A plain render function, not an element: the
// list renders only the rows in view, and thousands of element upgrades while scrolling
// would cost more than they give. The text is always a text binding (never HTML), so a
// message holding markup or script shows exactly what was typed.
import { html, nothing } from 'lit';
import type { MessageView, RoomController } from '../app/app-types';
import './file-card';

const DELIVERY_WORDS: Record<MessageView['state'], { icon: string; label: string; hint: string }> =
  {
    pending: {
      icon: '◷',
      label: 'Pending',
      hint: 'Waiting on this device until someone in the room is connected',
    },
    sent: { icon: '✓', label: 'Sent', hint: 'Sent to the people connected now' },
    delivered: { icon: '✓✓', label: 'Delivered', hint: 'Delivered' },
  };

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

function shownTime(sentAt: number, now: number): string {
  const sameDay = new Date(sentAt).toDateString() === new Date(now).toDateString();
  return sameDay ? timeFormat.format(sentAt) : dateTimeFormat.format(sentAt);
}

/** `position` and `setSize` tell screen readers where the row sits in the whole history. */
export function renderMessageRow(
  message: MessageView,
  position: number | undefined,
  setSize: number | undefined,
  now: number,
  /** For messages that offer a file: its card follows the transfer through this. */
  controller?: RoomController,
) {
  const delivery = message.own ? DELIVERY_WORDS[message.state] : undefined;
  const author = message.own ? 'You' : message.displayName;
  const showUsername = !message.own && message.displayName !== message.username;
  return html`<div
    class="message ${message.own ? 'own' : 'theirs'}"
    role="listitem"
    data-id=${message.id}
    aria-posinset=${position ?? nothing}
    aria-setsize=${setSize ?? nothing}
  >
    <div class="bubble">
      <div class="meta">
        <span class="author">${author}</span>
        ${showUsername ? html`<span class="username">@${message.username}</span>` : nothing}
        <time datetime=${new Date(message.sentAt).toISOString()}
          >${shownTime(message.sentAt, now)}</time
        >
      </div>
      ${
        message.file
          ? html`<file-card
              .controller=${controller}
              .summary=${message.file}
              .messageId=${message.id}
            ></file-card>`
          : html`<p class="text">${message.text}</p>`
      }
      ${
        delivery
          ? html`<div class="delivery ${message.state}" title=${delivery.hint}>
              <span aria-hidden="true">${delivery.icon}</span> ${delivery.label}
            </div>`
          : nothing
      }
    </div>
  </div>`;
}
