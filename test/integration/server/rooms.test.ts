// Rooms: creation, admission with every refusal status, and the host's moderation taking
// effect on live sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalCloseCode } from '../../../signaling/protocol';
import { api, roomKey } from '../../helpers/api';
import type { Api } from '../../helpers/api';
import { startTestServer } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';
import { openSignal } from './live-socket';

let server: TestServer;
let client: Api;
let host: string;
let guest: string;
let guestId: number;

beforeAll(async () => {
  server = await startTestServer();
  client = api(server.url);
  host = await client.signUp('host');
  guest = await client.signUp('guest');
  guestId = server.services.users.byUsername('guest')!.id;
});
afterAll(() => server.close());

async function newRoom(options: { password?: string; capacity?: number } = {}) {
  const key = roomKey();
  const id = await client.createRoom(host, { verifier: key.verifier, ...options });
  return { id, key };
}

describe('create', () => {
  it('answers 201 with a 22-character id, and stores only the verifier', async () => {
    const { id, key } = await newRoom();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const row = server.services.db.prepare('SELECT * FROM rooms WHERE id = ?').get(id);
    expect(JSON.stringify(row)).not.toContain(key.admit);
    expect(row).toMatchObject({ verifier: key.verifier, capacity: 16, cipher: 'aes-256-gcm' });
  });

  it('needs a session (401) and a well-formed verifier (400)', async () => {
    const body = { verifier: roomKey().verifier };
    expect((await client.request('POST', '/api/rooms', { json: body })).status).toBe(401);
    for (const json of [
      { verifier: 'short' },
      { verifier: roomKey().verifier, capacity: 1000 },
      { verifier: roomKey().verifier, cipher: 'rot13' },
    ]) {
      const response = await client.request('POST', '/api/rooms', { cookie: host, json });
      expect(response.status).toBe(400);
    }
  });
});

describe('admit', () => {
  it('gives the right key a ticket bound to the user and the room', async () => {
    const { id, key } = await newRoom();
    const admitted = await client.admitFull(guest, id, { admit: key.admit });
    expect(admitted.room).toMatchObject({ id, host: 'host', isHost: false, capacity: 16 });
    const claims = server.services.tickets.verify(admitted.ticket);
    expect(claims).toMatchObject({ userId: guestId, username: 'guest', roomId: id });
    expect(claims!.expiresAt).toBeGreaterThan(Date.now());
  });

  it('404 for an unknown room, 401 without a session', async () => {
    const { key } = await newRoom();
    const unknown = await client.request('POST', `/api/rooms/${'x'.repeat(22)}/admit`, {
      cookie: guest,
      json: { admit: key.admit },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'unknown_room' } });
    const anonymous = await client.request('POST', `/api/rooms/${'x'.repeat(22)}/admit`, {
      json: { admit: key.admit },
    });
    expect(anonymous.status).toBe(401);
  });

  it('403 with the SAME body for a wrong room key and a wrong room password', async () => {
    const { id, key } = await newRoom({ password: 'room password' });
    const wrongKey = await client.request('POST', `/api/rooms/${id}/admit`, {
      cookie: guest,
      json: { admit: roomKey().admit, password: 'room password' },
    });
    const wrongPassword = await client.request('POST', `/api/rooms/${id}/admit`, {
      cookie: guest,
      json: { admit: key.admit, password: 'not it' },
    });
    const noPassword = await client.request('POST', `/api/rooms/${id}/admit`, {
      cookie: guest,
      json: { admit: key.admit },
    });
    expect([wrongKey.status, wrongPassword.status, noPassword.status]).toEqual([403, 403, 403]);
    expect(wrongPassword.body).toEqual(wrongKey.body);
    expect(noPassword.body).toEqual(wrongKey.body);
    const ok = await client.admit(guest, id, { admit: key.admit, password: 'room password' });
    expect(server.services.tickets.verify(ok)).not.toBeNull();
  });

  it('409 when the room is full; existing members still get in', async () => {
    const { id, key } = await newRoom({ capacity: 2 });
    await client.admit(guest, id, { admit: key.admit });
    const third = await client.signUp('third');
    const full = await client.request('POST', `/api/rooms/${id}/admit`, {
      cookie: third,
      json: { admit: key.admit },
    });
    expect(full.status).toBe(409);
    expect(full.body).toMatchObject({ error: { code: 'room_full' } });
    await client.admit(guest, id, { admit: key.admit });
    await client.admit(host, id, { admit: key.admit });
  });
});

