// A file in the conversation (issue 6): name, size and type first, Accept/Decline before
// anything is fetched, then a progress bar (role progressbar, named after the file) with
// speed and time left, Pause/Resume/Cancel, and "Download" once the whole-file SHA-256
// matched. Image previews show the verified file itself. States: waiting for a peer that
// has the file, verifying, failed, expired.
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { FileProgress, FileView, RoomController } from '../app/app-types';
import type { FileSummary } from '../core/files/file-views';
import { isPreviewable } from '../app/room-file-actions';
import { theme } from './theme';
import { describeError } from './shell-events';
import { fileStyles } from './file-styles';
import { formatBytes, formatSpeed, formatTimeLeft } from './file-format';

const STATE_WORDS: Partial<Record<FileView['state'], string>> = {
  preparing: 'Preparing…',
  waiting: 'Waiting for a peer that has the file',
  paused: 'Paused',
  verifying: 'Verifying…',
};

/** @fires file-resized - the card changed height (the virtual list measures rows again) */
@customElement('file-card')
export class FileCard extends LitElement {
  static override styles = [theme, fileStyles];

  @property({ attribute: false }) controller?: RoomController;
  @property({ attribute: false }) summary?: FileSummary;
  /** The offering message's id: the session is asked to know the file from it. */
  @property({ attribute: false }) messageId?: string;

  @state() private view: FileView | undefined;
  @state() private progress: FileProgress | undefined;
  @state() private previewUrl = '';
  @state() private error = '';
  @state() private busy = false;
  /** A track() call is on its way (one at a time; the next status change may ask again). */
  private tracking = false;

  private offs: (() => void)[] = [];
  private height = 0;
  /**
   * The last Download's object URL. NOTE: kept until the card goes away, not revoked on a
   * timer: the browser reads the blob for as long as the download runs (minutes for
   * gigabytes), and revoking it mid-way cuts the saved file short. It points at the copy
   * on disk, so keeping it costs no memory.
   */
  private downloadUrl = '';

