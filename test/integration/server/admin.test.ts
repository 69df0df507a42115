// The admin API: who may use it, and each lever (users, rooms, connections, the security
// log, account and IP bans, kick, close, reset tokens).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalCloseCode } from '../../../signaling/protocol';
import { api, roomKey } from '../../helpers/api';
import type { Api } from '../../helpers/api';
import { startTestServer } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';
import { openSignal } from './live-socket';

let server: TestServer;
let client: Api;
let admin: string;
let user: string;

beforeAll(async () => {
  // TRUST_PROXY lets the test speak as other addresses (X-Forwarded-For) for IP bans.
  server = await startTestServer({
    ADMIN_USERNAME: 'root',
    ADMIN_PASSWORD: 'root password 123',
    TRUST_PROXY: 'true',
  });
  client = api(server.url);
  admin = await client.login('root', 'root password 123');
  user = await client.signUp('paul');
});
afterAll(() => server.close());

describe('access', () => {
  it('401 without a session, 403 for a non-admin, on every admin route', async () => {
    for (const [method, path] of [
      ['GET', '/api/admin/users'],
      ['GET', '/api/admin/rooms'],
      ['GET', '/api/admin/connections'],
      ['GET', '/api/admin/security-log'],
      ['POST', '/api/admin/users/paul/ban'],
      ['POST', '/api/admin/ip-bans'],
      ['POST', '/api/admin/users/paul/reset-token'],
    ] as const) {
      expect((await client.request(method, path)).status, path).toBe(401);
      const body = method === 'POST' ? { json: {} } : {};
      expect((await client.request(method, path, { cookie: user, ...body })).status, path).toBe(
        403,
      );
    }
  });

  it('ADMIN_USERNAME/ADMIN_PASSWORD created the admin once', async () => {
    const me = await client.request('GET', '/api/me', { cookie: admin });
    expect(me.body).toMatchObject({ username: 'root', role: 'admin' });
  });
});

describe('views', () => {
  it('lists users, rooms and live connections', async () => {
    const key = roomKey();
    const roomId = await client.createRoom(user, { verifier: key.verifier });
    const live = await openSignal(
      server.wsUrl,
      await client.admit(user, roomId, { admit: key.admit }),
      roomId,
    );

    const users = await client.request<{ users: Array<{ username: string; role: string }> }>(
      'GET',
      '/api/admin/users',
      { cookie: admin },
    );
    expect(users.body.users.map((u) => [u.username, u.role])).toEqual(
      expect.arrayContaining([
        ['root', 'admin'],
        ['paul', 'user'],
      ]),
    );
    expect(JSON.stringify(users.body)).not.toContain('argon2');

    const rooms = await client.request<{
      rooms: Array<{ id: string; host: string; connections: number }>;
    }>('GET', '/api/admin/rooms', { cookie: admin });
    expect(rooms.body.rooms.find((room) => room.id === roomId)).toMatchObject({
      host: 'paul',
      connections: 1,
    });
    expect(JSON.stringify(rooms.body)).not.toContain(key.verifier);

    const connections = await client.request<{
      connections: Array<{ username: string; roomId: string }>;
    }>('GET', '/api/admin/connections', { cookie: admin });
    expect(connections.body.connections).toEqual([
      expect.objectContaining({ username: 'paul', roomId, subscribed: true }),
    ]);
    live.socket.close();
    await live.closed;
  });

  it('reads the decrypted security log with its chain status', async () => {
    const log = await client.request<{
      chain: { ok: boolean; entries: number };
      entries: Array<{ seq: number; type: string; details: Record<string, unknown> }>;
    }>('GET', '/api/admin/security-log?limit=500', { cookie: admin });
    expect(log.status).toBe(200);
    expect(log.body.chain.ok).toBe(true);
    expect(log.body.entries.length).toBe(log.body.chain.entries);
    const types = log.body.entries.map((entry) => entry.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'admin.created',
        'auth.registered',
        'auth.login',
        'room.created',
        'room.admitted',
      ]),
    );
    expect(
      (await client.request('GET', '/api/admin/security-log?limit=0', { cookie: admin })).status,
    ).toBe(400);
  });
});

