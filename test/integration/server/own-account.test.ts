// Changing one's password and deleting one's account.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SignalCloseCode } from '../../../signaling/protocol';
import { api, roomKey, TEST_PASSWORD } from '../../helpers/api';
import type { Api } from '../../helpers/api';
import { startTestServer } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';
import { openSignal } from './live-socket';

let server: TestServer;
let client: Api;

beforeAll(async () => {
  server = await startTestServer();
  client = api(server.url);
});
afterAll(() => server.close());

it('changes the password with the current one, signing out every session', async () => {
  const first = await client.signUp('yara');
  const second = await client.login('yara');
  const wrong = await client.request('PUT', '/api/me/password', {
    cookie: first,
    json: { currentPassword: 'not my password', newPassword: 'a new long password' },
  });
  expect(wrong.status).toBe(403);
  const weak = await client.request('PUT', '/api/me/password', {
    cookie: first,
    json: { currentPassword: TEST_PASSWORD, newPassword: 'short' },
  });
  expect(weak.status).toBe(400);
  const changed = await client.request('PUT', '/api/me/password', {
    cookie: first,
    json: { currentPassword: TEST_PASSWORD, newPassword: 'a new long password' },
  });
  expect(changed.status).toBe(204);
  expect((await client.request('GET', '/api/me', { cookie: first })).status).toBe(401);
  expect((await client.request('GET', '/api/me', { cookie: second })).status).toBe(401);
  await client.login('yara', 'a new long password');
});

it('deletes the account: its rooms close on live sockets, and the name is free again', async () => {
  const zed = await client.signUp('zed');
  const guest = await client.signUp('zed-guest');
  const key = roomKey();
  const roomId = await client.createRoom(zed, { verifier: key.verifier });
  const guestSocket = await openSignal(
    server.wsUrl,
    await client.admit(guest, roomId, { admit: key.admit }),
    roomId,
  );

  expect(
    (await client.request('DELETE', '/api/me', { cookie: zed, json: { password: 'wrong one!' } }))
      .status,
  ).toBe(403);
  const deleted = await client.request('DELETE', '/api/me', {
    cookie: zed,
    json: { password: TEST_PASSWORD },
  });
  expect(deleted.status).toBe(204);
  expect(await guestSocket.closed).toBe(SignalCloseCode.roomClosed);
  expect((await client.request('GET', '/api/me', { cookie: zed })).status).toBe(401);
  const admit = await client.request('POST', `/api/rooms/${roomId}/admit`, {
    cookie: guest,
    json: { admit: key.admit },
  });
  expect(admit.status).toBe(404);
  await client.register('zed');
});
