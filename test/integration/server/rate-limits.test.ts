// Brute-force limits: 429 with Retry-After past each threshold, and proof that a limited
// request never reaches Argon2 (the pool's job counter stands still).
import { afterEach, expect, it } from 'vitest';
import { api, roomKey, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const rule = (points: number) => ({ points, durationSeconds: 600 });

it('login: 429 past the per-username+IP threshold, before any hashing', async () => {
  server = await startTestServer({}, { rateLimits: { loginPerUsernameAndIp: rule(3) } });
  const client = api(server.url);
  await client.register('ivan');
  const attempt = () =>
    client.request('POST', '/api/login', {
      json: { username: 'ivan', password: 'wrong password' },
    });
  for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);

  const jobsBefore = server.services.pool.jobsStarted;
  const limited = await attempt();
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(limited.body).toMatchObject({ error: { code: 'rate_limited' } });
  // Even the right password is refused now, and costs no Argon2 work at all.
  const right = await client.request('POST', '/api/login', {
    json: { username: 'ivan', password: TEST_PASSWORD },
  });
  expect(right.status).toBe(429);
  for (let i = 0; i < 20; i++) await attempt();
  expect(server.services.pool.jobsStarted).toBe(jobsBefore);

  // Another username from the same address is a different bucket.
  await client.register('judy');
  await client.login('judy');
});

it('login: 429 past the per-IP threshold across usernames', async () => {
  server = await startTestServer({}, { rateLimits: { loginPerIp: rule(5) } });
  const client = api(server.url);
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) {
    const response = await client.request('POST', '/api/login', {
      json: { username: `user${i}`, password: 'wrong password' },
    });
    statuses.push(response.status);
  }
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
});

it('register: 429 past the per-IP threshold, before hashing', async () => {
  server = await startTestServer({}, { rateLimits: { registerPerIp: rule(2) } });
  const client = api(server.url);
  await client.register('kim');
  await client.register('lee');
  const jobsBefore = server.services.pool.jobsStarted;
  const third = await client.request('POST', '/api/register', {
    json: { username: 'max', password: TEST_PASSWORD },
  });
  expect(third.status).toBe(429);
  expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(server.services.pool.jobsStarted).toBe(jobsBefore);
});

it('admit: 429 per user and room, before the room password is hashed', async () => {
  server = await startTestServer({}, { rateLimits: { admitPerUserAndRoom: rule(2) } });
  const client = api(server.url);
  const owner = await client.signUp('nina');
  const guesser = await client.signUp('oscar');
  const key = roomKey();
  const roomId = await client.createRoom(owner, { verifier: key.verifier, password: 'room pass' });
  const guess = () =>
    client.request('POST', `/api/rooms/${roomId}/admit`, {
      cookie: guesser,
      json: { admit: key.admit, password: 'guess' },
    });
  expect((await guess()).status).toBe(403);
  expect((await guess()).status).toBe(403);
  const jobsBefore = server.services.pool.jobsStarted;
  expect((await guess()).status).toBe(429);
  expect(server.services.pool.jobsStarted).toBe(jobsBefore);
  // The owner has their own bucket.
  await client.admit(owner, roomId, { admit: key.admit, password: 'room pass' });
  // A rate-limit hit is in the security log.
  const types = server.services.securityLog.recent(50).map((event) => event.type);
  expect(types).toContain('room.rate_limited');
});
