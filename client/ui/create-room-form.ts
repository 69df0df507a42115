import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CipherSuite } from '../crypto/primitives/aead';
import type { App, KeyAgreement } from '../app/app-types';
import { describeError, navigate } from './shell-events';
import { theme } from './theme';

interface Choice<T extends string> {
  value: T;
  label: string;
  explanation: string;
}

// NOTE: typed by the crypto module's unions, so a suite added there fails typecheck here
// until it gets a label and an explanation. (Only types are imported: the page bundle
// stays free of the cipher code, which lives in the worker.)
const CIPHER_SUITES: Record<CipherSuite, Choice<CipherSuite>> = {
  'aes-256-gcm': {
    value: 'aes-256-gcm',
    label: 'AES-256-GCM (default)',
    explanation: 'Fast everywhere thanks to hardware support; the usual choice.',
  },
  'xchacha20-poly1305': {
    value: 'xchacha20-poly1305',
    label: 'XChaCha20-Poly1305',
    explanation: 'Fast in software on any device, with long random nonces.',
  },
  'aes-256-cbc-hmac-sha512': {
    value: 'aes-256-cbc-hmac-sha512',
    label: 'AES-256-CBC + HMAC-SHA-512',
    explanation: 'A conservative encrypt-then-MAC pair for those who prefer older standards.',
  },
};

const KEY_AGREEMENTS: Record<KeyAgreement, Choice<KeyAgreement>> = {
  x25519: {
    value: 'x25519',
    label: 'X25519 (default)',
    explanation: 'Modern, fast elliptic-curve key agreement used by Signal and TLS 1.3.',
  },
  p521: {
    value: 'p521',
    label: 'NIST P-521',
    explanation: 'The largest NIST curve, for policies that require NIST algorithms.',
  },
};

/** The room's maximum file size (bytes as the option's value; '' is no limit). */
const MAX_FILE_SIZES: Array<{ value: string; label: string }> = [
  { value: '', label: 'No limit (default)' },
  { value: String(25e6), label: '25 MB' },
  { value: String(100e6), label: '100 MB' },
  { value: String(1e9), label: '1 GB' },
  { value: String(10e9), label: '10 GB' },
];

/**
 * "Room name", optional "Room password", cipher suite and key agreement (defaults
 * preselected, one line on each), then "Create room".
 * @fires navigate - '/r/ROOM_ID' once the room exists
 */
@customElement('create-room-form')
export class CreateRoomForm extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      fieldset {
        border: 1px solid var(--glass-border);
        border-radius: 10px;
        padding: 10px 12px;
        margin: 0;
        display: grid;
        gap: 8px;
      }
      legend {
        padding: 0 6px;
        color: var(--text-dim);
        font-size: 0.92rem;
      }
      .choice {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 2px 10px;
        align-items: start;
        color: var(--text);
        cursor: pointer;
      }
      .choice input {
        margin-top: 4px;
        width: 18px;
        height: 18px;
        accent-color: var(--accent-strong);
      }
      .choice small {
        grid-column: 2;
        color: var(--text-dim);
      }
    `,
  ];

  @property({ attribute: false }) app!: App;

  @state() private _busy = false;
  @state() private _error = '';

  override render() {
    return html`
      <form @submit=${this._onSubmit} novalidate aria-labelledby="create-title">
        <h2 id="create-title">New room</h2>
        <label
          >Room name <input name="name" type="text" maxlength="80" autocomplete="off" required
        /></label>
        <label
          >Room password
          <input
            name="password"
            type="password"
            autocomplete="new-password"
            aria-describedby="password-hint"
        /></label>
        <small class="hint" id="password-hint"
          >Optional. People with the link must also type it to join.</small
        >
        <label
          >Maximum file size
          <select name="maxFileBytes" aria-describedby="max-file-hint">
            ${MAX_FILE_SIZES.map((size) => html`<option value=${size.value}>${size.label}</option>`)}
          </select></label
        >
        <small class="hint" id="max-file-hint"
          >The largest file anyone can share in this room; with no limit, only each device's storage
          space limits it.</small
        >
        ${this._renderChoices('cipher', 'Cipher suite', Object.values(CIPHER_SUITES))}
        ${this._renderChoices('keyAgreement', 'Key agreement', Object.values(KEY_AGREEMENTS))}
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
        <button class="primary" type="submit" ?disabled=${this._busy}>
          ${this._busy ? 'Creating…' : 'Create room'}
        </button>
      </form>
    `;
  }

  private _renderChoices<T extends string>(name: string, legend: string, choices: Choice<T>[]) {
    return html`<fieldset>
      <legend>${legend}</legend>
      ${choices.map(
        (choice, index) =>
          html`<label class="choice">
            <input
              type="radio"
              name=${name}
              .value=${choice.value}
              ?checked=${index === 0}
              aria-describedby=${`${name}-${choice.value}`}
            />
            <span>${choice.label}</span>
            <small id=${`${name}-${choice.value}`}>${choice.explanation}</small>
          </label>`,
      )}
    </fieldset>`;
  }

  private async _onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const password = String(data.get('password') ?? '');
    const cipher = String(data.get('cipher') ?? 'aes-256-gcm') as CipherSuite;
    const keyAgreement = String(data.get('keyAgreement') ?? 'x25519') as KeyAgreement;
    const maxFileSize = String(data.get('maxFileBytes') ?? '');
    if (!name) {
      this._error = 'Give the room a name (only members see it).';
      form.querySelector<HTMLInputElement>('input[name="name"]')?.focus();
      return;
    }
    if (!MAX_FILE_SIZES.some((size) => size.value === maxFileSize)) {
      this._error = 'Pick a maximum file size.';
      return;
    }
    if (!(cipher in CIPHER_SUITES) || !(keyAgreement in KEY_AGREEMENTS)) {
      this._error = 'Pick a cipher suite and a key agreement.';
      return;
    }
    this._busy = true;
    this._error = '';
    try {
      const { roomId } = await this.app.createRoom({
        name,
        ...(password ? { password } : {}),
        cipher,
        keyAgreement,
        ...(maxFileSize ? { maxFileBytes: Number(maxFileSize) } : {}),
      });
      form.reset();
      navigate(this, `/r/${encodeURIComponent(roomId)}`);
    } catch (error) {
      this._error = describeError(error);
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'create-room-form': CreateRoomForm;
  }
}