  override connectedCallback(): void {
    super.connectedCallback();
    this.subscribe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe();
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    if (this.downloadUrl) URL.revokeObjectURL(this.downloadUrl);
    this.previewUrl = '';
    this.downloadUrl = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('controller') || changed.has('summary')) && this.isConnected) {
      this.subscribe();
    }
  }

  protected override updated(): void {
    const height = this.getBoundingClientRect().height;
    if (Math.abs(height - this.height) >= 1) {
      this.height = height;
      this.dispatchEvent(new Event('file-resized', { bubbles: true, composed: true }));
    }
  }

  private subscribe(): void {
    this.unsubscribe();
    const { controller, summary } = this;
    if (!controller || !summary) return;
    const id = summary.id;
    const refresh = (event: { id: string }) => {
      if (event.id === id) this.refresh();
    };
    this.offs = [
      controller.on('file-offered', refresh),
      controller.on('file-complete', refresh),
      controller.on('file-failed', refresh),
      controller.on('file-expired', refresh),
      controller.on('file-progress', (progress) => {
        if (progress.id !== id) return;
        this.progress = progress;
        if (progress.state !== this.view?.state) this.refresh();
      }),
      // The session (and with it the file's state) comes and goes with the connection.
      controller.on('status', () => this.refresh()),
    ];
    this.refresh();
  }

  private unsubscribe(): void {
    for (const off of this.offs.splice(0)) off();
  }

  private refresh(): void {
    const { controller, summary } = this;
    if (!controller || !summary) return;
    this.view = controller.files.view(summary.id);
    if (this.view?.state === 'complete') void this.loadPreview();
    // An offer from before a restart: the session learns of it when a screen shows it.
    if (!this.view && this.messageId && !this.tracking) {
      this.tracking = true;
      void controller.files
        .track(this.messageId)
        .then(() => {
          if (this.controller !== controller || this.summary !== summary) return;
          this.view = controller.files.view(summary.id);
          if (this.view?.state === 'complete') void this.loadPreview();
        })
        .finally(() => (this.tracking = false));
    }
  }

  private async loadPreview(): Promise<void> {
    const { controller, summary } = this;
    if (this.previewUrl || !controller || !summary || !isPreviewable(summary.type)) return;
    try {
      const blob = await controller.files.blob(summary.id, 'preview');
      if (!this.isConnected || this.previewUrl) return;
      this.previewUrl = URL.createObjectURL(blob);
    } catch {
      // No preview is not an error worth showing: Download says what is wrong, if anything.
    }
  }

  private async act(action: (id: string) => Promise<unknown> | void): Promise<void> {
    const summary = this.summary;
    if (!summary || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      await action(summary.id);
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = false;
      this.refresh();
    }
  }

  private async download(id: string): Promise<void> {
    const { controller, summary } = this;
    if (!controller || !summary) return;
    const blob = await controller.files.blob(id, 'download');
    this.downloadUrl ||= URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = this.downloadUrl;
    link.download = summary.name;
    link.rel = 'noopener';
    link.click();
  }

  override render() {
    const { summary, controller } = this;
    if (!summary || !controller) return nothing;
    const view = this.view;
    const files = controller.files;
    const facts = [formatBytes(summary.size), summary.type || 'unknown type'].join(' · ');
    return html`<div class="file" role="group" aria-label=${`File ${summary.name}`}>
      <span class="name">${summary.name}</span>
      <span class="facts">${facts}</span>
      ${this.renderBody(view, summary, files)}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </div>`;
  }

  private renderBody(
    view: FileView | undefined,
    summary: FileSummary,
    files: RoomController['files'],
  ) {
    if (!view) {
      return html`<span class="line">Available when the room is connected.</span>`;
    }
    const busy = this.busy;
    switch (view.state) {
      case 'offered':
        if (files.declined(view.id)) {
          return html`<span class="line">You declined this file.</span>
            <div class="actions">
              <button type="button" ?disabled=${busy} @click=${() => this.act(files.fetch)}>
                Accept
              </button>
            </div>`;
        }
        return html`<span class="line">${view.from} offers this file. Fetch it?</span>
          <div class="actions">
            <button
              type="button"
              class="primary"
              ?disabled=${busy}
              @click=${() => this.act(files.fetch)}
            >
              Accept
            </button>
            <button type="button" ?disabled=${busy} @click=${() => this.act(files.decline)}>
              Decline
            </button>
          </div>`;
      case 'preparing':
      case 'fetching':
      case 'waiting':
      case 'paused':
      case 'verifying':
        return this.renderTransfer(view, summary, files);
      case 'complete':
        return html`<span class="line">
            ${view.own ? 'Shared with the room' : 'Received and verified (SHA-256 matches)'}
          </span>
          ${
            this.previewUrl
              ? html`<img
                  class="preview"
                  src=${this.previewUrl}
                  alt=${`Preview of ${summary.name}`}
                />`
              : nothing
          }
          <div class="actions">
            <button
              type="button"
              class="primary"
              ?disabled=${busy}
              @click=${() => this.act((id) => this.download(id))}
            >
              Download
            </button>
          </div>`;
      case 'failed':
        return html`<span class="line failed" role="status">
            ${view.error?.message ?? 'The transfer failed.'}
          </span>
          <div class="actions">
            <button type="button" ?disabled=${busy} @click=${() => this.act(files.fetch)}>
              Try again
            </button>
          </div>`;
      case 'expired':
        return html`<span class="line">This file expired: it was deleted from this device.</span>`;
    }
  }

  private renderTransfer(view: FileView, summary: FileSummary, files: RoomController['files']) {
    const progress = this.progress?.state === view.state ? this.progress : undefined;
    const received = Math.max(view.received, progress?.received ?? 0);
    const words = [
      `${formatBytes(received)} of ${formatBytes(summary.size)}`,
      STATE_WORDS[view.state] ?? '',
      view.state === 'fetching' && progress?.bytesPerSecond
        ? formatSpeed(progress.bytesPerSecond)
        : '',
      view.state === 'fetching' ? formatTimeLeft(progress?.secondsLeft ?? null) : '',
    ].filter(Boolean);
    const busy = this.busy;
    return html`<progress
        aria-label=${summary.name}
        max=${Math.max(1, summary.size)}
        .value=${received}
      ></progress>
      <span class="line">${words.join(' · ')}</span>
      <div class="actions">
        ${
          view.state === 'paused'
            ? html`<button type="button" ?disabled=${busy} @click=${() => this.act(files.resume)}>
                Resume
              </button>`
            : view.state === 'fetching' || view.state === 'waiting'
              ? html`<button type="button" ?disabled=${busy} @click=${() => this.act(files.pause)}>
                  Pause
                </button>`
              : nothing
        }
        ${
          view.own || view.state === 'verifying'
            ? nothing
            : html`<button type="button" ?disabled=${busy} @click=${() => this.act(files.cancel)}>
                Cancel
              </button>`
        }
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'file-card': FileCard;
  }
}
