// STUN/TURN servers for WebRTC. With TURN_SECRET, TURN credentials follow coturn's TURN
// REST scheme: username "<expiry>:<user id>", password HMAC-SHA1(secret, username).
import { createHmac } from 'node:crypto';
import { Router } from 'express';
import type { IceResponse } from '../../protocol';
import { requireUser } from '../auth-context';
import type { RouteDeps } from '../route-deps';

export function iceRoutes({ services }: RouteDeps): Router {
  const { ice } = services.config;
  const router = Router();

  router.get('/ice', (_req, res) => {
    const user = requireUser(res);
    const iceServers: IceResponse['iceServers'] = [];
    if (ice.stunUrls.length > 0) iceServers.push({ urls: ice.stunUrls });
    if (ice.turnSecret && ice.turnUrls.length > 0) {
      const username = `${Math.floor(Date.now() / 1000) + ice.turnTtlSeconds}:${user.id}`;
      const credential = createHmac('sha1', ice.turnSecret).update(username).digest('base64');
      iceServers.push({ urls: ice.turnUrls, username, credential });
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json({ iceServers } satisfies IceResponse);
  });

  return router;
}
