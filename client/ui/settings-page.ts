import { LitElement, html, css } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { App, AppSnapshot } from '../app/app-types';
import { requestNotificationPermission } from '../pwa/alerts';
import './data-settings';
import './passphrase-settings';
import { announce } from './shell-events';
import { formValue, SectionStatus } from './section-status';
import { theme } from './theme';

/**
 * Settings: display name, passphrase lock, alerts, account password, and the deletions
 * (<data-settings>).
 */
@customElement('settings-page')
export class SettingsPage extends LitElement {
  private readonly _status = new SectionStatus(this);
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

  /** Per section: the last failure or success, shown next to the section's controls. */

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
          ${this._status.message('profile')}
          <button type="submit" ?disabled=${this._status.busy}>Save name</button>
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
            ?disabled=${this._status.busy}
            @change=${this._onNotifications}
          />Notifications</label
        >
        <label class="toggle"
          ><input
            type="checkbox"
            .checked=${settings.sound}
            ?disabled=${this._status.busy}
            @change=${this._onSound}
          />Sound</label
        >
        ${this._status.message('alerts')}
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
          ${this._status.message('password')}
          <button type="submit" ?disabled=${this._status.busy}>Change password</button>
        </form>
      </section>
      <data-settings .app=${this.app} .snapshot=${this.snapshot}></data-settings>
    `;
  }

  private _onDisplayName(event: Event): void {
    event.preventDefault();
    const displayName = formValue(event, 'displayName').trim();
    void this._status.run(
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
      this._status.say(
        'alerts',
        'The browser blocks notifications for this site. Allow them in the site settings, then turn this on again.',
        true,
      );
      return;
    }
    void this._status.run('alerts', () => this.app.updateSettings({ notifications: on }));
  }

  private _onSound(event: Event): void {
    const on = (event.target as HTMLInputElement).checked;
    void this._status.run('alerts', () => this.app.updateSettings({ sound: on }));
  }

  private _onChangePassword(event: Event): void {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const current = formValue(event, 'current');
    const next = formValue(event, 'next');
    if (!current || next.length < 10) {
      this._status.say(
        'password',
        'Type your current password and a new one of at least 10 characters.',
        true,
      );
      return;
    }
    void this._status.run(
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
