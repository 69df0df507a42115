// What happens on the secure links of a room: introductions and key pinning (TOFU),
// live messages with receipts, gossip history sync, the outbox, the host's moderation
// and epoch hand-over. RoomSession owns admission and the mesh; this owns the protocol.
import {
  ROOM_NAME_MAX,
  type FileOffer,
  type PeerMessage,
  type SignedChat,
} from '../../signaling/protocol';
import type { CryptoPort } from './crypto-port';
import { fromStored, type Author } from './envelope';
import type { HistoryCursor, HistoryStore, StoredMessage, StoredRoom } from './history-store';
import { messageId } from './history-store';
import { marksToWire, pagesFor } from './history-sync';
import { RoomModeration, USER_PREFIX } from './room-moderation';
import type { Mesh } from './mesh';
import type { MessageLog, Verified } from './message-log';
import type { KeyAgreement, PeerLink } from './peer-link';
import {
  memberView,
  memberViews,
  verificationOf,
  type Member,
  type Verification,
} from './member-views';
import {
  messageView,
  RoomActionError,
  type MemberView,
  type MessageView,
  type RoomEvents,
} from './views';

export interface RoomEngineOptions {
  crypto: CryptoPort;
  store: HistoryStore;
  room: string;
  roomId: string;
  host: string;
  isHost: boolean;
  author: Author;
  log: MessageLog;
  roomRecord: StoredRoom;
  emit<K extends keyof RoomEvents>(type: K, event: RoomEvents[K]): void;
  mesh(): Mesh;
  /** The host removed this device: the session ends. */
  removedSelf(kind: 'kicked' | 'banned'): void;
  /** The room moved to a new epoch (we rotated, or the host handed us its secret). */
  epochChanged(epoch: number): Promise<void>;
}

export class RoomEngine {
  droppedFrames = 0;
  rejectedMessages = 0;
  epoch: number;
  private record: StoredRoom;
  private keyAgreementKnown: boolean;
  readonly members = new Map<string, Member>();
  private readonly tails = new Map<string, Promise<void>>();
  readonly removed: Set<string>;
  private readonly moderation = new RoomModeration(this);
  private readonly failedPeers = new Set<string>();

  constructor(readonly o: RoomEngineOptions) {
    this.record = o.roomRecord;
    this.epoch = o.roomRecord.epoch;
    this.removed = new Set(o.roomRecord.removed);
    this.keyAgreementKnown = false;
  }

  async init(): Promise<void> {
    this.keyAgreementKnown = (await this.o.store.getRoom(this.o.roomId)) !== undefined;
  }

  get self(): Author {
    return this.o.author;
  }

  get roomName(): string {
    return this.record.name;
  }

  async markRead(lamport: number): Promise<void> {
    if (lamport > this.record.readLamport) await this.saveRecord({ readLamport: lamport });
  }

  /** Host: the new name is stored here and told to every connected member. */
  async rename(name: string): Promise<void> {
    await this.saveRecord({ name });
    this.o.emit('room-renamed', { name });
    await Promise.all(
      [...this.members.values()].map((m) => m.link.send({ type: 'room-name', name })),
    );
  }

  /** A member: only the host names the room. */
  private async learnRoomName(from: Member, name: string | undefined): Promise<void> {
    if (this.o.isHost || from.username !== this.o.host || !name || name === this.record.name) {
      return;
    }
    await this.saveRecord({ name });
    this.o.emit('room-renamed', { name });
  }

  async saveRecord(change: Partial<StoredRoom>): Promise<void> {
    this.record = { ...this.record, ...change };
    if (this.keyAgreementKnown) await this.o.store.putRoom(this.record);
  }

  async learnKeyAgreement(keyAgreement: KeyAgreement): Promise<void> {
    if (this.keyAgreementKnown) return;
    this.keyAgreementKnown = true;
    await this.saveRecord({ keyAgreement });
  }

  async markEnded(reason: 'closed' | 'kicked' | 'banned' | undefined): Promise<void> {
    if (reason) await this.saveRecord({ ended: reason }).catch(() => undefined);
  }

  private isRemoved(username: string, device: string): boolean {
    return this.removed.has(USER_PREFIX + username) || this.removed.has(device);
  }

  // --- link lifecycle -------------------------------------------------------------

  onEstablished(link: PeerLink): void {
    if (link.peer && this.removed.has(link.peer.fingerprint)) {
      this.o.mesh().dropConnection(link.peerId);
      return;
    }
    const sendableName = this.record.name.trim().slice(0, ROOM_NAME_MAX);
    void link.send({
      type: 'intro',
      username: this.self.username,
      displayName: this.self.displayName,
      device: this.self.fingerprint,
      epoch: this.epoch,
      ...(this.o.isHost && sendableName ? { roomName: sendableName } : {}),
    });
  }

