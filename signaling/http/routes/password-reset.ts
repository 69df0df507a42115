// Password reset. The request always answers 202, whether or not the account exists or
// has a mail address, so it cannot be used to find accounts.
import { Router } from 'express';
import { PasswordResetConfirm, PasswordResetRequest } from '../../protocol';
import { clientIp } from '../auth-context';
import { HttpError } from '../errors';
import type { RouteDeps } from '../route-deps';
import { parseInput } from '../validate';

export function passwordResetRoutes({ services, limiters }: RouteDeps): Router {
  const { users, resets, sessions, hasher, mailer, securityLog, logger } = services;
  const router = Router();

  router.post('/password-reset/request', async (req, res) => {
    const input = parseInput(PasswordResetRequest, req.body);
    const ip = clientIp(req);
    await limiters.consume(['passwordResetPerIp', ip]);
    const user = users.byUsername(input.username);
    const canMail = !!(user && user.email && mailer);
    securityLog.record('auth.password_reset_requested', {
      username: input.username,
      ip,
      mailed: canMail,
    });
    if (user && user.email && mailer) {
      const { token, expiresAt } = resets.issue(user.id);
      // Not awaited: the answer must not take longer for accounts that get a mail.
      mailer
        .sendPasswordReset({ to: user.email, username: user.username, token, expiresAt })
        .catch((error: Error) =>
          logger.error({ userId: user.id, err: { message: error.message } }, 'reset mail failed'),
        );
    }
    res.status(202).json({ ok: true });
  });

  router.post('/password-reset/confirm', async (req, res) => {
    const input = parseInput(PasswordResetConfirm, req.body);
    const ip = clientIp(req);
    await limiters.consume(['passwordResetPerIp', ip]);
    const userId = resets.consume(input.token);
    if (userId === null) {
      securityLog.record('auth.password_reset_failed', { ip });
      throw new HttpError(
        400,
        'invalid_token',
        'This reset code is invalid, already used or expired. Ask for a new one.',
      );
    }
    users.setPasswordHash(userId, await hasher.hash(input.password));
    // Whoever held the old password is signed out everywhere.
    sessions.revokeAllFor(userId);
    securityLog.record('auth.password_reset_completed', { userId, ip });
    res.status(204).end();
  });

  return router;
}