describe('moderation', () => {
  it("kick closes the member's live socket (4003) and refuses re-admission until unban", async () => {
    const { id, key } = await newRoom();
    const live = await openSignal(
      server.wsUrl,
      await client.admit(guest, id, { admit: key.admit }),
      id,
    );

    const kick = await client.request('POST', `/api/rooms/${id}/kick`, {
      cookie: host,
      json: { user: 'guest' },
    });
    expect(kick.status).toBe(200);
    expect(kick.body).toEqual({ disconnected: 1 });
    expect(await live.closed).toBe(SignalCloseCode.kicked);

    const again = await client.request('POST', `/api/rooms/${id}/admit`, {
      cookie: guest,
      json: { admit: key.admit },
    });
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ error: { code: 'banned' } });

    const unban = await client.request('POST', `/api/rooms/${id}/unban`, {
      cookie: host,
      json: { user: 'guest' },
    });
    expect(unban.body).toEqual({ unbanned: true });
    await client.admit(guest, id, { admit: key.admit });
  });

  it('ban closes the socket (4004) and admit answers 403 banned', async () => {
    const { id, key } = await newRoom();
    const live = await openSignal(
      server.wsUrl,
      await client.admit(guest, id, { admit: key.admit }),
      id,
    );
    const ban = await client.request('POST', `/api/rooms/${id}/ban`, {
      cookie: host,
      json: { user: 'guest' },
    });
    expect(ban.body).toEqual({ disconnected: 1 });
    expect(await live.closed).toBe(SignalCloseCode.banned);
    const refused = await client.request('POST', `/api/rooms/${id}/admit`, {
      cookie: guest,
      json: { admit: key.admit },
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      error: { code: 'banned', message: 'You are banned from this room.' },
    });
  });

  it('close ends every live socket (4010) and admit answers 410', async () => {
    const { id, key } = await newRoom();
    const guestSocket = await openSignal(
      server.wsUrl,
      await client.admit(guest, id, { admit: key.admit }),
      id,
    );
    const hostSocket = await openSignal(
      server.wsUrl,
      await client.admit(host, id, { admit: key.admit }),
      id,
    );
    const close = await client.request('POST', `/api/rooms/${id}/close`, { cookie: host });
    expect(close.body).toEqual({ disconnected: 2 });
    expect(await guestSocket.closed).toBe(SignalCloseCode.roomClosed);
    expect(await hostSocket.closed).toBe(SignalCloseCode.roomClosed);
    const gone = await client.request('POST', `/api/rooms/${id}/admit`, {
      cookie: guest,
      json: { admit: key.admit },
    });
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ error: { code: 'room_closed' } });
  });

  it('only the host may moderate (403), the host cannot be kicked (400), unknown users 404', async () => {
    const { id, key } = await newRoom();
    await client.admit(guest, id, { admit: key.admit });
    const byGuest = await client.request('POST', `/api/rooms/${id}/kick`, {
      cookie: guest,
      json: { user: 'host' },
    });
    expect(byGuest.status).toBe(403);
    expect((await client.request('POST', `/api/rooms/${id}/close`, { cookie: guest })).status).toBe(
      403,
    );
    const kickHost = await client.request('POST', `/api/rooms/${id}/kick`, {
      cookie: host,
      json: { user: 'host' },
    });
    expect(kickHost.status).toBe(400);
    const ghost = await client.request('POST', `/api/rooms/${id}/ban`, {
      cookie: host,
      json: { user: 'ghost' },
    });
    expect(ghost.status).toBe(404);
    const noRoom = await client.request('POST', `/api/rooms/${'z'.repeat(22)}/kick`, {
      cookie: host,
      json: { user: 'guest' },
    });
    expect(noRoom.status).toBe(404);
  });
});
