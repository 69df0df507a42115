// X-Forwarded-* is honoured only under TRUST_PROXY: a direct client cannot dodge rate
// limits by inventing addresses, while a server behind a TLS proxy still sets Secure
// cookies and HSTS.
import { afterEach, expect, it } from 'vitest';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it('without TRUST_PROXY, a forged X-Forwarded-For does not buy more login attempts', async () => {
  server = await startTestServer(
    {},
    { rateLimits: { loginPerIp: { points: 2, durationSeconds: 600 } } },
  );
  const client = api(server.url);
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const response = await client.request('POST', '/api/login', {
      json: { username: `who${i}`, password: 'wrong password' },
      headers: { 'x-forwarded-for': `198.51.100.${i}` },
    });
    statuses.push(response.status);
  }
  expect(statuses).toEqual([401, 401, 429, 429]);
});

it('behind a TLS proxy (TRUST_PROXY), cookies are Secure and HSTS is sent', async () => {
  server = await startTestServer({ TRUST_PROXY: 'loopback' });
  const client = api(server.url);
  await client.register('xavier');
  const viaProxy = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.9' };
  const login = await client.request('POST', '/api/login', {
    json: { username: 'xavier', password: TEST_PASSWORD },
    headers: viaProxy,
  });
  expect(login.status).toBe(200);
  expect(login.headers.get('set-cookie')).toMatch(/; Secure/);
  expect(login.headers.get('strict-transport-security')).toMatch(/max-age=/);
  // The security log records the client's address as the proxy reported it.
  const entry = server.services.securityLog.recent(5).find((event) => event.type === 'auth.login');
  expect(entry?.details.ip).toBe('198.51.100.9');
});
