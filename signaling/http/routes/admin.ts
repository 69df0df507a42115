// /api/admin/*: the admin's view and levers. Every act is written to the security log.
import { Router } from 'express';
import type { User } from '../../accounts/users';
import { AdminIpRequest, AdminLogQuery, AdminRoomKick, RoomId, Username } from '../../protocol';
import { SignalCloseCode } from '../../protocol';
import { Moderation } from '../../rooms/moderation';
import type { Room } from '../../rooms/rooms';
import { clientIp, requireAdmin } from '../auth-context';
import { HttpError } from '../errors';
import type { RouteDeps } from '../route-deps';
import { parseInput } from '../validate';

export function adminRoutes(deps: RouteDeps): Router {
  const { services, relay } = deps;
  const { users, rooms, sessions, resets, ipBans, securityLog } = services;
  const moderation = new Moderation(rooms, securityLog, relay);
  const router = Router();

  router.use((_req, res, next) => {
    requireAdmin(res);
    next();
  });

  router.get('/users', (_req, res) => {
    res.json({
      users: users.list().map((user) => ({
        id: user.id,
        username: user.username,
        role: user.role,
        email: user.email,
        banned: user.bannedAt !== null,
        createdAt: user.createdAt,
      })),
    });
  });

  router.get('/rooms', (_req, res) => {
    const online = new Map<string, number>();
    for (const connection of relay().connections()) {
      online.set(connection.roomId, (online.get(connection.roomId) ?? 0) + 1);
    }
    res.json({
      rooms: rooms.list().map((room) => ({
        id: room.id,
        host: room.ownerName,
        capacity: room.capacity,
        cipher: room.cipher,
        members: room.members,
        connections: online.get(room.id) ?? 0,
        hasPassword: room.passwordHash !== null,
        closed: room.closedAt !== null,
        createdAt: room.createdAt,
      })),
    });
  });

  router.get('/connections', (_req, res) => {
    res.json({ connections: relay().connections() });
  });

  router.get('/security-log', (req, res) => {
    const query = parseInput(AdminLogQuery, req.query);
    res.json({
      chain: securityLog.verify(),
      entries: securityLog.recent(query.limit, query.before),
    });
  });

  router.post('/users/:name/ban', (req, res) => {
    const admin = requireAdmin(res);
    const target = findUser(String(req.params.name));
    if (target.id === admin.id) {
      throw new HttpError(400, 'cannot_ban_self', 'You cannot ban your own account.');
    }
    users.setBanned(target.id, true);
    const sessionsRevoked = sessions.revokeAllFor(target.id);
    const disconnected = relay().disconnect(
      { userId: target.id },
      SignalCloseCode.banned,
      'banned',
    );
    record('admin.user_banned', admin, {
      userId: target.id,
      username: target.username,
      disconnected,
    });
    res.json({ sessionsRevoked, disconnected });
  });

  router.post('/users/:name/unban', (req, res) => {
    const admin = requireAdmin(res);
    const target = findUser(String(req.params.name));
    users.setBanned(target.id, false);
    record('admin.user_unbanned', admin, { userId: target.id, username: target.username });
    res.status(204).end();
  });

  router.post('/users/:name/reset-token', (req, res) => {
    const admin = requireAdmin(res);
    const target = findUser(String(req.params.name));
    const { token, expiresAt } = resets.issue(target.id);
    record('admin.reset_token_issued', admin, { userId: target.id, username: target.username });
    // The one place a token is shown: to the admin, who hands it over out of band.
    res.status(201).json({ token, expiresAt });
  });

  router.get('/ip-bans', (_req, res) => {
    res.json({ ipBans: ipBans.list() });
  });

  router.post('/ip-bans', (req, res) => {
    const admin = requireAdmin(res);
    const { ip } = parseInput(AdminIpRequest, req.body);
    if (ip === clientIp(req)) {
      throw new HttpError(
        400,
        'cannot_ban_self',
        'That is your own address; you would lock yourself out.',
      );
    }
    ipBans.add(ip);
    const disconnected = relay().disconnect({ ip }, SignalCloseCode.banned, 'address banned');
    record('admin.ip_banned', admin, { bannedIp: ip, disconnected });
    res.status(201).json({ disconnected });
  });

  router.delete('/ip-bans/:ip', (req, res) => {
    const admin = requireAdmin(res);
    const { ip } = parseInput(AdminIpRequest, { ip: req.params.ip });
    if (!ipBans.remove(ip)) throw new HttpError(404, 'not_banned', 'That address is not banned.');
    record('admin.ip_unbanned', admin, { bannedIp: ip });
    res.status(204).end();
  });

  router.post('/rooms/:id/kick', (req, res) => {
    const admin = requireAdmin(res);
    const room = findRoom(String(req.params.id));
    const { user } = parseInput(AdminRoomKick, req.body);
    const target = findUser(user);
    res.json({ disconnected: moderation.kick(room, target, { user: admin, as: 'admin' }) });
  });

  router.post('/rooms/:id/close', (req, res) => {
    const admin = requireAdmin(res);
    const room = findRoom(String(req.params.id));
    res.json({ disconnected: moderation.close(room, { user: admin, as: 'admin' }) });
  });

  function findUser(name: string): User {
    const parsed = Username.safeParse(name);
    const user = parsed.success ? users.byUsername(parsed.data) : null;
    if (!user) throw new HttpError(404, 'unknown_user', 'There is no user with that name.');
    return user;
  }

  function findRoom(id: string): Room {
    const room = RoomId.safeParse(id).success ? rooms.byId(id) : null;
    if (!room) throw new HttpError(404, 'unknown_room', 'There is no room with that id.');
    return room;
  }

  function record(
    type: Parameters<typeof securityLog.record>[0],
    admin: User,
    details: Record<string, string | number>,
  ): void {
    securityLog.record(type, { adminId: admin.id, ...details });
  }

  return router;
}
