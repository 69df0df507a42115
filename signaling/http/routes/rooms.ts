// Rooms: create, admit (the ticket for /signal), and the host's moderation.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { User } from '../../accounts/users';
import { AdmitRequest, CreateRoomRequest, RoomId, RoomMemberAction } from '../../protocol';
import type { AdmitResponse } from '../../protocol';
import { Moderation } from '../../rooms/moderation';
import type { Room } from '../../rooms/rooms';
import { clientIp, requireUser } from '../auth-context';
import { HttpError } from '../errors';
import type { RouteDeps } from '../route-deps';
import { parseInput } from '../validate';

/** Wrong K_admit and wrong room password answer identically: neither is revealed. */
const ADMISSION_DENIED = () =>
  new HttpError(403, 'admission_denied', 'The room key or the room password is wrong.');

export function roomRoutes(deps: RouteDeps): Router {
  const { services, limiters } = deps;
  const { rooms, users, hasher, tickets, securityLog } = services;
  const moderation = new Moderation(rooms, securityLog, deps.relay);
  const router = Router();

  router.post('/rooms', async (req, res) => {
    const user = requireUser(res);
    const input = parseInput(CreateRoomRequest, req.body);
    await limiters.consume(['createRoomPerUser', String(user.id)]);
    const passwordHash = input.password ? await hasher.hash(input.password) : null;
    const room = rooms.create({
      ownerId: user.id,
      verifier: input.verifier,
      passwordHash,
      capacity: input.capacity,
      cipher: input.cipher,
      fileTtlSeconds: input.fileTtl,
      maxFileBytes: input.maxFileBytes ?? null,
    });
    securityLog.record('room.created', { roomId: room.id, userId: user.id, ip: clientIp(req) });
    res.status(201).json({ id: room.id });
  });

  router.post('/rooms/:id/admit', async (req, res) => {
    const user = requireUser(res);
    const input = parseInput(AdmitRequest, req.body);
    const roomId = String(req.params.id);
    const ip = clientIp(req);
    await limiters.consume(['admitPerUserAndRoom', `${user.id}|${roomId.slice(0, 64)}`]);
    const room = findRoom(roomId);
    const refuse = (error: HttpError, reason: string): never => {
      securityLog.record('room.refused', { roomId: room.id, userId: user.id, ip, reason });
      throw error;
    };

    // The password is checked even when the key is wrong, so the answer's timing does not
    // tell which of the two was wrong either.
    const keyOk = admitMatches(input.admit, room.verifier);
    const passwordOk = room.passwordHash
      ? await hasher.verify(input.password ?? '', room.passwordHash)
      : true;
    if (!keyOk) refuse(ADMISSION_DENIED(), 'wrong room key');
    if (!passwordOk) refuse(ADMISSION_DENIED(), 'wrong room password');
    const ban = rooms.banOf(room.id, user.id);
    if (ban === 'banned') {
      refuse(new HttpError(403, 'banned', 'You are banned from this room.'), 'banned');
    }
    if (ban === 'kicked') {
      refuse(
        new HttpError(403, 'banned', 'You were removed from this room by its host.'),
        'kicked',
      );
    }
    if (room.closedAt !== null) {
      refuse(new HttpError(410, 'room_closed', 'This room has been closed.'), 'closed');
    }
    if (!rooms.isMember(room.id, user.id) && rooms.memberCount(room.id) >= room.capacity) {
      refuse(
        new HttpError(409, 'room_full', `This room is full (${room.capacity} members).`),
        'full',
      );
    }
    rooms.addMember(room.id, user.id);
    const { ticket, expiresAt } = tickets.issue({
      userId: user.id,
      username: user.username,
      roomId: room.id,
    });
    securityLog.record('room.admitted', { roomId: room.id, userId: user.id, ip });
    const body: AdmitResponse = {
      ticket,
      expiresAt,
      room: {
        id: room.id,
        host: room.ownerName,
        isHost: room.ownerId === user.id,
        capacity: room.capacity,
        cipher: room.cipher,
        fileTtl: room.fileTtlSeconds,
        ...(room.maxFileBytes === null ? {} : { maxFileBytes: room.maxFileBytes }),
      },
    };
    res.json(body);
  });

  for (const kind of ['kick', 'ban', 'unban'] as const) {
    router.post(`/rooms/:id/${kind}`, (req, res) => {
      const actorUser = requireUser(res);
      const room = findRoom(String(req.params.id));
      const actor = authorize(room, actorUser);
      const input = parseInput(RoomMemberAction, req.body);
      const target = users.byUsername(input.user);
      if (!target) throw new HttpError(404, 'unknown_user', 'There is no user with that name.');
      if (target.id === room.ownerId) {
        throw new HttpError(
          400,
          'cannot_moderate_host',
          'The host cannot be removed from their own room.',
        );
      }
      if (kind === 'unban') {
        res.json({ unbanned: moderation.unban(room, target, actor) });
        return;
      }
      const disconnected =
        kind === 'kick'
          ? moderation.kick(room, target, actor)
          : moderation.ban(room, target, actor);
      res.json({ disconnected });
    });
  }

  router.post('/rooms/:id/close', (req, res) => {
    const actorUser = requireUser(res);
    const room = findRoom(String(req.params.id));
    const actor = authorize(room, actorUser);
    res.json({ disconnected: moderation.close(room, actor) });
  });

  function findRoom(id: string): Room {
    const room = RoomId.safeParse(id).success ? rooms.byId(id) : null;
    if (!room) throw new HttpError(404, 'unknown_room', 'There is no room with that id.');
    return room;
  }

  return router;
}

/** The host of the room, or an admin acting on any room. */
function authorize(room: Room, user: User): { user: User; as: 'host' | 'admin' } {
  if (room.ownerId === user.id) return { user, as: 'host' };
  if (user.role === 'admin') return { user, as: 'admin' };
  throw new HttpError(403, 'not_host', 'Only the host of this room can do that.');
}

/** base64url(K_admit) hashes to the stored verifier; compared in constant time. */
function admitMatches(admit: string, verifier: string): boolean {
  const digest = createHash('sha256').update(Buffer.from(admit, 'base64url')).digest();
  const expected = Buffer.from(verifier, 'base64url');
  return expected.length === digest.length && timingSafeEqual(digest, expected);
}
