// The "Messages" list: virtualized, so 100,000 stored messages cost what a screenful does.
// Only the rows in view (plus a margin) are in the DOM; older pages come from
// controller.page() as the person scrolls up (MessageHistory holds what is loaded).
//
// NOTE: the scroller is `flex-direction: column-reverse`, so its scroll origin is the
// bottom: it sticks to the newest message by itself, and pages added at the top (older
// history) or rows measured above the view never move what is on screen. Only changes
// below the view (a new message while scrolled up) need the correction in restoreAnchor().
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { MessageView, RoomController } from '../app/app-types';
import { theme } from './theme';
import { MessageHistory } from './message-history';
import { MessageLayout, type RowRange } from './message-layout';
import { renderMessageRow } from './message-row';
import { messageListStyles } from './message-list-styles';

/** Rows kept rendered beyond the view, in pixels, so fast scrolling shows no gaps. */
const OVERSCAN = 800;
/** Start fetching older history when the view is this close to the top. */
const PREFETCH_DISTANCE = 2000;
/** How close to the bottom still counts as "at the bottom" (sub-pixel scroll offsets). */
const BOTTOM_SLACK = 4;

interface Anchor {
  id: string;
  index: number;
  bottom: number;
  fromBottom: number;
}

/** @fires load-error - detail: the failure, when history cannot be read */
@customElement('message-list')
export class MessageList extends LitElement {
  static override styles = [theme, messageListStyles];

  @property({ attribute: false }) controller?: RoomController;

  @state() private range: RowRange = { start: 0, end: 0 };
  /** Messages from others that arrived while the person was scrolled up. */
  @state() private unseen = 0;

  @query('.scroller') private scroller?: HTMLElement;
  @query('.spacer') private spacer?: HTMLElement;
  @query('.window') private window?: HTMLElement;

  private history: MessageHistory | undefined;
  private readonly layout = new MessageLayout();
  private anchor: Anchor | null = null;
  private atBottom = true;
  private frame = 0;
  /** The newest message when markRead() was last called (scrolling must not repeat it). */
  private lastReadId: string | undefined;

  private get messages(): readonly MessageView[] {
    return this.history?.messages ?? [];
  }

  /** Adds or updates a message (e.g. the one the composer just sent) and shows it. */
  upsert(message: MessageView): void {
    if (message.own) this.atBottom = true;
    this.history?.upsert(message);
  }

