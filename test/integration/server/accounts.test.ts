// Register, login, logout, me and sessions, as a person (or an attacker) would use them.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paramsOf } from '../../../signaling/accounts/passwords';
import { api, TEST_PASSWORD } from '../../helpers/api';
import type { Api } from '../../helpers/api';
import { startTestServer, TEST_ARGON2 } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';

let server: TestServer;
let client: Api;

beforeAll(async () => {
  server = await startTestServer();
  client = api(server.url);
});
afterAll(() => server.close());

describe('register', () => {
  it('creates an account (201) and refuses the same name in any case (409)', async () => {
    const created = await client.request('POST', '/api/register', {
      json: { username: 'alice', password: TEST_PASSWORD },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'alice', role: 'user' });
    const again = await client.request('POST', '/api/register', {
      json: { username: 'ALICE', password: TEST_PASSWORD },
    });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      error: { code: 'username_taken', message: expect.stringContaining('taken') },
    });
  });

  it.each([
    [{ username: 'ab', password: TEST_PASSWORD }, /at least 3/],
    [{ username: 'a'.repeat(33), password: TEST_PASSWORD }, /at most 32/],
    [{ username: 'bad name', password: TEST_PASSWORD }, /letters, digits/],
    [{ username: 'bell\u0007', password: TEST_PASSWORD }, /letters, digits/],
    [{ username: 'bob', password: 'short' }, /at least 10/],
    [{ username: 'bob', password: 'x'.repeat(1025) }, /at most 1024/],
    [{ username: 'bob' }, /password/],
    [{ username: 'bob', password: TEST_PASSWORD, admin: true }, /admin|unrecognized/i],
  ])('rejects %j with a clear 400', async (json, message) => {
    const response = await client.request<{ error: { code: string; message: string } }>(
      'POST',
      '/api/register',
      { json },
    );
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_input');
    expect(response.body.error.message).toMatch(message);
  });

  it('rejects a body that is not JSON', async () => {
    const response = await client.request('POST', '/api/register', {
      body: 'username=bob&password=1234567890',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'invalid_input' } });
  });
});

describe('login and sessions', () => {
  beforeAll(async () => {
    await client.register('carol');
  });

  it('sets an HttpOnly, SameSite=Strict session cookie (not Secure over plain HTTP)', async () => {
    const response = await client.request('POST', '/api/login', {
      json: { username: 'carol', password: TEST_PASSWORD },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ username: 'carol', role: 'user' });
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sid=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('answers a wrong password and an unknown user with the same 401 body', async () => {
    const wrong = await client.request('POST', '/api/login', {
      json: { username: 'carol', password: 'not the password' },
    });
    const unknown = await client.request('POST', '/api/login', {
      json: { username: 'nobody-here', password: 'not the password' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('/api/me needs a session; logout revokes it server-side', async () => {
    expect((await client.request('GET', '/api/me')).status).toBe(401);
    const cookie = await client.login('carol');
    const me = await client.request('GET', '/api/me', { cookie });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'carol' });

    const logout = await client.request('POST', '/api/logout', { cookie });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/sid=;/);
    // The old cookie, replayed, no longer works: the session is gone on the server.
    expect((await client.request('GET', '/api/me', { cookie })).status).toBe(401);
  });

  it('an expired session is refused', async () => {
    const cookie = await client.login('carol');
    expect((await client.request('GET', '/api/me', { cookie })).status).toBe(200);
    server.services.db.prepare('UPDATE sessions SET expires_at = ?').run(Date.now() - 1);
    expect((await client.request('GET', '/api/me', { cookie })).status).toBe(401);
  });

  it('a forged session id is refused', async () => {
    const forged = `sid=${'A'.repeat(43)}`;
    expect((await client.request('GET', '/api/me', { cookie: forged })).status).toBe(401);
  });
});

describe('Argon2 parameters', () => {
  it('stores Argon2id hashes with their parameters and upgrades weak ones at login', async () => {
    const weak = { memoryKiB: 128, iterations: 1, parallelism: 1 };
    const first = await startTestServer({}, { argon2: weak, keepDataDir: true });
    const dataDir = first.dataDir;
    await api(first.url).register('dave');
    const before = first.services.users.byUsername('dave')!.passwordHash;
    expect(before).toMatch(/^\$argon2id\$v=19\$m=128,t=1,p=1\$/);
    await first.close();

    // The same data, served with stronger parameters: login rehashes.
    const second = await startTestServer({}, { dataDir, argon2: TEST_ARGON2 });
    try {
      await api(second.url).login('dave');
      const after = second.services.users.byUsername('dave')!.passwordHash;
      expect(paramsOf(after)).toEqual(TEST_ARGON2);
      await api(second.url).login('dave');
    } finally {
      await second.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
