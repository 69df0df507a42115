// Who is asking: the session cookie resolved to a user once per request, plus the
// client address as Express sees it (honouring X-Forwarded-For only under TRUST_PROXY).
import type { Request, RequestHandler, Response } from 'express';
import { normalizeIp } from '../accounts/ip-bans';
import type { User } from '../accounts/users';
import type { Services } from '../services';
import { readCookie, SESSION_COOKIE } from './cookies';
import { HttpError } from './errors';

interface Locals {
  user?: User;
  sessionId?: string;
}

export function loadSession(services: Services): RequestHandler {
  return (req, res, next) => {
    const id = readCookie(req, SESSION_COOKIE);
    if (id) {
      const user = services.sessions.userFor(id);
      if (user) Object.assign(res.locals as Locals, { user, sessionId: id });
    }
    next();
  };
}

export function optionalUser(res: Response): User | undefined {
  return (res.locals as Locals).user;
}

export function sessionIdOf(res: Response): string | undefined {
  return (res.locals as Locals).sessionId;
}

export function requireUser(res: Response): User {
  const user = optionalUser(res);
  if (!user) throw new HttpError(401, 'not_signed_in', 'Sign in first.');
  return user;
}

export function requireAdmin(res: Response): User {
  const user = requireUser(res);
  if (user.role !== 'admin') throw new HttpError(403, 'not_admin', 'This needs an admin account.');
  return user;
}

export function clientIp(req: Request): string {
  return normalizeIp(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

/** Banned addresses get nothing from the API. */
export function refuseBannedIps(services: Services): RequestHandler {
  // One log entry per address per minute: a banned flooder must not flood the log too.
  const lastRecorded = new Map<string, number>();
  return (req, _res, next) => {
    const ip = clientIp(req);
    if (services.ipBans.has(ip)) {
      const now = Date.now();
      if (now - (lastRecorded.get(ip) ?? 0) > 60_000) {
        if (lastRecorded.size > 10_000) lastRecorded.clear();
        lastRecorded.set(ip, now);
        services.securityLog.record('http.ip_banned_request', { ip, path: req.path.slice(0, 64) });
      }
      throw new HttpError(403, 'ip_banned', 'Requests from this address are blocked.');
    }
    next();
  };
}
