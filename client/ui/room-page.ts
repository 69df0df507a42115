// The room screen: <room-page .app .roomId>. Opens the room's controller with
// app.openRoom() and releases it when the element leaves the page; everything below
// renders the controller's state and calls its actions.
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { App, MemberView, MessageView, RoomController, RoomStatus } from '../app/app-types';
import { theme } from './theme';
import { describeError, navigate } from './shell-events';
import type { ComposerBox } from './composer-box';
import type { FileAttach } from './file-attach';
import type { InviteDialog } from './invite-dialog';
import type { MemberAction } from './member-list';
import type { MessageList } from './message-list';
import type { RoomCloseDialog } from './room-close-dialog';
import type { RoomHeaderAction } from './room-header';
import type { RoomSettingsDialog } from './room-settings-dialog';
import type { VerifyDialog } from './verify-dialog';
import { roomPageStyles } from './room-page-styles';
import './composer-box';
import './file-attach';
import './invite-dialog';
import './member-list';
import './message-list';
import './room-banners';
import './room-close-dialog';
import './room-header';
import './room-settings-dialog';
import './verify-dialog';

const ENDED_COMPOSER: Record<NonNullable<RoomStatus['ended']>, string> = {
  closed: 'This room is closed',
  kicked: 'You were removed from this room',
  banned: 'You were banned from this room',
};

@customElement('room-page')
export class RoomPage extends LitElement {
  static override styles = [theme, roomPageStyles];

  @property({ attribute: false }) app?: App;
  @property() roomId = '';

  @state() private controller: RoomController | undefined;
  @state() private status: RoomStatus | undefined;
  @state() private members: MemberView[] = [];
  @state() private name = '';
  @state() private openError = '';
  @state() private notice = '';
  @state() private actionError = '';
  @state() private busy: ReadonlySet<string> = new Set();
  @state() private membersShown = false;
  /** The device's network (navigator.onLine via the app): offline shows at once. */
  @state() private online = true;
  /** The latest message from someone else, for screen readers (the list itself is not live). */
  @state() private announcement = '';

  @query('message-list') private list?: MessageList;
  @query('composer-box') private composer?: ComposerBox;
  @query('file-attach') private attacher?: FileAttach;
  @query('invite-dialog') private inviteDialog?: InviteDialog;
  @query('verify-dialog') private verifyDialog?: VerifyDialog;
  @query('room-settings-dialog') private settingsDialog?: RoomSettingsDialog;
  @query('room-close-dialog') private closeDialog?: RoomCloseDialog;

