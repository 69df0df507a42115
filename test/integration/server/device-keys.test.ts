// Devices publish identity public keys; others look them up by username.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { api } from '../../helpers/api';
import type { Api } from '../../helpers/api';
import { startTestServer } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';

let server: TestServer;
let client: Api;
let gina: string;
let hal: string;
const publicKey = () => randomBytes(32).toString('base64url');

beforeAll(async () => {
  server = await startTestServer();
  client = api(server.url);
  gina = await client.signUp('gina');
  hal = await client.signUp('hal');
});
afterAll(() => server.close());

it('publishes, replaces and lists a device key', async () => {
  const first = { deviceId: 'laptop', algorithm: 'ed25519', publicKey: publicKey() };
  expect((await client.request('PUT', '/api/me/keys', { cookie: gina, json: first })).status).toBe(
    204,
  );
  const replaced = { ...first, publicKey: publicKey() };
  await client.request('PUT', '/api/me/keys', { cookie: gina, json: replaced });
  const phone = {
    deviceId: 'phone',
    algorithm: 'ecdsa-p256',
    publicKey: randomBytes(65).toString('base64url'),
  };
  await client.request('PUT', '/api/me/keys', { cookie: gina, json: phone });

  const listed = await client.request('GET', '/api/users/gina/keys', { cookie: hal });
  expect(listed.status).toBe(200);
  expect(listed.body).toMatchObject({
    username: 'gina',
    keys: [
      { deviceId: 'laptop', algorithm: 'ed25519', publicKey: replaced.publicKey },
      { deviceId: 'phone', algorithm: 'ecdsa-p256', publicKey: phone.publicKey },
    ],
  });
});

it('401 without a session, 404 for an unknown user, 400 for a malformed key', async () => {
  expect((await client.request('GET', '/api/users/gina/keys')).status).toBe(401);
  const key = { deviceId: 'x', algorithm: 'ed25519', publicKey: publicKey() };
  expect((await client.request('PUT', '/api/me/keys', { json: key })).status).toBe(401);
  expect((await client.request('GET', '/api/users/nobody/keys', { cookie: hal })).status).toBe(404);
  expect((await client.request('GET', '/api/users/%00bad/keys', { cookie: hal })).status).toBe(404);
  for (const bad of [
    { ...key, algorithm: 'rsa' },
    { ...key, publicKey: 'not base64url!' },
    { ...key, deviceId: '../../etc' },
  ]) {
    expect((await client.request('PUT', '/api/me/keys', { cookie: hal, json: bad })).status).toBe(
      400,
    );
  }
});

it('an account holds at most 16 device keys (409 beyond)', async () => {
  for (let i = 0; i < 16; i++) {
    const response = await client.request('PUT', '/api/me/keys', {
      cookie: hal,
      json: { deviceId: `device${i}`, algorithm: 'ed25519', publicKey: publicKey() },
    });
    expect(response.status).toBe(204);
  }
  const seventeenth = await client.request('PUT', '/api/me/keys', {
    cookie: hal,
    json: { deviceId: 'one-too-many', algorithm: 'ed25519', publicKey: publicKey() },
  });
  expect(seventeenth.status).toBe(409);
});
