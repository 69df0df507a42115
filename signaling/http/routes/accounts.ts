// Register, login, logout, me. Rate limits come before Argon2; unknown users cost a
// dummy hash so timing does not reveal which accounts exist.
import { Router } from 'express';
import { UsernameTakenError } from '../../accounts/users';
import type { User } from '../../accounts/users';
import { LoginRequest, RegisterRequest } from '../../protocol';
import type { MeResponse } from '../../protocol';
import { clientIp, optionalUser, requireUser, sessionIdOf } from '../auth-context';
import { clearSessionCookie, setSessionCookie } from '../cookies';
import { HttpError } from '../errors';
import type { RouteDeps } from '../route-deps';
import { parseInput } from '../validate';

const BAD_CREDENTIALS = new HttpError(401, 'bad_credentials', 'Wrong username or password.');

export function publicUser(user: User): MeResponse {
  return { id: user.id, username: user.username, role: user.role };
}

export function accountRoutes({ services, limiters }: RouteDeps): Router {
  const { users, sessions, hasher, securityLog, config } = services;
  const router = Router();

  router.post('/register', async (req, res) => {
    const input = parseInput(RegisterRequest, req.body);
    const ip = clientIp(req);
    await limiters.consume(['registerPerIp', ip]);
    if (users.byUsername(input.username)) throw taken(input.username);
    const passwordHash = await hasher.hash(input.password);
    let user: User;
    try {
      user = users.create({
        username: input.username,
        passwordHash,
        ...(input.email ? { email: input.email } : {}),
      });
    } catch (error) {
      if (error instanceof UsernameTakenError) throw taken(input.username);
      throw error;
    }
    securityLog.record('auth.registered', { userId: user.id, username: user.username, ip });
    res.status(201).json(publicUser(user));
  });

  router.post('/login', async (req, res) => {
    const input = parseInput(LoginRequest, req.body);
    const ip = clientIp(req);
    const perUser = `${ip}|${input.username.toLowerCase()}`;
    await limiters.consume(['loginPerIp', ip], ['loginPerUsernameAndIp', perUser]);

    const user = users.byUsername(input.username);
    const valid = user
      ? await hasher.verify(input.password, user.passwordHash)
      : await hasher.verifyDummy(input.password);
    if (!user || !valid) {
      securityLog.record('auth.login_failed', { username: input.username, ip, known: !!user });
      throw BAD_CREDENTIALS;
    }
    if (user.bannedAt !== null) {
      securityLog.record('auth.login_failed', { userId: user.id, ip, reason: 'account banned' });
      throw new HttpError(403, 'account_banned', 'This account is banned. Contact the admin.');
    }
    await limiters.reset('loginPerUsernameAndIp', perUser);
    if (hasher.needsUpgrade(user.passwordHash)) {
      // Stored under older, weaker parameters: rehash now that we hold the password.
      users.setPasswordHash(user.id, await hasher.hash(input.password));
      securityLog.record('auth.hash_upgraded', { userId: user.id });
    }
    const session = sessions.create(user.id);
    setSessionCookie(req, res, session.id, config.sessionTtlMs);
    securityLog.record('auth.login', { userId: user.id, username: user.username, ip });
    res.json(publicUser(user));
  });

  router.post('/logout', (req, res) => {
    const id = sessionIdOf(res);
    const user = optionalUser(res);
    if (id) sessions.revoke(id);
    if (user) securityLog.record('auth.logout', { userId: user.id, ip: clientIp(req) });
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  router.get('/me', (_req, res) => {
    res.json(publicUser(requireUser(res)));
  });

  return router;
}

function taken(username: string): HttpError {
  return new HttpError(409, 'username_taken', `The username "${username}" is taken; pick another.`);
}