  /**
   * People this host just removed. NOTE: their presence (not their secure link) can linger
   * for ~30 s until it times out; they cannot come back, so the list hides them at once.
   */
  private removedNames = new Set<string>();
  private offs: (() => void)[] = [];
  private offApp: (() => void) | undefined;
  /** Bumped per open, so a controller that arrives after leaving is released at once. */
  private generation = 0;
  private readonly onResize = () => this.fitToViewport();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('resize', this.onResize);
    // The first update opens the room; this is for an element moved back into the page.
    if (this.hasUpdated && !this.controller && this.app && this.roomId) void this.open();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('resize', this.onResize);
    this.close();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('app') || changed.has('roomId')) && this.isConnected) void this.open();
  }

  /** Follows the device's network: the room's own status only changes once its socket drops. */
  private watchNetwork(app: App): void {
    this.offApp?.();
    this.online = app.snapshot().online;
    this.offApp = app.subscribe((snapshot) => {
      if (snapshot.online !== this.online) this.online = snapshot.online;
    });
  }

  protected override updated(): void {
    // Banners of the shell above (offline...) come and go with state changes seen here too.
    this.fitToViewport();
  }

  /** The page fills the window below the shell's header, so only the messages scroll. */
  private fitToViewport(): void {
    const top = this.getBoundingClientRect().top + window.scrollY;
    // CSSOM custom property (not a style attribute): allowed by the strict CSP.
    this.style.setProperty('--room-top', `${Math.max(0, Math.round(top))}px`);
  }

  private async open(): Promise<void> {
    this.close();
    const generation = this.generation;
    const { app, roomId } = this;
    if (!app || !roomId) return;
    this.watchNetwork(app);
    try {
      const controller = await app.openRoom(roomId);
      if (generation !== this.generation) {
        controller.release();
        return;
      }
      this.attach(controller);
    } catch (error) {
      if (generation === this.generation) this.openError = describeError(error);
    }
  }

  private attach(controller: RoomController): void {
    this.controller = controller;
    this.name = controller.name;
    this.status = controller.status();
    this.members = [...controller.members()];
    const refreshMembers = () => {
      this.members = [...controller.members()];
      this.name = controller.name;
    };
    this.offs = [
      controller.on('status', (status) => {
        this.status = status;
        this.name = controller.name;
      }),
      controller.on('members', refreshMembers),
      controller.on('room-renamed', ({ name }) => (this.name = name)),
      controller.on('message', (message) => {
        if (!message.own)
          this.announcement = `${message.displayName}: ${message.text.slice(0, 200)}`;
      }),
      controller.on('peer-joined', refreshMembers),
      controller.on('peer-left', refreshMembers),
      controller.on('peer-verified', refreshMembers),
      controller.on('key-changed', () => {
        refreshMembers();
        this.status = controller.status();
      }),
    ];
  }

  private close(): void {
    this.generation++;
    for (const off of this.offs) off();
    this.offs = [];
    this.offApp?.();
    this.offApp = undefined;
    this.controller?.release();
    this.controller = undefined;
    this.status = undefined;
    this.members = [];
    this.removedNames = new Set();
    this.openError = '';
    this.announcement = '';
    this.notice = '';
    this.actionError = '';
  }

  private onHeaderAction(event: CustomEvent<RoomHeaderAction>): void {
    switch (event.detail) {
      case 'invite':
        void this.inviteDialog?.show();
        break;
      case 'settings':
        void this.settingsDialog?.show();
        break;
      case 'close':
        void this.closeDialog?.show();
        break;
      case 'members':
        this.membersShown = !this.membersShown;
        break;
    }
  }

  private async onMemberAction(event: CustomEvent<MemberAction>): Promise<void> {
    const { action, member } = event.detail;
    const controller = this.controller;
    if (!controller) return;
    if (action === 'verify') {
      void this.verifyDialog?.show(member);
      return;
    }
    this.busy = new Set([...this.busy, member.peerId]);
    this.actionError = '';
    try {
      if (action === 'kick') {
        await controller.kick(member.username);
        this.removedNames.add(member.username);
        this.notice = `${member.displayName} was removed from the room and can't rejoin with the old link.`;
      } else {
        await controller.ban(member.username);
        this.removedNames.add(member.username);
        this.notice = `${member.displayName} is banned from this room.`;
      }
      this.members = [...controller.members()];
    } catch (error) {
      this.actionError = describeError(error);
    } finally {
      const next = new Set(this.busy);
      next.delete(member.peerId);
      this.busy = next;
    }
  }

  private onVerifyUser(event: CustomEvent<string>): void {
    const member = this.members.find((m) => m.username === event.detail && m.online);
    if (member) void this.verifyDialog?.show(member);
    else
      this.notice = `${event.detail} is not connected right now: verify them when they are online.`;
  }

  private onMessageSent(event: CustomEvent<MessageView>): void {
    this.list?.upsert(event.detail);
    this.list?.scrollToBottom();
  }

  /** Files dropped anywhere on the conversation are sent like attached ones. */
  private onDragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }

  private onDrop(event: DragEvent): void {
    const files = event.dataTransfer?.files;
    if (!files?.length) return;
    event.preventDefault();
    this.attacher?.attach([...files]);
  }

  /** Members as shown: without the presence left behind by people just removed. */
  private shownMembers(): MemberView[] {
    if (this.removedNames.size === 0) return this.members;
    return this.members.filter(
      (m) => !(this.removedNames.has(m.username) && m.trust === 'connecting'),
    );
  }

  override render() {
    if (this.openError) {
      return html`<div class="panel failed">
        <h1>This room can't be opened</h1>
        <p class="error" role="alert">${this.openError}</p>
        <button type="button" @click=${() => navigate(this, '/')}>Back to rooms</button>
      </div>`;
    }
    const controller = this.controller;
    if (!controller) return html`<p class="opening" role="status">Opening the room…</p>`;
    const status: RoomStatus | undefined =
      this.status && !this.online ? { ...this.status, connection: 'offline' } : this.status;
    const ended = status?.ended;
    const shown = this.shownMembers();
    const typing = shown.filter((m) => m.typing && m.online).map((m) => m.displayName);
    return html`<div class="layout ${this.membersShown ? 'members-shown' : ''}">
        <div class="top panel">
          <room-header
            .name=${this.name}
            ?isHost=${controller.isHost}
            ?ended=${Boolean(ended)}
            .online=${shown.filter((m) => m.online).length}
            ?membersShown=${this.membersShown}
            @room-action=${this.onHeaderAction}
          ></room-header>
          <room-banners .status=${status} @verify-user=${this.onVerifyUser}></room-banners>
          ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
          ${this.actionError ? html`<p class="error" role="alert">${this.actionError}</p>` : nothing}
        </div>
        <section
          class="chat panel"
          aria-label="Conversation"
          @dragover=${this.onDragOver}
          @drop=${this.onDrop}
        >
          <message-list
            .controller=${controller}
            @load-error=${(e: CustomEvent<unknown>) => (this.actionError = describeError(e.detail))}
          ></message-list>
          <p class="typing" aria-live="polite">${typingWords(typing)}</p>
          <p class="visually-hidden" aria-live="polite">${this.announcement}</p>
          <composer-box
            .controller=${controller}
            .lockedReason=${ended ? ENDED_COMPOSER[ended] : ''}
            @message-sent=${this.onMessageSent}
          ></composer-box>
          <file-attach .controller=${controller} ?disabled=${Boolean(ended)}></file-attach>
        </section>
        <aside class="people panel" aria-label="People in this room">
          <h2>Members</h2>
          <member-list
            .members=${shown}
            ?isHost=${controller.isHost && !ended}
            .busy=${this.busy}
            @member-action=${this.onMemberAction}
          ></member-list>
        </aside>
      </div>
      <invite-dialog .controller=${controller}></invite-dialog>
      <verify-dialog
        .controller=${controller}
        @verified=${() => (this.members = [...controller.members()])}
      ></verify-dialog>
      <room-settings-dialog
        .controller=${controller}
        @renamed=${(e: CustomEvent<string>) => (this.name = e.detail)}
      ></room-settings-dialog>
      <room-close-dialog .controller=${controller}></room-close-dialog>`;
  }

  /** Moves keyboard focus to the composer (e.g. after opening the room from the list). */
  focusComposer(): void {
    this.composer?.focus();
  }
}

function typingWords(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

declare global {
  interface HTMLElementTagNameMap {
    'room-page': RoomPage;
  }
}
