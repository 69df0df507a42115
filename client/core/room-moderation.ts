// The host's moderation in the mesh (DESIGN.md section 6): a signed kick or ban that every
// peer applies (and passes on), then a new epoch whose secret the host hands to the
// members that remain, over their secure channels only.
import { fromBase64Url, toBase64Url } from './bytes';
import type { Author } from './envelope';
import type { StoredRoom } from './history-store';
import type { Member } from './member-views';
import { signModeration, verifyModeration } from './moderation';
import type { RoomEngineOptions } from './room-engine';
import { RoomActionError } from './views';

/** StoredRoom.removed holds fingerprints and, with this prefix, usernames. */
export const USER_PREFIX = 'user:';

/** What moderation needs from the engine. */
export interface ModerationHost {
  readonly o: RoomEngineOptions;
  readonly self: Author;
  readonly members: ReadonlyMap<string, Member>;
  readonly removed: Set<string>;
  epoch: number;
  saveRecord(change: Partial<StoredRoom>): Promise<void>;
}

export class RoomModeration {
  /** Host only, this session: secrets of epochs we rotated to, for late members. */
  private readonly epochSecrets = new Map<number, Uint8Array>();
  private readonly appliedOrders = new Set<string>();

  constructor(private readonly engine: ModerationHost) {}

  async remove(
    kind: 'kick' | 'ban',
    username: string,
    serverCall: () => Promise<void>,
  ): Promise<void> {
    if (!this.engine.o.isHost) throw new RoomActionError(`Only the host can ${kind} members.`);
    if (username === this.engine.self.username) {
      throw new RoomActionError('You cannot remove yourself; leave the room instead.');
    }
    try {
      await serverCall();
    } catch (error) {
      throw new RoomActionError((error as Error).message);
    }
    const devices = new Set<string>();
    for (const m of this.engine.members.values())
      if (m.username === username) devices.add(m.device);
    const pin = await this.engine.o.store.getPin(username);
    if (pin) devices.add(pin.fingerprint);
    const order = await signModeration(this.engine.o.crypto, this.engine.self, {
      kind,
      room: this.engine.o.roomId,
      target: username,
      devices: [...devices].slice(0, 16),
    });
    await this.applyOrder(order, null);
    await this.rotateEpoch();
  }

  async onModeration(input: unknown, from: Member): Promise<void> {
    const hostPin = await this.engine.o.store.getPin(this.engine.o.host);
    const verified = await verifyModeration(
      this.engine.o.crypto,
      input,
      this.engine.o.roomId,
      this.engine.o.host,
      hostPin?.fingerprint ?? null,
    );
    if (!verified) {
      this.engine.o.emit('error', {
        message: `${from.username} sent a removal order that is not the host's.`,
      });
      return;
    }
    await this.applyOrder(verified.order, from);
  }

  private async applyOrder(
    order: Awaited<ReturnType<typeof signModeration>>,
    from: Member | null,
  ): Promise<void> {
    if (this.appliedOrders.has(order.sig)) return;
    this.appliedOrders.add(order.sig);
    const { target, devices, kind } = order.envelope;
    if (target === this.engine.self.username || devices.includes(this.engine.self.fingerprint)) {
      this.engine.o.removedSelf(kind === 'ban' ? 'banned' : 'kicked');
      return;
    }
    this.engine.removed.add(USER_PREFIX + target);
    for (const device of devices) this.engine.removed.add(device);
    await this.engine.saveRecord({ removed: [...this.engine.removed] });
    for (const member of [...this.engine.members.values()]) {
      if (member.username === target || devices.includes(member.device)) {
        this.engine.o.mesh().dropConnection(member.link.peerId);
      }
    }
    // Pass the order on, so members the host cannot reach right now learn it too.
    for (const member of this.engine.members.values()) {
      if (member !== from && member.link.state === 'open') {
        void member.link.send({ type: 'moderation', order });
      }
    }
  }

  private async rotateEpoch(): Promise<void> {
    const { epoch, secret } = await this.engine.o.crypto.rotateEpoch(this.engine.o.room);
    this.epochSecrets.set(epoch, secret);
    this.engine.epoch = epoch;
    await this.engine.saveRecord({ epoch });
    await this.engine.o.epochChanged(epoch);
    for (const member of this.engine.members.values()) await this.handOverEpochs(member, epoch - 1);
  }

  async handOverEpochs(member: Member, theirEpoch: number): Promise<void> {
    for (const [epoch, secret] of [...this.epochSecrets].sort((a, b) => a[0] - b[0])) {
      if (epoch > theirEpoch) {
        await member.link.send({ type: 'epoch', epoch, secret: toBase64Url(secret) });
      }
    }
  }

  async onEpoch(member: Member, epoch: number, secret: string): Promise<void> {
    // Only the host hands out epoch secrets, and only over its own secure channel.
    if (member.username !== this.engine.o.host || epoch <= this.engine.epoch) return;
    const added = await this.engine.o.crypto.addEpochSecret(
      this.engine.o.room,
      epoch,
      fromBase64Url(secret),
    );
    if (!added.ok && added.reason !== 'replay') return;
    this.engine.epoch = epoch;
    await this.engine.saveRecord({ epoch });
    await this.engine.o.epochChanged(epoch);
  }
}
