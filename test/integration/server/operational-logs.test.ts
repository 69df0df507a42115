// A whole session's operational logs (pino) hold no password, token, ticket, cookie,
// room key or payload, while still saying what happened.
import { Writable } from 'node:stream';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../../signaling/logger';
import { api, roomKey, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';
import { openSignal } from './live-socket';

const lines: string[] = [];
let server: TestServer;

beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  server = await startTestServer(
    { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password 123' },
    { logger: createLogger({ level: 'debug', destination }) },
  );
});
afterAll(() => server.close());

it('never logs secrets during register, login, rooms, signaling and a password reset', async () => {
  const client = api(server.url);
  const secrets: string[] = [TEST_PASSWORD, 'root password 123'];
  const alice = await client.signUp('alice');
  const bob = await client.signUp('bob');
  secrets.push(alice.slice(4), bob.slice(4));
  const key = roomKey();
  secrets.push(key.admit, key.verifier);
  const roomId = await client.createRoom(alice, {
    verifier: key.verifier,
    password: 'room password!',
  });
  secrets.push('room password!');
  const aliceTicket = await client.admit(alice, roomId, {
    admit: key.admit,
    password: 'room password!',
  });
  const bobTicket = await client.admit(bob, roomId, {
    admit: key.admit,
    password: 'room password!',
  });
  secrets.push(aliceTicket, bobTicket);

  const a = await openSignal(server.wsUrl, aliceTicket, roomId);
  const b = await openSignal(server.wsUrl, bobTicket, roomId);
  const payload = 'opaque-signal-ciphertext-' + 'Q'.repeat(40);
  secrets.push(payload);
  const received = new Promise<string>((resolve) =>
    b.socket.once('message', (data) => resolve(String(data))),
  );
  a.socket.send(JSON.stringify({ type: 'publish', topic: roomId, data: payload }));
  expect(await received).toContain(payload);
  // Junk frames make the relay log refusals; those lines must not echo the junk.
  a.socket.send('{"type":"publish","topic":"' + roomId + '","data":{"secret":"' + payload + '"');
  await a.closed;
  b.socket.close();
  const refused = new WebSocket(`${server.wsUrl}?ticket=${aliceTicket}x`);
  await new Promise((resolve) => refused.once('error', resolve));

  const admin = await client.login('root', 'root password 123');
  secrets.push(admin.slice(4));
  const issued = await client.request<{ token: string }>(
    'POST',
    '/api/admin/users/bob/reset-token',
    { cookie: admin },
  );
  secrets.push(issued.body.token);
  await client.request('POST', '/api/password-reset/confirm', {
    json: { token: issued.body.token, password: 'new password for bob' },
  });
  secrets.push('new password for bob');
  await client.request('POST', '/api/login', {
    json: { username: 'bob', password: 'a wrong password' },
  });

  const output = lines.join('');
  expect(output).toContain('signaling server listening');
  for (const secret of secrets) expect(output).not.toContain(secret);
});