  onMessage(link: PeerLink, message: PeerMessage): void {
    // Signatures are checked as soon as a page arrives (in parallel with earlier pages);
    // everything else happens in arrival order per link.
    const verified =
      message.type === 'chat' || message.type === 'page'
        ? this.o.log.verify(message.messages, (signed) => this.authorCheck(signed))
        : null;
    verified?.catch(() => undefined);
    const tail = (this.tails.get(link.peerId) ?? Promise.resolve())
      .then(() => this.handle(link, message, verified))
      .catch((error: unknown) => {
        this.o.emit('error', { message: (error as Error)?.message ?? String(error) });
      });
    this.tails.set(link.peerId, tail);
  }

  onFailed(link: PeerLink, reason: string, message: string): void {
    // y-webrtc reconnects on its own; say it once per peer, not once per attempt.
    if (this.failedPeers.has(link.peerId)) return;
    this.failedPeers.add(link.peerId);
    const name =
      link.claimedUsername ?? this.o.mesh().remotePresence().get(link.peerId)?.username ?? 'a peer';
    this.o.emit('peer-failed', {
      peer: name,
      reason,
      message: `could not verify ${name}'s connection: ${message}`,
    });
  }

  onClosed(link: PeerLink): void {
    const member = this.members.get(link.peerId);
    this.tails.delete(link.peerId);
    if (!member || member.link !== link) return;
    this.members.delete(link.peerId);
    this.o.emit('peer-left', this.memberView(member));
  }

  private async handle(
    link: PeerLink,
    message: PeerMessage,
    verified: Promise<Verified> | null,
  ): Promise<void> {
    if (message.type === 'intro') return this.onIntro(link, message);
    const member = this.members.get(link.peerId);
    if (!member || member.link !== link) {
      this.droppedFrames++;
      return;
    }
    switch (message.type) {
      case 'chat':
        return this.onMessages(member, verified!, true);
      case 'page':
        return this.onMessages(member, verified!, false, message.done);
      case 'want-marks': {
        const marks = await this.o.store.highWaterMarks(this.o.roomId);
        await link.send({ type: 'marks', marks: marksToWire(marks) });
        return;
      }
      case 'marks':
        return this.answerMarks(member, message.marks);
      case 'ack':
        return this.onAck(message.ids);
      case 'moderation':
        return this.moderation.onModeration(message.order, member);
      case 'epoch':
        return this.moderation.onEpoch(member, message.epoch, message.secret);
      case 'room-name':
        return this.learnRoomName(member, message.name);
      case 'bye':
        // Stop sending first, then close: see Mesh.destroy for why the order matters.
        this.o.mesh().dropConnection(link.peerId);
        return;
    }
  }

  private async onIntro(link: PeerLink, intro: Extract<PeerMessage, { type: 'intro' }>) {
    const peer = link.peer;
    if (!peer || this.members.get(link.peerId)?.link === link) return;
    if (peer.fingerprint !== intro.device || this.isRemoved(intro.username, peer.fingerprint)) {
      this.o.mesh().dropConnection(link.peerId);
      return;
    }
    const pin = await this.o.store.getPin(intro.username);
    let verified = false;
    if (!pin || pin.fingerprint !== peer.fingerprint) {
      if (pin) {
        this.o.emit('key-changed', {
          username: intro.username,
          fingerprint: peer.fingerprint,
          previous: pin.fingerprint,
        });
      }
      await this.o.store.putPin({
        username: intro.username,
        alg: peer.alg,
        publicKey: peer.publicKey,
        fingerprint: peer.fingerprint,
        verified: false,
        pinnedAt: Date.now(),
      });
    } else {
      verified = pin.verified;
    }
    const member: Member = {
      link,
      username: intro.username,
      displayName: intro.displayName || intro.username,
      device: peer.fingerprint,
      verified,
    };
    this.members.set(link.peerId, member);
    await this.learnRoomName(member, intro.roomName);
    this.o.emit('peer-joined', this.memberView(member));
    this.o.emit('peer-verified', this.memberView(member));
    if (this.o.isHost) await this.moderation.handOverEpochs(member, intro.epoch);
    // Sync both ways: each side answers the other's marks with what it lacks; our
    // pending messages (the outbox) go out that way too.
    const marks = await this.o.store.highWaterMarks(this.o.roomId);
    await link.send({ type: 'marks', marks: marksToWire(marks) });
  }

  /** Tells every peer we are leaving; resolves once each 'bye' is handed to its channel. */
  async sayGoodbye(): Promise<void> {
    await Promise.all(
      [...this.members.values()].map((m) => m.link.send({ type: 'bye' }).catch(() => false)),
    );
  }

  // --- messages ---------------------------------------------------------------------

  async send(text: string, file?: FileOffer): Promise<MessageView> {
    const stored = await this.o.log.compose(text, this.epoch, file);
    const view = messageView(stored, this.self.fingerprint);
    this.o.emit('message', view);
    const targets = [...this.members.values()].filter((m) => m.link.state === 'open');
    const signed = fromStored(stored);
    const results = await Promise.all(
      targets.map((m) => m.link.send({ type: 'chat', messages: [signed] })),
    );
    if (results.some(Boolean)) {
      const state = await this.o.store.setDeliveryState(
        this.o.roomId,
        stored.authorDevice,
        stored.counter,
        'sent',
      );
      if (state) {
        view.state = state;
        this.o.emit('delivery', { id: view.id, state });
      }
    }
    return view;
  }

