// The busy flag and the per-section result lines of a settings form (Settings has several
// small forms; each says "done" or what went wrong right under itself). A Lit reactive
// controller, so every settings element shares one implementation of it.
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { describeError } from './shell-events';

interface SectionMessage {
  text: string;
  error: boolean;
}

export class SectionStatus implements ReactiveController {
  /** True while an action runs: the forms disable their buttons. */
  busy = false;
  private messages: Record<string, SectionMessage> = {};

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** The section's last result: an alert for an error, a status line otherwise. */
  message(section: string) {
    const message = this.messages[section];
    // An empty line stays once a section was used: a live region must exist before its
    // text changes for screen readers to announce it.
    if (!message) return nothing;
    return message.error
      ? html`<p class="error" role="alert">${message.text}</p>`
      : html`<p class="notice" role="status">${message.text}</p>`;
  }

  /** Shows `text` under the section (an error when `error`). */
  say(section: string, text: string, error = false): void {
    this.messages = { ...this.messages, [section]: { text, error } };
    this.host.requestUpdate();
  }

  /** Runs `action` with the forms disabled; says `done` or what went wrong. */
  async run(section: string, action: () => Promise<void>, done = ''): Promise<void> {
    this.busy = true;
    this.say(section, '');
    try {
      await action();
      this.say(section, done);
    } catch (error) {
      this.say(section, describeError(error), true);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }
}

/** A named field of the form that raised `event` (a submit event). */
export function formValue(event: Event, name: string): string {
  const form = event.currentTarget as HTMLFormElement;
  return String(new FormData(form).get(name) ?? '');
}