  /** Scrolls to the newest message. */
  scrollToBottom(): void {
    this.atBottom = true;
    this.unseen = 0;
    if (this.scroller) this.scroller.scrollTop = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Coming back to the tab with the newest messages on screen: now they are seen.
    document.addEventListener('visibilitychange', this.onVisibility);
    // The first update attaches; this is for an element moved back into the page.
    if (this.hasUpdated && this.controller && !this.history) this.attach(this.controller);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.detach();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) {
      this.detach();
      if (this.controller && this.isConnected) this.attach(this.controller);
    }
  }

  private attach(controller: RoomController): void {
    this.layout.setIds([]);
    this.range = { start: 0, end: 0 };
    this.atBottom = true;
    this.unseen = 0;
    this.anchor = null;
    this.lastReadId = undefined;
    const history = new MessageHistory(controller, {
      beforeChange: () => {
        if (!this.anchor) this.captureAnchor();
      },
      changed: (idsChanged) => {
        if (idsChanged) this.layout.setIds(history.messages.map((m) => m.id));
        this.requestUpdate();
      },
      arrived: (message) => {
        if (!this.atBottom && !message.own) this.unseen += 1;
        this.markReadIfSeen();
      },
      error: (error) => this.dispatchEvent(new CustomEvent('load-error', { detail: error })),
    });
    this.history = history;
    history.start();
  }

  private detach(): void {
    this.history?.stop();
    this.history = undefined;
    cancelAnimationFrame(this.frame);
  }

  private fromBottom(): number {
    return Math.max(0, -(this.scroller?.scrollTop ?? 0));
  }

  /** Remembers the newest row in view and where it is, to keep it there after a change. */
  private captureAnchor(): void {
    const scroller = this.scroller;
    if (!scroller || this.atBottom || this.layout.count === 0) {
      this.anchor = null;
      return;
    }
    const fromBottom = this.fromBottom();
    const { end } = this.layout.range(fromBottom, scroller.clientHeight, 0);
    const index = Math.max(0, end - 1);
    const id = this.messages[index]?.id;
    this.anchor = id ? { id, index, bottom: this.layout.bottomOf(index), fromBottom } : null;
  }

  private restoreAnchor(): void {
    const scroller = this.scroller;
    const anchor = this.anchor;
    this.anchor = null;
    if (!scroller) return;
    if (this.atBottom) {
      scroller.scrollTop = 0;
      return;
    }
    if (!anchor) return;
    const index = this.layout.indexOf(anchor.id, anchor.index);
    if (index < 0) return;
    const shift = this.layout.bottomOf(index) - anchor.bottom;
    if (Math.abs(shift) >= 0.5) scroller.scrollTop = -(anchor.fromBottom + shift);
  }

  private onScroll(): void {
    this.atBottom = this.fromBottom() <= BOTTOM_SLACK;
    if (this.atBottom && this.unseen) this.unseen = 0;
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.updateRange());
  }

  /** Picks the rows to render for the current scroll position; fetches older pages. */
  private updateRange(): void {
    const scroller = this.scroller;
    if (!scroller) return;
    const fromBottom = this.fromBottom();
    const viewport = scroller.clientHeight;
    const next = this.layout.range(fromBottom, viewport, OVERSCAN);
    if (next.start !== this.range.start || next.end !== this.range.end) this.range = next;
    const toTop = this.layout.total - fromBottom - viewport;
    if (toTop < PREFETCH_DISTANCE) void this.history?.loadOlder();
    if (this.atBottom) this.markReadIfSeen();
  }

  /** At the bottom of a visible page, everything is seen: once per newest message. */
  private markReadIfSeen(): void {
    const newest = this.messages.at(-1)?.id;
    if (!this.atBottom || !this.history?.loaded || document.visibilityState !== 'visible') return;
    if (!newest || newest === this.lastReadId) return;
    this.lastReadId = newest;
    this.controller?.markRead();
  }

  private readonly onVisibility = () => this.markReadIfSeen();

  /**
   * Sizes the spacer and places the rendered rows. NOTE: through CSSOM, not a bound style
   * attribute: the strict CSP blocks style attributes, and lit's styleMap writes one on its
   * first render.
   */
  private place(): void {
    const end = Math.min(this.range.end, this.messages.length);
    const bottom = end > 0 ? this.layout.bottomOf(end - 1) : 0;
    this.spacer?.style.setProperty('height', `${this.layout.total}px`);
    this.window?.style.setProperty('bottom', `${bottom}px`);
  }

  protected override updated(): void {
    this.place();
    // Measure the rows on screen; their real heights replace the estimate.
    const rows = this.renderRoot.querySelectorAll<HTMLElement>('.message[data-id]');
    let changed = false;
    if (rows.length && !this.anchor) this.captureAnchor();
    for (const row of rows) {
      changed = this.layout.measure(row.dataset.id!, row.getBoundingClientRect().height) || changed;
    }
    if (changed) {
      this.layout.rebuild();
      this.place();
    }
    this.restoreAnchor();
    const scroller = this.scroller;
    if (!scroller) return;
    const next = this.layout.range(this.fromBottom(), scroller.clientHeight, OVERSCAN);
    // A new range renders again and measures again; heights settle after a pass or two.
    if (next.start !== this.range.start || next.end !== this.range.end) this.range = next;
    else if (changed) this.requestUpdate();
    const toTop = this.layout.total - this.fromBottom() - scroller.clientHeight;
    if (toTop < PREFETCH_DISTANCE) void this.history?.loadOlder();
    this.markReadIfSeen();
  }

  override render() {
    const total = this.history?.total;
    const loaded = this.history?.loaded ?? false;
    const { start, end } = this.range;
    const visible = this.messages.slice(start, Math.min(end, this.messages.length));
    const firstPosition =
      total !== undefined ? total - this.messages.length + start + 1 : undefined;
    const now = Date.now();
    // The scroller takes keyboard focus (arrows, Page Up/Down scroll it); the list inside
    // holds only message rows, as a list should.
    // file-resized: a file card grew or shrank (progress, preview): measure rows again.
    return html`<div
        class="scroller"
        tabindex="0"
        @scroll=${this.onScroll}
        @file-resized=${() => this.requestUpdate()}
      >
        <div class="spacer">
          <div
            class="window"
            role="list"
            aria-label="Messages"
            aria-busy=${loaded ? 'false' : 'true'}
          >
            ${repeat(
              visible,
              (m) => m.id,
              (m, i) =>
                renderMessageRow(
                  m,
                  firstPosition !== undefined ? firstPosition + i : undefined,
                  total,
                  now,
                  this.controller,
                ),
            )}
          </div>
        </div>
        ${this.renderTopNote()}
      </div>
      ${
        this.unseen
          ? html`<button type="button" class="jump" @click=${this.scrollToBottom}>
              ${this.unseen === 1 ? '1 new message' : `${this.unseen} new messages`}
              <span aria-hidden="true">↓</span>
            </button>`
          : nothing
      }`;
  }

  private renderTopNote() {
    const history = this.history;
    if (!history?.loaded) return html`<p class="note" role="status">Loading messages…</p>`;
    if (this.messages.length === 0) {
      return html`<p class="note">
        No messages yet. Say hello: only people in this room can read it.
      </p>`;
    }
    if (history.loadingOlder)
      return html`<p class="note" role="status">Loading older messages…</p>`;
    if (history.exhausted) return html`<p class="note">The conversation starts here.</p>`;
    return nothing;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'message-list': MessageList;
  }
}
