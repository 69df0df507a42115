// Who may be in a room right now. The admit route asks it before issuing a ticket, and
// the relay asks it again on upgrade and subscribe, because a ticket outlives the
// moment it was issued (the room may close or the user be banned meanwhile).
import type { IpBans } from '../accounts/ip-bans';
import type { Users } from '../accounts/users';
import type { Rooms } from './rooms';

export type AdmissionState = 'ok' | 'closed' | 'banned';

export class Admission {
  constructor(
    private readonly rooms: Rooms,
    private readonly users: Users,
    private readonly ipBans: IpBans,
  ) {}

  check(roomId: string, userId: number, ip: string): AdmissionState {
    const room = this.rooms.byId(roomId);
    if (!room || room.closedAt !== null) return 'closed';
    if (this.ipBans.has(ip)) return 'banned';
    const user = this.users.byId(userId);
    if (!user || user.bannedAt !== null) return 'banned';
    return this.rooms.banOf(roomId, userId) === null ? 'ok' : 'banned';
  }
}