describe('levers', () => {
  it('banning an account signs it out, closes its sockets and refuses login; unban restores', async () => {
    const quinn = await client.signUp('quinn');
    const key = roomKey();
    const roomId = await client.createRoom(quinn, { verifier: key.verifier });
    const live = await openSignal(
      server.wsUrl,
      await client.admit(quinn, roomId, { admit: key.admit }),
      roomId,
    );

    const ban = await client.request('POST', '/api/admin/users/quinn/ban', { cookie: admin });
    expect(ban.body).toEqual({ sessionsRevoked: 1, disconnected: 1 });
    expect(await live.closed).toBe(SignalCloseCode.banned);
    expect((await client.request('GET', '/api/me', { cookie: quinn })).status).toBe(401);
    const login = await client.request('POST', '/api/login', {
      json: { username: 'quinn', password: 'correct horse battery staple' },
    });
    expect(login.status).toBe(403);
    expect(login.body).toMatchObject({ error: { code: 'account_banned' } });

    expect(
      (await client.request('POST', '/api/admin/users/quinn/unban', { cookie: admin })).status,
    ).toBe(204);
    await client.login('quinn');
    expect(
      (await client.request('POST', '/api/admin/users/root/ban', { cookie: admin })).status,
    ).toBe(400);
    expect(
      (await client.request('POST', '/api/admin/users/nobody/ban', { cookie: admin })).status,
    ).toBe(404);
  });

  it('an IP ban blocks that address from the API and lifts again', async () => {
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const banned = '203.0.113.7';
    const add = await client.request('POST', '/api/admin/ip-bans', {
      cookie: admin,
      json: { ip: banned },
    });
    expect(add.status).toBe(201);
    const blocked = await client.request('GET', '/api/me', { cookie: user, headers: from(banned) });
    expect(blocked.status).toBe(403);
    expect(blocked.body).toMatchObject({ error: { code: 'ip_banned' } });
    expect(
      (await client.request('GET', '/api/me', { cookie: user, headers: from('203.0.113.8') }))
        .status,
    ).toBe(200);
    const list = await client.request('GET', '/api/admin/ip-bans', { cookie: admin });
    expect(list.body).toMatchObject({ ipBans: [{ ip: banned }] });
    expect(
      (
        await client.request('POST', '/api/admin/ip-bans', {
          cookie: admin,
          json: { ip: 'not an ip' },
        })
      ).status,
    ).toBe(400);

    expect(
      (await client.request('DELETE', `/api/admin/ip-bans/${banned}`, { cookie: admin })).status,
    ).toBe(204);
    expect(
      (await client.request('GET', '/api/me', { cookie: user, headers: from(banned) })).status,
    ).toBe(200);
    expect(
      (await client.request('DELETE', `/api/admin/ip-bans/${banned}`, { cookie: admin })).status,
    ).toBe(404);
  });

  it('kicks a member and closes a room, on live sockets', async () => {
    const key = roomKey();
    const roomId = await client.createRoom(user, { verifier: key.verifier });
    const rita = await client.signUp('rita');
    const ritaSocket = await openSignal(
      server.wsUrl,
      await client.admit(rita, roomId, { admit: key.admit }),
      roomId,
    );
    const hostSocket = await openSignal(
      server.wsUrl,
      await client.admit(user, roomId, { admit: key.admit }),
      roomId,
    );

    const kick = await client.request('POST', `/api/admin/rooms/${roomId}/kick`, {
      cookie: admin,
      json: { user: 'rita' },
    });
    expect(kick.body).toEqual({ disconnected: 1 });
    expect(await ritaSocket.closed).toBe(SignalCloseCode.kicked);

    const close = await client.request('POST', `/api/admin/rooms/${roomId}/close`, {
      cookie: admin,
    });
    expect(close.body).toEqual({ disconnected: 1 });
    expect(await hostSocket.closed).toBe(SignalCloseCode.roomClosed);
    const after = await client.request('POST', `/api/rooms/${roomId}/admit`, {
      cookie: user,
      json: { admit: key.admit },
    });
    expect(after.status).toBe(410);
    expect(
      (await client.request('POST', `/api/admin/rooms/${'q'.repeat(22)}/close`, { cookie: admin }))
        .status,
    ).toBe(404);
  });
});
