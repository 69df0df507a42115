// Thousands of malformed bodies at every route: the server stays up, answers every one
// with a JSON status below 500 (4xx for the bad ones), and never shows a stack trace.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, roomKey } from '../../helpers/api';
import type { Api } from '../../helpers/api';
import { startTestServer } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';

const RUNS_PER_ROUTE = 460;

let server: TestServer;
let client: Api;
let userCookie: string;
let adminCookie: string;
let roomId: string;

beforeAll(async () => {
  server = await startTestServer({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password 123' });
  client = api(server.url);
  userCookie = await client.signUp('fuzzer');
  adminCookie = await client.login('root', 'root password 123');
  roomId = await client.createRoom(userCookie, { verifier: roomKey().verifier });
});
afterAll(() => server.close());

/** Bodies from "almost right" to "not even text". */
const bodies: fc.Arbitrary<{ body: string; contentType: string | null }> = fc.record({
  body: fc.oneof(
    fc.json(),
    fc.string({ maxLength: 200 }),
    fc
      .jsonValue()
      .map((value) => JSON.stringify({ username: value, password: value, verifier: value })),
    fc
      .record(
        {
          username: fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null)),
          password: fc.oneof(fc.string({ maxLength: 40 }), fc.array(fc.string())),
          admit: fc.oneof(fc.base64String({ maxLength: 60 }), fc.string({ maxLength: 60 })),
          verifier: fc.base64String({ maxLength: 60 }),
          capacity: fc.oneof(fc.integer(), fc.double(), fc.string()),
          token: fc.string({ maxLength: 60 }),
          user: fc.string({ maxLength: 40 }),
          ip: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 40 })),
          deviceId: fc.string({ maxLength: 80 }),
          publicKey: fc.string({ maxLength: 80 }),
          algorithm: fc.constantFrom('ed25519', 'ecdsa-p256', 'rsa', ''),
          __proto__: fc.json(),
          constructor: fc.json(),
        },
        { requiredKeys: [] },
      )
      .map((value) => JSON.stringify(value)),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    fc.integer({ min: 1, max: 5000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
    fc.constantFrom('', 'null', 'true', '[]', '{}', '"string"', '1e999', '{"a":1,"a":2}', '\u0000'),
  ),
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'text/plain',
    'application/x-www-form-urlencoded',
    null,
  ),
});

const segment = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom('..', '%00', '%E0%A4%A', 'fuzzer', 'root'),
  fc.constant('ROOM'),
);

const ROUTES: Array<[string, string]> = [
  ['POST', '/api/register'],
  ['POST', '/api/login'],
  ['POST', '/api/logout'],
  ['GET', '/api/me'],
  ['POST', '/api/password-reset/request'],
  ['POST', '/api/password-reset/confirm'],
  ['PUT', '/api/me/keys'],
  ['PUT', '/api/me/password'],
  ['DELETE', '/api/me'],
  ['GET', '/api/users/:x/keys'],
  ['POST', '/api/rooms'],
  ['POST', '/api/rooms/:x/admit'],
  ['POST', '/api/rooms/:x/kick'],
  ['POST', '/api/rooms/:x/ban'],
  ['POST', '/api/rooms/:x/unban'],
  ['POST', '/api/rooms/:x/close'],
  ['GET', '/api/ice'],
  ['GET', '/api/admin/security-log'],
  ['POST', '/api/admin/users/:x/reset-token'],
  ['POST', '/api/admin/ip-bans'],
  ['DELETE', '/api/admin/ip-bans/:x'],
  ['POST', '/api/admin/rooms/:x/kick'],
];

it(`answers ${ROUTES.length * RUNS_PER_ROUTE} malformed requests with JSON below 500`, async () => {
  const seen = new Map<number, number>();
  for (const [method, template] of ROUTES) {
    await fc.assert(
      fc.asyncProperty(
        bodies,
        segment,
        fc.constantFrom('none', 'user', 'admin'),
        async (input, part, who) => {
          const path = template.replace(':x', part === 'ROOM' ? roomId : part);
          const headers: Record<string, string> = {};
          if (input.contentType) headers['content-type'] = input.contentType;
          const cookie = who === 'user' ? userCookie : who === 'admin' ? adminCookie : undefined;
          const response = await client.request(
            method,
            path + (who === 'admin' ? '?limit=' + part : ''),
            {
              ...(cookie ? { cookie } : {}),
              headers,
              ...(method === 'GET' || method === 'HEAD' ? {} : { body: input.body }),
            },
          );
          seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) {
            expect(response.body).toMatchObject({
              error: { code: expect.any(String), message: expect.any(String) },
            });
            expect(JSON.stringify(response.body)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
          }
        },
      ),
      { numRuns: RUNS_PER_ROUTE },
    );
  }
  // Most of it was refused as bad input, and the server is still healthy afterwards.
  const refused = [...seen].filter(([status]) => status >= 400).reduce((sum, [, n]) => sum + n, 0);
  expect(ROUTES.length * RUNS_PER_ROUTE).toBeGreaterThanOrEqual(10_000);
  expect(refused).toBeGreaterThan(ROUTES.length * RUNS_PER_ROUTE * 0.8);
  expect((await client.request('GET', '/healthz')).body).toEqual({ ok: true });
  // (The fuzz logged its own sessions out along the way; a fresh login still works.)
  const cookie = await client.login('root', 'root password 123');
  expect((await client.request('GET', '/api/me', { cookie })).status).toBe(200);
}, 180_000);
