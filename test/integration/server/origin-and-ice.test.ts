// Cross-site writes are refused even before cookies matter; /api/ice hands out STUN
// and coturn TURN REST credentials.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IceResponse } from '../../../signaling/protocol';
import { api, TEST_PASSWORD } from '../../helpers/api';
import type { Api } from '../../helpers/api';
import { startTestServer } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';

let server: TestServer;
let client: Api;
let cookie: string;

beforeAll(async () => {
  server = await startTestServer({
    ALLOWED_ORIGINS: 'https://app.example',
    STUN_URLS: 'stun:stun.example:3478',
    TURN_URLS: 'turn:turn.example:3478?transport=udp,turns:turn.example:5349',
    TURN_SECRET: 'coturn shared secret',
  });
  client = api(server.url);
  cookie = await client.signUp('victor');
});
afterAll(() => server.close());

describe('Origin on state-changing requests', () => {
  it('refuses another site (403) and accepts the own origin, allowed origins and no Origin', async () => {
    const attempt = (origin?: string) =>
      client.request('POST', '/api/login', {
        json: { username: 'victor', password: TEST_PASSWORD },
        ...(origin ? { headers: { origin } } : {}),
      });
    const evil = await attempt('https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.body).toMatchObject({ error: { code: 'cross_origin' } });
    expect((await attempt('null')).status).toBe(403);
    expect((await attempt(server.url)).status).toBe(200);
    expect((await attempt('https://app.example')).status).toBe(200);
    expect((await attempt()).status).toBe(200);
    // Reads are not state-changing: a cross-site GET is answered (the cookie is
    // SameSite=Strict, so a real browser would not have sent it anyway).
    expect(
      (
        await client.request('GET', '/api/me', {
          cookie,
          headers: { origin: 'https://evil.example' },
        })
      ).status,
    ).toBe(200);
  });
});

describe('GET /api/ice', () => {
  it('needs a session', async () => {
    expect((await client.request('GET', '/api/ice')).status).toBe(401);
  });

  it('returns STUN servers and short-lived TURN credentials coturn accepts', async () => {
    const response = await client.request<IceResponse>('GET', '/api/ice', { cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const [stun, turn] = response.body.iceServers;
    expect(stun).toEqual({ urls: ['stun:stun.example:3478'] });
    expect(turn!.urls).toEqual(['turn:turn.example:3478?transport=udp', 'turns:turn.example:5349']);
    const [expiry, userId] = turn!.username!.split(':');
    expect(Number(expiry) - Date.now() / 1000).toBeGreaterThan(3500);
    expect(Number(userId)).toBe(server.services.users.byUsername('victor')!.id);
    const expected = createHmac('sha1', 'coturn shared secret')
      .update(turn!.username!)
      .digest('base64');
    expect(turn!.credential).toBe(expected);
  });
});
