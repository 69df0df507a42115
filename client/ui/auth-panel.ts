import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { App } from '../app/app-types';
import './install-button';
import { describeError, errorCode } from './shell-events';
import { theme } from './theme';

type Mode = 'sign-in' | 'forgot' | 'reset';

/**
 * Signing in: "Username" and "Password" with "Log in" and "Register", plus "Forgot password"
 * (asks the server to mail a reset link) and the form that link opens (/reset#token=...).
 * @fires reset-token-used - the reset link was used or abandoned
 */
@customElement('auth-panel')
export class AuthPanel extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        max-width: 440px;
        margin: 6vh auto 0;
        padding: 0 12px;
      }
      .brand {
        text-align: center;
        margin-bottom: 20px;
      }
      .brand h1 {
        font-size: 1.7rem;
        margin-bottom: 6px;
      }
      .buttons {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 8px;
      }
    `,
  ];

  @property({ attribute: false }) app!: App;
  /** A reset token from a mailed link: the panel opens on "Choose a new password". */
  @property({ attribute: false }) resetToken: string | null = null;
  /** Shown when a room link is waiting for sign-in. */
  @property({ type: Boolean }) joining = false;

  @state() private _mode: Mode = 'sign-in';
  @state() private _busy = false;
  @state() private _error = '';
  @state() private _errorCode: string | undefined;
  @state() private _notice = '';

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('resetToken') && this.resetToken) this._mode = 'reset';
  }

  override render() {
    return html`
      <div class="brand">
        <h1>Secure Chat</h1>
        <p class="hint">End-to-end encrypted rooms, straight between devices.</p>
        <install-button></install-button>
      </div>
      <section class="panel">
        ${
          this._mode === 'sign-in'
            ? this._renderSignIn()
            : this._mode === 'forgot'
              ? this._renderForgot()
              : this._renderReset()
        }
      </section>
    `;
  }

  private _renderSignIn() {
    return html`
      <h2 id="auth-title">Log in or register</h2>
      ${
        this.joining
          ? html`<p class="notice" role="status">Sign in to join the room from your link.</p>`
          : nothing
      }
      <form @submit=${this._onLogin} novalidate>
        <label
          >Username
          <input
            name="username"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck="false"
            required
        /></label>
        <label
          >Password <input name="password" type="password" autocomplete="current-password" required
        /></label>
        ${this._renderMessages()}
        <div class="buttons">
          <button class="primary" type="submit" ?disabled=${this._busy}>Log in</button>
          <button type="button" ?disabled=${this._busy} @click=${this._onRegister}>Register</button>
        </div>
        <p class="hint">New here? Pick a username and a password of at least 10 characters.</p>
        <button type="button" class="link" @click=${() => this._switch('forgot')}>
          Forgot password
        </button>
      </form>
    `;
  }

  private _renderForgot() {
    return html`
      <h2 id="auth-title">Forgot password</h2>
      <p class="hint">
        If your account has an email address, we send it a link to choose a new password.
      </p>
      <form @submit=${this._onForgot} novalidate>
        <label
          >Username
          <input name="username" type="text" autocomplete="username" autocapitalize="none"
        /></label>
        ${this._renderMessages()}
        <button class="primary" type="submit" ?disabled=${this._busy}>Send reset link</button>
        <button type="button" class="link" @click=${() => this._switch('sign-in')}>
          Back to log in
        </button>
      </form>
    `;
  }

  private _renderReset() {
    return html`
      <h2 id="auth-title">Choose a new password</h2>
      <form @submit=${this._onReset} novalidate>
        <label
          >New password
          <input name="password" type="password" autocomplete="new-password" minlength="10"
        /></label>
        ${this._renderMessages()}
        <button class="primary" type="submit" ?disabled=${this._busy}>Set new password</button>
        <button type="button" class="link" @click=${() => this._switch('sign-in')}>
          Back to log in
        </button>
      </form>
    `;
  }

  private _renderMessages() {
    return html`
      ${
        this._error
          ? html`<p class="error" role="alert">
              ${this._error}
              ${
                this._errorCode === 'unauthenticated' && this._mode === 'sign-in'
                  ? html`<button type="button" class="link" @click=${() => this._switch('forgot')}>
                      Reset your password
                    </button>`
                  : nothing
              }
            </p>`
          : nothing
      }
      ${this._notice ? html`<p class="notice" role="status">${this._notice}</p>` : nothing}
    `;
  }

  private _switch(mode: Mode): void {
    if (this._mode === 'reset') this._dropResetToken();
    this._mode = mode;
    this._error = '';
    this._errorCode = undefined;
    this._notice = '';
  }

  /** A reset token works once: tell <app-root> to forget it too. */
  private _dropResetToken(): void {
    this.resetToken = null;
    this.dispatchEvent(new CustomEvent('reset-token-used', { bubbles: true, composed: true }));
  }

  private _fields(): { username: string; password: string } {
    const form = this.renderRoot.querySelector('form');
    const data = new FormData(form ?? undefined);
    return {
      username: String(data.get('username') ?? '').trim(),
      password: String(data.get('password') ?? ''),
    };
  }

  private async _run(action: () => Promise<void>, notice = ''): Promise<void> {
    this._busy = true;
    this._error = '';
    this._errorCode = undefined;
    this._notice = '';
    try {
      await action();
      this._notice = notice;
    } catch (error) {
      this._error = describeError(error);
      this._errorCode = errorCode(error);
    } finally {
      this._busy = false;
    }
  }

  private _missing(username: string, password: string | null): string {
    if (!username) return 'Enter your username.';
    if (password !== null && !password) return 'Enter your password.';
    return '';
  }

  private _onLogin(event: Event): void {
    event.preventDefault();
    const { username, password } = this._fields();
    const missing = this._missing(username, password);
    if (missing) {
      this._error = missing;
      return;
    }
    void this._run(() => this.app.login(username, password));
  }

  private _onRegister(): void {
    const { username, password } = this._fields();
    const missing = this._missing(username, password);
    if (missing) {
      this._error = missing.replace('your', 'a');
      return;
    }
    if (password.length < 10) {
      this._error = 'Choose a password of at least 10 characters.';
      return;
    }
    void this._run(() => this.app.register(username, password));
  }

  private _onForgot(event: Event): void {
    event.preventDefault();
    const { username } = this._fields();
    const missing = this._missing(username, null);
    if (missing) {
      this._error = missing;
      return;
    }
    void this._run(
      () => this.app.requestPasswordReset(username),
      'If that account has an email address, a reset link is on its way. Check your inbox.',
    );
  }

  private _onReset(event: Event): void {
    event.preventDefault();
    const { password } = this._fields();
    const token = this.resetToken;
    if (!token) {
      this._error = 'This reset link is incomplete. Ask for a new one with "Forgot password".';
      return;
    }
    if (password.length < 10) {
      this._error = 'Choose a password of at least 10 characters.';
      return;
    }
    void this._run(async () => {
      await this.app.confirmPasswordReset(token, password);
      this._dropResetToken();
      this._mode = 'sign-in';
    }, 'Your password is changed. Log in with the new one.');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-panel': AuthPanel;
  }
}
