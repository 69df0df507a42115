// The messages a room screen has loaded, without any DOM: a contiguous run of history that
// ends at the newest message, grown page by page towards the past (controller.page) and
// kept current by the controller's events (new messages, delivery states).
import { laterDeliveryState } from '../core/history-store';
import type { MessageView, RoomController } from '../app/app-types';

/** Store order: (lamport, author device, counter), the same as controller.page(). */
export function compareMessages(a: MessageView, b: MessageView): number {
  if (a.lamport !== b.lamport) return a.lamport - b.lamport;
  if (a.authorDevice !== b.authorDevice) return a.authorDevice < b.authorDevice ? -1 : 1;
  return a.counter - b.counter;
}

export interface MessageHistoryHooks {
  /** Called right before the list of messages changes (the view remembers its anchor). */
  beforeChange(): void;
  /** Something changed: render again. `idsChanged`: rows were added (not only updated). */
  changed(idsChanged: boolean): void;
  /** A live message arrived (after it was added). */
  arrived(message: MessageView): void;
  error(error: unknown): void;
}

export class MessageHistory {
  /** Oldest first. Replaced (never mutated) on every change. */
  messages: readonly MessageView[] = [];
  /** Messages stored for the room (for "message N of M"); grows with new messages. */
  total: number | undefined;
  loaded = false;
  loadingOlder = false;
  /** Nothing older is stored: the conversation starts at messages[0]. */
  exhausted = false;

  private offs: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly controller: RoomController,
    private readonly hooks: MessageHistoryHooks,
    private readonly pageSize = 100,
  ) {}

  start(): void {
    this.offs = [
      this.controller.on('message', (message) => {
        if (this.upsert(message)) this.hooks.arrived(message);
      }),
      this.controller.on('delivery', ({ id, state }) => this.setDelivery(id, state)),
    ];
    void this.loadNewest();
  }

  /** Stops listening; pages still on their way are dropped. */
  stop(): void {
    this.stopped = true;
    for (const off of this.offs.splice(0)) off();
  }

  /** Adds a message or updates it; returns false when it was not taken (too old to show). */
  upsert(message: MessageView): boolean {
    const index = this.indexOf(message.id);
    if (index >= 0) {
      const before = this.messages[index]!;
      const next = { ...message, state: laterDeliveryState(before.state, message.state) };
      this.hooks.beforeChange();
      this.messages = this.messages.with(index, next);
      this.hooks.changed(false);
      return true;
    }
    const oldest = this.messages[0];
    // Older than what is loaded: it will come with its page (if history is not all here).
    if (oldest && !this.exhausted && compareMessages(message, oldest) < 0) return false;
    const at = this.insertionIndex(message);
    this.hooks.beforeChange();
    this.messages = [...this.messages.slice(0, at), message, ...this.messages.slice(at)];
    if (this.total !== undefined) this.total += 1;
    this.hooks.changed(true);
    return true;
  }

  /** Fetches the page before the oldest loaded message, unless one is on its way. */
  async loadOlder(): Promise<void> {
    const oldest = this.messages[0];
    if (!this.loaded || !oldest || this.loadingOlder || this.exhausted || this.stopped) return;
    this.loadingOlder = true;
    this.hooks.changed(false);
    try {
      const page = await this.controller.page({ beforeId: oldest.id, limit: this.pageSize });
      if (this.stopped) return;
      const known = new Set(this.messages.map((m) => m.id));
      const older = page.filter((m) => !known.has(m.id));
      this.exhausted = page.length < this.pageSize;
      this.hooks.beforeChange();
      if (older.length) this.messages = [...older, ...this.messages];
      this.loadingOlder = false;
      this.hooks.changed(older.length > 0);
    } catch (error) {
      this.loadingOlder = false;
      if (!this.stopped) this.hooks.error(error);
    }
  }

  private async loadNewest(): Promise<void> {
    // The count only feeds "message N of M": the first screen does not wait for it.
    void this.controller
      .count()
      .then((total) => {
        if (this.stopped) return;
        this.total = Math.max(total, this.messages.length);
        this.hooks.changed(false);
      })
      .catch(() => undefined);
    try {
      const page = await this.controller.page({ limit: this.pageSize });
      if (this.stopped) return;
      // Live messages may have arrived while the page was read: keep both, once each.
      const fromPage = new Set(page.map((m) => m.id));
      const live = this.messages.filter((m) => !fromPage.has(m.id));
      this.hooks.beforeChange();
      this.messages = [...page, ...live].sort(compareMessages);
      if (this.total !== undefined) this.total = Math.max(this.total, this.messages.length);
      this.exhausted = page.length < this.pageSize;
      this.loaded = true;
      this.hooks.changed(true);
    } catch (error) {
      if (!this.stopped) this.hooks.error(error);
    }
  }

  private setDelivery(id: string, state: MessageView['state']): void {
    const index = this.indexOf(id);
    if (index < 0) return;
    const before = this.messages[index]!;
    const next = laterDeliveryState(before.state, state);
    if (next === before.state) return;
    this.messages = this.messages.with(index, { ...before, state: next });
    this.hooks.changed(false);
  }

  /** Newest first: deliveries and echoes are nearly always about recent messages. */
  private indexOf(id: string): number {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i]!.id === id) return i;
    return -1;
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
}
