// The "Members" list: who is here, who is online, who is typing, who is verified; a
// "Verify" button per member, and "Kick" / "Ban" for the host.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { MemberView } from '../app/app-types';
import { theme } from './theme';

export interface MemberAction {
  action: 'verify' | 'kick' | 'ban';
  member: MemberView;
}

function trustWords(member: MemberView): string {
  if (member.verified) return 'Verified';
  if (member.trust === 'secure') return 'Encrypted, not verified';
  return 'Connecting securely…';
}

/** @fires member-action - detail: MemberAction (the page asks the controller) */
@customElement('member-list')
export class MemberList extends LitElement {
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
        gap: 8px;
      }
      li {
        display: grid;
        gap: 6px;
        padding: 10px;
        border-radius: 12px;
        background: rgba(0, 0, 0, 0.18);
        border: 1px solid var(--glass-border);
      }
      .who {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
      }
      .dot {
        width: 10px;
        height: 10px;
        border-radius: 50%;
        background: var(--text-dim);
        flex: none;
      }
      .online .dot {
        background: var(--ok);
      }
      .name {
        font-weight: 700;
        overflow-wrap: anywhere;
      }
      .badge {
        font-size: 0.75rem;
        padding: 2px 8px;
        border-radius: 999px;
        border: 1px solid var(--glass-border);
        color: var(--text-dim);
      }
      .badge.verified {
        color: #062a1c;
        background: var(--ok);
        border-color: transparent;
        font-weight: 700;
      }
      .details {
        font-size: 0.82rem;
        color: var(--text-dim);
      }
      .typing {
        color: var(--accent);
      }
      .actions button {
        min-height: 36px;
        padding: 6px 12px;
      }
      .empty {
        color: var(--text-dim);
        font-size: 0.9rem;
      }
    `,
  ];

  @property({ attribute: false }) members: MemberView[] = [];
  /** Host controls (Kick, Ban) show only for the host. */
  @property({ type: Boolean }) isHost = false;
  /** Actions under way, by peer id: their buttons wait. */
  @property({ attribute: false }) busy: ReadonlySet<string> = new Set();

  private act(action: MemberAction['action'], member: MemberView): void {
    this.dispatchEvent(
      new CustomEvent<MemberAction>('member-action', { detail: { action, member } }),
    );
  }

  override render() {
    const sorted = [...this.members].sort(
      (a, b) => Number(b.online) - Number(a.online) || a.username.localeCompare(b.username),
    );
    return html`<ul aria-label="Members">
        ${sorted.map((member) => this.renderMember(member))}
      </ul>
      ${
        sorted.length === 0
          ? html`<p class="empty">Nobody else is here yet. Use "Invite" to share the room link.</p>`
          : nothing
      }`;
  }

  private renderMember(member: MemberView) {
    const busy = this.busy.has(member.peerId);
    const canVerify = member.trust !== 'connecting' && member.online;
    return html`<li class=${member.online ? 'online' : 'offline'}>
      <div class="who">
        <span class="dot" aria-hidden="true"></span>
        <span class="name">${member.displayName}</span>
        ${
          member.displayName !== member.username
            ? html`<span class="details">@${member.username}</span>`
            : nothing
        }
        ${member.isHost ? html`<span class="badge">Host</span>` : nothing}
        ${member.verified ? html`<span class="badge verified">Verified</span>` : nothing}
      </div>
      <div class="details">
        ${member.online ? 'Online' : 'Offline'} · ${trustWords(member)}
        ${member.typing ? html` · <span class="typing">typing…</span>` : nothing}
      </div>
      <div class="row actions">
        ${
          canVerify
            ? html`<button
                type="button"
                ?disabled=${busy}
                @click=${() => this.act('verify', member)}
              >
                Verify
              </button>`
            : nothing
        }
        ${
          this.isHost && !member.isHost
            ? html`<button
                  type="button"
                  class="danger"
                  ?disabled=${busy}
                  @click=${() => this.act('kick', member)}
                >
                  Kick
                </button>
                <button
                  type="button"
                  class="danger"
                  ?disabled=${busy}
                  @click=${() => this.act('ban', member)}
                >
                  Ban
                </button>`
            : nothing
        }
      </div>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'member-list': MemberList;
  }
}
