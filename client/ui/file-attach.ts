// "Attach file" beside the composer (issue 6): picks files (or takes dropped ones, or ones
// shared to the installed app), then sends them one after another: each is hashed and
// sealed on this device first (a progress bar named after the file), then offered to the
// room, where it appears as a message with its own card.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { FileProgress, RoomController } from '../app/app-types';
import { theme } from './theme';
import { describeError } from './shell-events';
import { fileStyles } from './file-styles';
import { formatBytes } from './file-format';
import { formatByteLimit } from '../core/files/file-size-limit';
import {
  discardSharedFile,
  listSharedFiles,
  takeSharedFile,
  type SharedFile,
} from './shared-inbox';

interface Outgoing {
  file: File;
  prepared: number;
}

@customElement('file-attach')
export class FileAttach extends LitElement {
  static override styles = [
    theme,
    fileStyles,
    css`
      .outgoing {
        display: grid;
        gap: 6px;
      }
      .outgoing:empty {
        display: none;
      }
      input[type='file'] {
        display: none;
      }
      .limit {
        margin-left: 8px;
        color: var(--text-dim);
      }
    `,
  ];

  @property({ attribute: false }) controller?: RoomController;
  @property({ type: Boolean }) disabled = false;

  @state() private outgoing: Outgoing[] = [];
  @state() private shared: SharedFile[] = [];
  @state() private error = '';

  @query('input[type=file]') private input?: HTMLInputElement;

  private queue: Promise<void> = Promise.resolve();
  private offProgress: (() => void) | undefined;
  private offStatus: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadShared();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offProgress?.();
    this.offStatus?.();
    this.offStatus = undefined;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('controller') && this.offStatus) return;
    // The room's file size limit arrives with its connection: show it once known.
    this.offStatus?.();
    this.offStatus = this.controller?.on('status', () => this.requestUpdate());
  }

  private async loadShared(): Promise<void> {
    try {
      this.shared = await listSharedFiles();
    } catch {
      this.shared = [];
    }
  }

  /** Sends these files, in order (drag and drop and the share target come here too). */
  attach(files: Iterable<File>): void {
    const controller = this.controller;
    if (!controller || this.disabled) return;
    this.error = '';
    for (const file of files) {
      const item: Outgoing = { file, prepared: 0 };
      this.outgoing = [...this.outgoing, item];
      this.queue = this.queue.then(() => this.send(controller, item));
    }
  }

  private async send(controller: RoomController, item: Outgoing): Promise<void> {
    // One file is prepared at a time: its 'preparing' progress is this one's.
    this.offProgress = controller.on('file-progress', (progress: FileProgress) => {
      if (progress.state !== 'preparing') return;
      item.prepared = progress.received;
      this.outgoing = [...this.outgoing];
    });
    try {
      await controller.files.send(item.file);
    } catch (error) {
      this.error = `"${item.file.name}" was not sent: ${describeError(error)}`;
    } finally {
      this.offProgress?.();
      this.offProgress = undefined;
      this.outgoing = this.outgoing.filter((o) => o !== item);
    }
  }

  private onPicked(): void {
    const input = this.input;
    if (!input?.files) return;
    this.attach([...input.files]);
    input.value = '';
  }

  private async sendShared(shared: SharedFile): Promise<void> {
    try {
      const file = await takeSharedFile(shared);
      if (file) this.attach([file]);
      await discardSharedFile(shared);
    } catch (error) {
      this.error = describeError(error);
    }
    await this.loadShared();
  }

  private async discardShared(shared: SharedFile): Promise<void> {
    await discardSharedFile(shared).catch(() => undefined);
    await this.loadShared();
  }

  override render() {
    return html`<button
        type="button"
        ?disabled=${this.disabled || !this.controller}
        @click=${() => this.input?.click()}
      >
        <span aria-hidden="true">📎</span> Attach file
      </button>
      ${this.renderLimit()}
      <input type="file" multiple tabindex="-1" aria-hidden="true" @change=${this.onPicked} />
      ${this.renderShared()}
      <div class="outgoing">
        ${this.outgoing.map(
          (item) =>
            html`<div class="file">
              <span class="name">${item.file.name}</span>
              <progress
                aria-label=${item.file.name}
                max=${Math.max(1, item.file.size)}
                .value=${item.prepared}
              ></progress>
              <span class="line">
                Encrypting on this device: ${formatBytes(item.prepared)} of
                ${formatBytes(item.file.size)}
              </span>
            </div>`,
        )}
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`;
  }

  private renderLimit() {
    const limit = this.controller?.files.maxFileBytes();
    return limit === undefined
      ? nothing
      : html`<small class="limit">Files up to ${formatByteLimit(limit)} in this room</small>`;
  }

  private renderShared() {
    if (this.shared.length === 0) return nothing;
    return html`<div class="outgoing" role="group" aria-label="Files shared with this app">
      ${this.shared.map(
        (shared) =>
          html`<div class="file">
            <span class="name">${shared.name}</span>
            <span class="facts">Shared with this app · ${formatBytes(shared.size)}</span>
            <div class="actions">
              <button
                type="button"
                class="primary"
                ?disabled=${this.disabled}
                @click=${() => this.sendShared(shared)}
              >
                Send here
              </button>
              <button type="button" @click=${() => this.discardShared(shared)}>Discard</button>
            </div>
          </div>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'file-attach': FileAttach;
  }
}
