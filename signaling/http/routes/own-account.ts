// A signed-in person's own account: change the password, delete the account. Both ask
// for the current password (rate-limited like login), so a borrowed session cannot.
import { Router } from 'express';
import type { Request } from 'express';
import type { User } from '../../accounts/users';
import { ChangePasswordRequest, DeleteAccountRequest, SignalCloseCode } from '../../protocol';
import { clientIp, requireUser } from '../auth-context';
import { clearSessionCookie } from '../cookies';
import { HttpError } from '../errors';
import type { RouteDeps } from '../route-deps';
import { parseInput } from '../validate';

export function ownAccountRoutes({ services, limiters, relay }: RouteDeps): Router {
  const { users, rooms, sessions, hasher, securityLog } = services;
  const router = Router();

  async function checkPassword(req: Request, user: User, password: string): Promise<void> {
    const ip = clientIp(req);
    await limiters.consume(
      ['loginPerIp', ip],
      ['loginPerUsernameAndIp', `${ip}|${user.username.toLowerCase()}`],
    );
    if (!(await hasher.verify(password, user.passwordHash))) {
      securityLog.record('auth.login_failed', {
        userId: user.id,
        ip,
        reason: 'wrong current password',
      });
      throw new HttpError(403, 'wrong_password', 'Your current password is wrong.');
    }
  }

  router.put('/me/password', async (req, res) => {
    const user = requireUser(res);
    const input = parseInput(ChangePasswordRequest, req.body);
    await checkPassword(req, user, input.currentPassword);
    users.setPasswordHash(user.id, await hasher.hash(input.newPassword));
    // Every session is signed out, this one included: sign in again with the new password.
    sessions.revokeAllFor(user.id);
    clearSessionCookie(req, res);
    securityLog.record('auth.password_changed', { userId: user.id, ip: clientIp(req) });
    res.status(204).end();
  });

  router.delete('/me', async (req, res) => {
    const user = requireUser(res);
    const input = parseInput(DeleteAccountRequest, req.body);
    await checkPassword(req, user, input.password);
    // The rooms this person hosts go with the account: their members are told now.
    for (const roomId of rooms.idsOwnedBy(user.id)) {
      relay().disconnect({ roomId }, SignalCloseCode.roomClosed, 'room closed');
    }
    relay().disconnect({ userId: user.id }, SignalCloseCode.kicked, 'account deleted');
    users.delete(user.id);
    clearSessionCookie(req, res);
    securityLog.record('auth.account_deleted', { userId: user.id, username: user.username });
    res.status(204).end();
  });

  return router;
}