  private async authorCheck(signed: SignedChat): Promise<string | null> {
    return this.isRemoved(signed.envelope.username, signed.envelope.device)
      ? `${signed.envelope.username} was removed from this room; their message was dropped.`
      : null;
  }

  private async onMessages(
    member: Member,
    verified: Promise<Verified>,
    live: boolean,
    syncDone = false,
  ): Promise<void> {
    const result = await this.o.log.storeVerified(await verified);
    if (!live && result.added.length > 0) member.learnedInSync = true;
    if (syncDone && member.learnedInSync) {
      // Gossip for history: whoever we can reach may lack what we just caught up on.
      member.learnedInSync = false;
      for (const other of this.members.values()) {
        if (other !== member && other.link.state === 'open') {
          void other.link.send({ type: 'want-marks' });
        }
      }
    }
    if (result.valid.length === 0 && result.rejected.length === 0) return;
    for (const rejected of result.rejected) {
      this.rejectedMessages++;
      this.o.emit('message-rejected', { from: member.username, ...rejected });
    }
    for (const message of result.added) {
      this.o.emit('message', messageView(message, this.self.fingerprint));
    }
    if (live) this.followDisplayName(member, result.added);
    const acks = result.valid
      .filter((s) => s.envelope.device === member.device)
      .map((s) => ({ device: s.envelope.device, counter: s.envelope.counter }));
    for (let i = 0; i < acks.length; i += 1024) {
      await member.link.send({ type: 'ack', ids: acks.slice(i, i + 1024) });
    }
    // Gossip: live messages new to us go on to the others (duplicates stop there).
    if (live && result.added.length > 0) {
      const forward: SignedChat[] = result.added.map(fromStored);
      for (const other of this.members.values()) {
        if (other !== member && other.link.state === 'open') {
          void other.link.send({ type: 'chat', messages: forward });
        }
      }
    }
  }

  /** A member who renamed themselves signs the new name into their next live message. */
  private followDisplayName(member: Member, added: readonly StoredMessage[]): void {
    const own = added.filter((m) => m.authorDevice === member.device).at(-1);
    const name = own && (own.envelope as { displayName?: unknown }).displayName;
    if (typeof name !== 'string' || !name || name === member.displayName) return;
    member.displayName = name;
    this.o.emit('presence', {});
  }

  private async answerMarks(
    member: Member,
    marks: Extract<PeerMessage, { type: 'marks' }>['marks'],
  ): Promise<void> {
    for await (const page of pagesFor(this.o.store, this.o.roomId, marks)) {
      if (!(await member.link.send({ type: 'page', messages: page, done: false }))) return;
    }
    await member.link.send({ type: 'page', messages: [], done: true });
  }

  private async onAck(ids: { device: string; counter: number }[]): Promise<void> {
    for (const { device, counter } of ids) {
      if (device !== this.self.fingerprint) continue;
      const before = await this.o.store.getMessage(this.o.roomId, device, counter);
      if (!before || before.state === 'delivered') continue;
      const state = await this.o.store.setDeliveryState(
        this.o.roomId,
        device,
        counter,
        'delivered',
      );
      if (state) this.o.emit('delivery', { id: messageId(device, counter), state });
    }
  }

  async history(options: { before?: HistoryCursor; limit?: number }): Promise<MessageView[]> {
    const page = await this.o.store.history(this.o.roomId, options);
    return page.reverse().map((m) => messageView(m, this.self.fingerprint));
  }

  remove(kind: 'kick' | 'ban', username: string, serverCall: () => Promise<void>) {
    return this.moderation.remove(kind, username, serverCall);
  }

  // --- members and verification -------------------------------------------------------

  private memberView(member: Member): MemberView {
    const presence = this.o.mesh().remotePresence().get(member.link.peerId);
    return memberView(member, presence, this.o.host);
  }

  memberViews(): MemberView[] {
    return memberViews([...this.members.values()], this.o.mesh().remotePresence(), this.o.host);
  }

  private findMember(peer: string): Member {
    const member =
      this.members.get(peer) ?? [...this.members.values()].find((m) => m.username === peer);
    if (!member || !member.link.peer || !member.link.fingerprints) {
      throw new RoomActionError(`${peer} is not connected securely right now.`);
    }
    return member;
  }

  verification(peer: string): Promise<Verification> {
    return verificationOf(this.o.crypto, this.o.roomId, this.self, this.findMember(peer));
  }

  async markVerified(peer: string): Promise<void> {
    const member = this.findMember(peer);
    const pin = await this.o.store.getPin(member.username);
    if (!pin || pin.fingerprint !== member.device) {
      throw new RoomActionError(`${member.username}'s key changed; verify again.`);
    }
    await this.o.store.putPin({ ...pin, verified: true });
    member.verified = true;
    this.o.emit('peer-verified', this.memberView(member));
  }
}
