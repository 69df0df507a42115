// Devices' identity public keys, for invitations.
import { Router } from 'express';
import { TooManyDevicesError } from '../../accounts/device-keys';
import { PutDeviceKeyRequest, Username } from '../../protocol';
import type { UserKeysResponse } from '../../protocol';
import { requireUser } from '../auth-context';
import { HttpError } from '../errors';
import type { RouteDeps } from '../route-deps';
import { parseInput } from '../validate';

export function deviceKeyRoutes({ services }: RouteDeps): Router {
  const { users, deviceKeys, securityLog } = services;
  const router = Router();

  router.put('/me/keys', (req, res) => {
    const user = requireUser(res);
    const input = parseInput(PutDeviceKeyRequest, req.body);
    try {
      deviceKeys.put(user.id, input);
    } catch (error) {
      if (error instanceof TooManyDevicesError) {
        throw new HttpError(409, 'too_many_devices', error.message);
      }
      throw error;
    }
    securityLog.record('auth.keys_published', { userId: user.id, deviceId: input.deviceId });
    res.status(204).end();
  });

  router.get('/users/:name/keys', (req, res) => {
    requireUser(res);
    const name = Username.safeParse(req.params.name);
    const owner = name.success ? users.byUsername(name.data) : null;
    if (!owner) throw new HttpError(404, 'unknown_user', 'There is no user with that name.');
    const body: UserKeysResponse = { username: owner.username, keys: deviceKeys.list(owner.id) };
    res.json(body);
  });

  return router;
}
