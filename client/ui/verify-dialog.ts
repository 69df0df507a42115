// "Verify": the safety number and the short authentication string (emoji and digits) two
// people compare out of band (in person, on a call). If they match, nobody is in the
// middle, and "Mark as verified" pins that trust on this device.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { MemberView, RoomController, Verification } from '../app/app-types';
import { theme } from './theme';
import { describeError } from './shell-events';
import { dialogStyles } from './room-dialog-styles';

/** Groups of five digits, wrapped in rows of four groups as Signal shows them. */
function safetyRows(safetyNumber: string): string[] {
  const groups = safetyNumber.replace(/\D/g, '').match(/\d{1,5}/g) ?? [];
  const rows: string[] = [];
  for (let i = 0; i < groups.length; i += 4) rows.push(groups.slice(i, i + 4).join(' '));
  return rows;
}

/** @fires verified - detail: the member, after "Mark as verified" succeeded */
@customElement('verify-dialog')
export class VerifyDialog extends LitElement {
  static override styles = [
    theme,
    dialogStyles,
    css`
      .emoji {
        list-style: none;
        padding: 0;
        margin: 8px 0;
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        justify-content: center;
      }
      .emoji li {
        display: grid;
        justify-items: center;
        min-width: 64px;
        padding: 6px;
        border-radius: 10px;
        background: rgba(0, 0, 0, 0.2);
      }
      .emoji .glyph {
        font-size: 2rem;
        line-height: 1.2;
      }
      .emoji .word {
        font-size: 0.75rem;
        color: var(--text-dim);
      }
      .digits,
      .safety {
        font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
        font-size: 1.05rem;
        letter-spacing: 0.04em;
        text-align: center;
      }
      .digits {
        font-size: 1.3rem;
        font-weight: 700;
      }
      .safety {
        margin: 4px 0 0;
      }
      figure {
        margin: 16px 0 0;
      }
      figcaption {
        font-weight: 700;
        margin-bottom: 6px;
      }
    `,
  ];

  @property({ attribute: false }) controller?: RoomController;

  @state() private member: MemberView | undefined;
  @state() private verification: Verification | undefined;
  @state() private error = '';
  @state() private working = false;
  @state() private done = false;

  @query('dialog') private dialog?: HTMLDialogElement;

  async show(member: MemberView): Promise<void> {
    await this.updateComplete;
    this.member = member;
    this.verification = undefined;
    this.error = '';
    this.done = member.verified;
    this.dialog?.showModal();
    try {
      this.verification = await this.controller!.verification(member.peerId);
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private close(): void {
    this.dialog?.close();
  }

  private onClose(): void {
    // The numbers are only for this moment: don't keep them around.
    this.verification = undefined;
  }

  private async markVerified(): Promise<void> {
    const member = this.member;
    if (!member || !this.controller) return;
    this.working = true;
    this.error = '';
    try {
      await this.controller.markVerified(member.peerId);
      this.done = true;
      this.dispatchEvent(new CustomEvent('verified', { detail: member }));
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.working = false;
    }
  }

  override render() {
    const name = this.member?.displayName ?? '';
    const v = this.verification;
    return html`<dialog aria-labelledby="verify-title" @close=${this.onClose}>
      <h2 id="verify-title">Verify ${name}</h2>
      <p class="hint">
        Compare these with ${name} in person or on a call. If they are the same on both screens,
        your connection is really with them.
      </p>
      ${v ? this.renderNumbers(v) : nothing}
      ${!v && !this.error ? html`<p role="status">Computing the numbers…</p>` : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${
        this.done
          ? html`<p class="notice" role="status">${name} is verified on this device.</p>`
          : nothing
      }
      <div class="actions">
        ${
          this.done
            ? nothing
            : html`<button
                type="button"
                class="primary"
                ?disabled=${!v || this.working}
                @click=${this.markVerified}
              >
                Mark as verified
              </button>`
        }
        <button type="button" @click=${this.close}>${this.done ? 'Done' : 'Cancel'}</button>
      </div>
    </dialog>`;
  }

  private renderNumbers(v: Verification) {
    return html`<figure>
        <figcaption>Short authentication string</figcaption>
        <ul class="emoji">
          ${v.sas.emoji.map(
            (e) =>
              html`<li>
                <span class="glyph" aria-hidden="true">${e.emoji}</span
                ><span class="word">${e.name}</span>
              </li>`,
          )}
        </ul>
        <p class="digits">${v.sas.digits}</p>
      </figure>
      <figure>
        <figcaption>Safety number</figcaption>
        ${safetyRows(v.safetyNumber).map((row) => html`<p class="safety">${row}</p>`)}
      </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'verify-dialog': VerifyDialog;
  }
}
