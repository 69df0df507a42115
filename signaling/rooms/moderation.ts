// Kick, ban, unban and close: the database change and the live sockets together, so a
// moderation act takes effect at once (DESIGN.md section 6), whoever performs it.
import { SignalCloseCode } from '../protocol';
import type { Relay } from '../relay/relay';
import type { User } from '../accounts/users';
import type { SecurityLog } from '../security-log/security-log';
import type { Room, Rooms } from './rooms';

export interface Actor {
  user: User;
  as: 'host' | 'admin';
}

export class Moderation {
  constructor(
    private readonly rooms: Rooms,
    private readonly securityLog: SecurityLog,
    private readonly relay: () => Relay,
  ) {}

  /** Removes the member, refuses re-admission until unbanned, and closes their sockets. */
  kick(room: Room, target: User, actor: Actor): number {
    this.rooms.removeMember(room.id, target.id);
    this.rooms.setBan(room.id, target.id, 'kicked');
    const disconnected = this.relay().disconnect(
      { roomId: room.id, userId: target.id },
      SignalCloseCode.kicked,
      'kicked',
    );
    this.record('room.kicked', room, target, actor, disconnected);
    return disconnected;
  }

  ban(room: Room, target: User, actor: Actor): number {
    this.rooms.removeMember(room.id, target.id);
    this.rooms.setBan(room.id, target.id, 'banned');
    const disconnected = this.relay().disconnect(
      { roomId: room.id, userId: target.id },
      SignalCloseCode.banned,
      'banned',
    );
    this.record('room.banned', room, target, actor, disconnected);
    return disconnected;
  }

  unban(room: Room, target: User, actor: Actor): boolean {
    const lifted = this.rooms.clearBan(room.id, target.id);
    if (lifted) this.record('room.unbanned', room, target, actor, 0);
    return lifted;
  }

  close(room: Room, actor: Actor): number {
    this.rooms.close(room.id);
    const disconnected = this.relay().disconnect(
      { roomId: room.id },
      SignalCloseCode.roomClosed,
      'room closed',
    );
    this.securityLog.record('room.closed', {
      roomId: room.id,
      by: actor.user.id,
      as: actor.as,
      disconnected,
    });
    return disconnected;
  }

  private record(
    type: 'room.kicked' | 'room.banned' | 'room.unbanned',
    room: Room,
    target: User,
    actor: Actor,
    disconnected: number,
  ): void {
    this.securityLog.record(type, {
      roomId: room.id,
      userId: target.id,
      username: target.username,
      by: actor.user.id,
      as: actor.as,
      disconnected,
    });
  }
}
