// The composer: "Message" and "Send". Enter sends, Shift+Enter starts a new line. What is
// typed is saved as a draft on the device (encrypted by the app) so a reload loses nothing,
// and others see "typing…" while the person types.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { MessageView, RoomController } from '../app/app-types';
import { theme } from './theme';
import { describeError } from './shell-events';

/** Save the draft this long after the last keystroke (not on every key). */
const DRAFT_DELAY_MS = 400;
/** "Typing" ends this long after the last keystroke. */
const TYPING_IDLE_MS = 5000;

/**
 * @fires message-sent - detail: the MessageView send() returned (the list shows it at once)
 */
@customElement('composer-box')
export class ComposerBox extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      form {
        display: flex;
        gap: 8px;
        align-items: flex-end;
      }
      textarea {
        flex: 1;
        min-height: 44px;
        max-height: 40vh;
        resize: none;
        field-sizing: content;
        padding: 10px 12px;
        border-radius: 12px;
        border: 1px solid var(--glass-border);
        background: rgba(0, 0, 0, 0.25);
        color: var(--text);
        font: inherit;
      }
      .error {
        margin-top: 8px;
      }
      .draft {
        margin: 2px 4px 0;
        min-height: 1.1em;
        font-size: 0.75rem;
        color: var(--text-dim);
      }
    `,
  ];

  @property({ attribute: false }) controller?: RoomController;
  /** Why sending is impossible (room closed, removed); the box is locked when set. */
  @property() lockedReason = '';

  @state() private text = '';
  @state() private error = '';
  /** The text last saved as the draft (the note under the box says it is kept). */
  @state() private savedDraft = '';

  @query('textarea') private textarea?: HTMLTextAreaElement;

  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private typing = false;
  /** Sends in flight, chained so messages keep the order they were written in. */
  private queue: Promise<void> = Promise.resolve();
  /** Text edited since the draft was loaded: a late loadDraft() must not overwrite it. */
  private edited = false;

  override focus(): void {
    this.textarea?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) {
      const previous = changed.get('controller');
      if (previous) this.flush(previous);
      this.text = '';
      this.savedDraft = '';
      this.error = '';
      this.edited = false;
      if (this.controller) void this.loadDraft(this.controller);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.controller) this.flush(this.controller);
  }

  private async loadDraft(controller: RoomController): Promise<void> {
    try {
      const draft = await controller.loadDraft();
      if (controller === this.controller && !this.edited) {
        this.text = draft;
        this.savedDraft = draft;
      }
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private async saveDraft(controller: RoomController, text: string): Promise<void> {
    try {
      await controller.saveDraft(text);
      if (controller === this.controller) this.savedDraft = text;
    } catch (error) {
      if (controller === this.controller) this.error = describeError(error);
    }
  }

  /** Saves the draft now and stops "typing" (leaving the box, the room, switching rooms). */
  private flush(controller: RoomController): void {
    if (this.draftTimer !== undefined) {
      clearTimeout(this.draftTimer);
      this.draftTimer = undefined;
      void this.saveDraft(controller, this.text);
    }
    this.stopTyping(controller);
  }

  private onBlur(): void {
    if (this.controller) this.flush(this.controller);
  }

  private onInput(event: InputEvent): void {
    this.text = (event.target as HTMLTextAreaElement).value;
    this.edited = true;
    this.error = '';
    const controller = this.controller;
    if (!controller) return;
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => {
      this.draftTimer = undefined;
      void this.saveDraft(controller, this.text);
    }, DRAFT_DELAY_MS);
    if (!this.typing && this.text.trim()) {
      this.typing = true;
      controller.setTyping(true);
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(controller), TYPING_IDLE_MS);
  }

  private stopTyping(controller: RoomController): void {
    clearTimeout(this.typingTimer);
    if (!this.typing) return;
    this.typing = false;
    controller.setTyping(false);
  }

  private onKeyDown(event: KeyboardEvent): void {
    // isComposing: Enter that confirms an IME candidate (Japanese, Chinese...) is not "send".
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.send();
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.send();
  }

  /**
   * Sends what is in the box. The box empties at once, so the next message can be typed
   * (and sent) while this one is on its way; sends go out one after another, in order.
   */
  private send(): void {
    const controller = this.controller;
    const text = this.text;
    if (!controller || this.lockedReason || !text.trim()) return;
    this.text = '';
    this.error = '';
    clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    this.stopTyping(controller);
    this.textarea?.focus();
    this.queue = this.queue.then(() => this.deliver(controller, text));
  }

  private async deliver(controller: RoomController, text: string): Promise<void> {
    try {
      const message: MessageView = await controller.send(text);
      this.dispatchEvent(new CustomEvent('message-sent', { detail: message }));
    } catch (error) {
      // Not stored: the text goes back in the box (before anything typed since), so
      // nothing typed is lost, and the person can try again.
      this.error = describeError(error);
      this.text = this.text ? `${text}\n${this.text}` : text;
    }
    if (controller === this.controller) await this.saveDraft(controller, this.text);
  }

  override render() {
    const locked = Boolean(this.lockedReason);
    return html`<form @submit=${this.onSubmit}>
        <textarea
          aria-label="Message"
          placeholder=${locked ? this.lockedReason : 'Write a message'}
          rows="1"
          .value=${this.text}
          ?disabled=${locked}
          @input=${this.onInput}
          @keydown=${this.onKeyDown}
          @blur=${this.onBlur}
        ></textarea>
        <button type="submit" class="primary" ?disabled=${locked}>Send</button>
      </form>
      <p class="draft" role="status">
        ${
          this.savedDraft.trim() && this.savedDraft === this.text
            ? 'Draft saved on this device'
            : ''
        }
      </p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'composer-box': ComposerBox;
  }
}
