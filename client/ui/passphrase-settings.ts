import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { App, AppSnapshot } from '../app/app-types';
import { describeError } from './shell-events';
import { theme } from './theme';

const AUTO_LOCK_CHOICES: { minutes: number; label: string }[] = [
  { minutes: 0, label: 'Never' },
  { minutes: 1, label: 'After 1 minute' },
  { minutes: 5, label: 'After 5 minutes' },
  { minutes: 15, label: 'After 15 minutes' },
  { minutes: 60, label: 'After 1 hour' },
];

/** Passphrases shorter than this are too easy to guess offline from a stolen device. */
const MIN_PASSPHRASE = 8;

/**
 * The passphrase lock: turn it on, change it, turn it off, and the auto-lock time.
 * Part of <settings-page>.
 */
@customElement('passphrase-settings')
export class PassphraseSettings extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      .auto-lock {
        margin-top: 14px;
      }
    `,
  ];

  @property({ attribute: false }) app!: App;
  @property({ attribute: false }) snapshot!: AppSnapshot;

  @state() private _busy = false;
  @state() private _error = '';
  @state() private _notice = '';

  override render() {
    const { passphraseSet, settings } = this.snapshot;
    return html`
      <h2 id="lock-title">Passphrase lock</h2>
      <p class="hint">
        ${
          passphraseSet
            ? 'On: your rooms and messages open only after you type the passphrase.'
            : 'Off: anyone who can use this device profile can read your stored messages.'
        }
      </p>
      <form @submit=${this._onSubmit} novalidate>
        ${
          passphraseSet
            ? html`<label
                >Current passphrase
                <input name="current" type="password" autocomplete="current-password"
              /></label>`
            : nothing
        }
        <label
          >New passphrase <input name="next" type="password" autocomplete="new-password"
        /></label>
        <label
          >Confirm passphrase <input name="repeat" type="password" autocomplete="new-password"
        /></label>
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
        ${this._notice ? html`<p class="notice" role="status">${this._notice}</p>` : nothing}
        <div class="row">
          <button class="primary" type="submit" ?disabled=${this._busy}>
            ${passphraseSet ? 'Change passphrase' : 'Set passphrase'}
          </button>
          ${
            passphraseSet
              ? html`<button type="button" ?disabled=${this._busy} @click=${this._onRemove}>
                  Remove passphrase
                </button>`
              : nothing
          }
        </div>
      </form>
      ${
        passphraseSet
          ? html`<label class="auto-lock"
              >Auto-lock
              <select @change=${this._onAutoLock} ?disabled=${this._busy}>
                ${AUTO_LOCK_CHOICES.map(
                  (choice) =>
                    html`<option
                      .value=${String(choice.minutes)}
                      ?selected=${choice.minutes === settings.autoLockMinutes}
                    >
                      ${choice.label}
                    </option>`,
                )}
              </select></label
            >`
          : nothing
      }
    `;
  }

  private _field(name: string): string {
    return this.renderRoot.querySelector<HTMLInputElement>(`input[name="${name}"]`)?.value ?? '';
  }

  private _clearFields(): void {
    this.renderRoot.querySelectorAll<HTMLInputElement>('input').forEach((input) => {
      input.value = '';
    });
  }

  private async _run(action: () => Promise<void>, notice: string): Promise<void> {
    this._busy = true;
    this._error = '';
    this._notice = '';
    try {
      await action();
      this._clearFields();
      this._notice = notice;
    } catch (error) {
      this._error = describeError(error);
    } finally {
      this._busy = false;
    }
  }

  private _onSubmit(event: Event): void {
    event.preventDefault();
    const set = this.snapshot.passphraseSet;
    const current = this._field('current');
    const next = this._field('next');
    if (set && !current) {
      this._error = 'Type your current passphrase first.';
      return;
    }
    if (next.length < MIN_PASSPHRASE) {
      this._error = `Choose a passphrase of at least ${MIN_PASSPHRASE} characters.`;
      return;
    }
    if (next !== this._field('repeat')) {
      this._error = 'The two new passphrases differ. Type the same one twice.';
      return;
    }
    void this._run(
      () => this.app.setPassphrase(next, set ? current : undefined),
      set
        ? 'Passphrase changed.'
        : 'Lock is on. You will need this passphrase after every restart; it cannot be recovered.',
    );
  }

  private _onRemove(): void {
    const current = this._field('current');
    if (!current) {
      this._error = 'Type your current passphrase to remove it.';
      return;
    }
    void this._run(() => this.app.removePassphrase(current), 'Lock is off.');
  }

  private _onAutoLock(event: Event): void {
    const minutes = Number((event.target as HTMLSelectElement).value);
    void this._run(
      () => this.app.updateSettings({ autoLockMinutes: minutes }),
      minutes === 0 ? 'Auto-lock is off.' : 'Auto-lock time saved.',
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'passphrase-settings': PassphraseSettings;
  }
}
