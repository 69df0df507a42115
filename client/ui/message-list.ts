// The "Messages" list: virtualized, so 100,000 stored messages cost what a screenful does.
// Only the rows in view (plus a margin) are in the DOM; older pages come from
// controller.page() as the person scrolls up.
//
// NOTE: the scroller is `flex-direction: column-reverse`, so its scroll origin is the
// bottom: it sticks to the newest message by itself, and pages added at the top (older
// history) or rows measured above the view never move what is on screen. Only changes
// below the view (a new message while scrolled up) need the correction in restoreAnchor().
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { laterDeliveryState } from '../core/history-store';
import type { MessageView, RoomController } from '../app/app-types';
import { theme } from './theme';
import { MessageLayout, type RowRange } from './message-layout';
import { renderMessageRow } from './message-row';
import { messageListStyles } from './message-list-styles';

const PAGE_SIZE = 100;
/** Rows kept rendered beyond the view, in pixels, so fast scrolling shows no gaps. */
const OVERSCAN = 800;
/** Start fetching older history when the view is this close to the top. */
const PREFETCH_DISTANCE = 2000;
/** How close to the bottom still counts as "at the bottom" (sub-pixel scroll offsets). */
const BOTTOM_SLACK = 4;

function compareMessages(a: MessageView, b: MessageView): number {
  if (a.lamport !== b.lamport) return a.lamport - b.lamport;
  if (a.authorDevice !== b.authorDevice) return a.authorDevice < b.authorDevice ? -1 : 1;
  return a.counter - b.counter;
}

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

  /** Loaded history: a contiguous run ending at the newest message, oldest first. */
  @state() private messages: MessageView[] = [];
  @state() private range: RowRange = { start: 0, end: 0 };
  @state() private loadingOlder = false;
  @state() private exhausted = false;
  @state() private loaded = false;
  /** Messages stored for the room, for aria-setsize; grows with new messages. */
  @state() private total: number | undefined;

  @query('.scroller') private scroller?: HTMLElement;
  @query('.spacer') private spacer?: HTMLElement;
  @query('.window') private window?: HTMLElement;

  private readonly layout = new MessageLayout();
  private unsubscribe: (() => void)[] = [];
  private anchor: Anchor | null = null;
  private atBottom = true;
  private frame = 0;
  /** Bumped per controller, so a late page of the previous room is dropped. */
  private generation = 0;

  /** Adds or updates a message (e.g. the one the composer just sent). */
  upsert(message: MessageView): void {
    this.captureAnchor();
    const index = this.messages.findIndex((m) => m.id === message.id);
    if (index >= 0) {
      const before = this.messages[index]!;
      const next = { ...message, state: laterDeliveryState(before.state, message.state) };
      this.messages = this.messages.with(index, next);
      return;
    }
    const oldest = this.messages[0];
    // Older than what is loaded: it will come with its page (if history is not all here).
    if (oldest && !this.exhausted && compareMessages(message, oldest) < 0) return;
    const at = this.insertionIndex(message);
    this.messages = [...this.messages.slice(0, at), message, ...this.messages.slice(at)];
    if (this.total !== undefined) this.total += 1;
    this.layout.setIds(this.messages.map((m) => m.id));
    if (message.own) this.atBottom = true;
  }

  /** Scrolls to the newest message. */
  scrollToBottom(): void {
    this.atBottom = true;
    if (this.scroller) this.scroller.scrollTop = 0;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.detach();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The first update attaches; this is for an element moved back into the page.
    if (this.hasUpdated && this.controller && this.unsubscribe.length === 0) {
      this.reset();
      this.attach(this.controller);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) {
      this.detach();
      this.reset();
      if (this.controller && this.isConnected) this.attach(this.controller);
    }
  }

  private reset(): void {
    this.messages = [];
    this.layout.setIds([]);
    this.range = { start: 0, end: 0 };
    this.exhausted = false;
    this.loaded = false;
    this.total = undefined;
    this.atBottom = true;
    this.anchor = null;
  }

  private attach(controller: RoomController): void {
    const generation = ++this.generation;
    this.unsubscribe = [
      controller.on('message', (message) => {
        this.upsert(message);
        this.markReadIfSeen();
      }),
      controller.on('delivery', ({ id, state }) => this.setDelivery(id, state)),
    ];
    void this.loadInitial(controller, generation);
  }

  private detach(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.generation++;
    cancelAnimationFrame(this.frame);
  }

  private async loadInitial(controller: RoomController, generation: number): Promise<void> {
    try {
      const [total, page] = await Promise.all([
        controller.count(),
        controller.page({ limit: PAGE_SIZE }),
      ]);
      if (generation !== this.generation) return;
      // Live messages may have arrived while the page was read: keep both, once each.
      const live = this.messages.filter((m) => !page.some((p) => p.id === m.id));
      this.messages = [...page, ...live].sort(compareMessages);
      this.total = Math.max(total, this.messages.length);
      this.exhausted = page.length < PAGE_SIZE;
      this.layout.setIds(this.messages.map((m) => m.id));
      this.loaded = true;
      this.markReadIfSeen();
    } catch (error) {
      this.reportError(error);
    }
  }

  private async loadOlder(): Promise<void> {
    const controller = this.controller;
    const oldest = this.messages[0];
    if (!controller || !oldest || this.loadingOlder || this.exhausted) return;
    const generation = this.generation;
    this.loadingOlder = true;
    try {
      const page = await controller.page({ beforeId: oldest.id, limit: PAGE_SIZE });
      if (generation !== this.generation) return;
      const known = new Set(this.messages.map((m) => m.id));
      const older = page.filter((m) => !known.has(m.id));
      this.exhausted = page.length < PAGE_SIZE;
      if (older.length) {
        this.messages = [...older, ...this.messages];
        this.layout.setIds(this.messages.map((m) => m.id));
      }
    } catch (error) {
      this.reportError(error);
    } finally {
      if (generation === this.generation) this.loadingOlder = false;
    }
  }

  private setDelivery(id: string, state: MessageView['state']): void {
    const index = this.messages.findIndex((m) => m.id === id);
    if (index < 0) return;
    const before = this.messages[index]!;
    const next = laterDeliveryState(before.state, state);
    if (next !== before.state)
      this.messages = this.messages.with(index, { ...before, state: next });
  }

  private insertionIndex(message: MessageView): number {
    let lo = 0;
    let hi = this.messages.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareMessages(this.messages[mid]!, message) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private reportError(error: unknown): void {
    this.dispatchEvent(new CustomEvent('load-error', { detail: error }));
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
    if (toTop < PREFETCH_DISTANCE && this.loaded) void this.loadOlder();
    if (this.atBottom) this.markReadIfSeen();
  }

  private markReadIfSeen(): void {
    if (this.atBottom && this.loaded && document.visibilityState === 'visible') {
      this.controller?.markRead();
    }
  }

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
    if (this.loaded && !this.exhausted && !this.loadingOlder) {
      const toTop = this.layout.total - this.fromBottom() - scroller.clientHeight;
      if (toTop < PREFETCH_DISTANCE) void this.loadOlder();
    }
  }

  override render() {
    const { start, end } = this.range;
    const visible = this.messages.slice(start, Math.min(end, this.messages.length));
    const firstPosition =
      this.total !== undefined ? this.total - this.messages.length + start + 1 : undefined;
    const now = Date.now();
    // The scroller takes keyboard focus (arrows, Page Up/Down scroll it); the list inside
    // holds only message rows, as a list should.
    return html`<div class="scroller" tabindex="0" @scroll=${this.onScroll}>
      <div class="spacer">
        <div
          class="window"
          role="list"
          aria-label="Messages"
          aria-busy=${this.loaded ? 'false' : 'true'}
        >
          ${repeat(
            visible,
            (m) => m.id,
            (m, i) =>
              renderMessageRow(
                m,
                firstPosition !== undefined ? firstPosition + i : undefined,
                this.total,
                now,
              ),
          )}
        </div>
      </div>
      ${this.renderTopNote()}
    </div>`;
  }

  private renderTopNote() {
    if (!this.loaded) return html`<p class="note" role="status">Loading messages…</p>`;
    if (this.messages.length === 0) {
      return html`<p class="note">
        No messages yet. Say hello: only people in this room can read it.
      </p>`;
    }
    if (this.loadingOlder) return html`<p class="note" role="status">Loading older messages…</p>`;
    if (this.exhausted) return html`<p class="note">The conversation starts here.</p>`;
    return nothing;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'message-list': MessageList;
  }
}
