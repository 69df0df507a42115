import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { App, AppSnapshot } from '../app/app-types';
import { requestNotificationPermission } from '../pwa/alerts';
import './data-settings';
import './passphrase-settings';
import { announce, describeError } from './shell-events';
import { theme } from './theme';

/**
 * Settings: display name, passphrase lock, alerts, account password, and the deletions
 * (<data-settings>).
 */
@customElement('settings-page')
export class SettingsPage extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        max-width: 720px;
        margin: 0 auto;
        padding: var(--gap) 12px 40px;
      }
      form > button {
        justify-self: start;
      }
      data-settings {
        margin-top: var(--gap);
      }
      .toggle {
        display: flex;
        align-items: center;
        gap: 10px;
        color: var(--text);
        min-height: 44px;
      }
      .toggle input {
        width: 20px;
        height: 20px;
        accent-color: var(--accent-strong);
      }
    `,
  ];

  @property({ attribute: false }) app!: App;
  @property({ attribute: false }) snapshot!: AppSnapshot;

  @state() private _busy = false;
  /** Per section: the last failure or success, shown next to the section's controls. */
  @state() private _messages: Record<string, { text: string; error: boolean }> = {};

  override render() {
    const { settings } = this.snapshot;
    return html`
      <h1>Settings</h1>
      <section class="panel" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <form @submit=${this._onDisplayName} novalidate>
          <label
            >Display name
            <input name="displayName" type="text" maxlength="64" .value=${settings.displayName}
          /></label>
          ${this._message('profile')}
          <button type="submit" ?disabled=${this._busy}>Save name</button>
        </form>
      </section>
      <section class="panel">
        <passphrase-settings .app=${this.app} .snapshot=${this.snapshot}></passphrase-settings>
      </section>
      <section class="panel" aria-labelledby="alerts-title">
        <h2 id="alerts-title">Alerts</h2>
        <label class="toggle"
          ><input
            type="checkbox"
            .checked=${settings.notifications}
            ?disabled=${this._busy}
            @change=${this._onNotifications}
          />Notifications</label
        >
        <label class="toggle"
          ><input
            type="checkbox"
            .checked=${settings.sound}
            ?disabled=${this._busy}
            @change=${this._onSound}
          />Sound</label
        >
        ${this._message('alerts')}
      </section>
      <section class="panel">
        <h2 id="password-title">Account password</h2>
        <form @submit=${this._onChangePassword} novalidate>
          <label
            >Current password <input name="current" type="password" autocomplete="current-password"
          /></label>
          <label
            >New password <input name="next" type="password" autocomplete="new-password"
          /></label>
          ${this._message('password')}
          <button type="submit" ?disabled=${this._busy}>Change password</button>
        </form>
      </section>
      <data-settings .app=${this.app} .snapshot=${this.snapshot}></data-settings>
    `;
  }

  private _message(section: string) {
    const message = this._messages[section];
    if (!message) return nothing;
    return message.error
      ? html`<p class="error" role="alert">${message.text}</p>`
      : html`<p class="notice" role="status">${message.text}</p>`;
  }

  private async _run(section: string, action: () => Promise<void>, done = ''): Promise<void> {
    this._busy = true;
    this._messages = { ...this._messages, [section]: { text: '', error: false } };
    try {
      await action();
      this._messages = { ...this._messages, [section]: { text: done, error: false } };
    } catch (error) {
      this._messages = {
        ...this._messages,
        [section]: { text: describeError(error), error: true },
      };
    } finally {
      this._busy = false;
    }
  }

  private _formValue(event: Event, name: string): string {
    const form = event.currentTarget as HTMLFormElement;
    return String(new FormData(form).get(name) ?? '');
  }

  private _onDisplayName(event: Event): void {
    event.preventDefault();
    const displayName = this._formValue(event, 'displayName').trim();
    void this._run(
      'profile',
      () => this.app.updateSettings({ displayName }),
      displayName ? `Others now see you as “${displayName}”.` : 'Others now see your username.',
    );
  }

  private async _onNotifications(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const on = input.checked;
    if (on && !(await notificationsAllowed())) {
      input.checked = false;
      this._messages = {
        ...this._messages,
        alerts: {
          error: true,
          text: 'The browser blocks notifications for this site. Allow them in the site settings, then turn this on again.',
        },
      };
      return;
    }
    void this._run('alerts', () => this.app.updateSettings({ notifications: on }));
  }

  private _onSound(event: Event): void {
    const on = (event.target as HTMLInputElement).checked;
    void this._run('alerts', () => this.app.updateSettings({ sound: on }));
  }

  private _onChangePassword(event: Event): void {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const current = this._formValue(event, 'current');
    const next = this._formValue(event, 'next');
    if (!current || next.length < 10) {
      this._messages = {
        ...this._messages,
        password: {
          error: true,
          text: 'Type your current password and a new one of at least 10 characters.',
        },
      };
      return;
    }
    void this._run(
      'password',
      async () => {
        await this.app.changePassword(current, next);
        form.reset();
        // The server signs every session out, this one too: the sign-in screen follows.
        announce('Your password is changed. Log in again with the new one.');
      },
      'Password changed.',
    );
  }
}

/** Asks for permission only now, when the person turned notifications on. */
async function notificationsAllowed(): Promise<boolean> {
  return (await requestNotificationPermission()) === 'granted';
}

declare global {
  interface HTMLElementTagNameMap {
    'settings-page': SettingsPage;
  }
}
