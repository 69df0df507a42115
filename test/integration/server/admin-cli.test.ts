// `npm run admin`: create an admin with the password on stdin, promote an existing
// account, print a reset token; the running server honours all of it.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../../helpers/api';
import { startTestServer } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({}, { keepDataDir: true });
  await api(server.url).register('wendy');
});
afterAll(async () => {
  await server.close();
  rmSync(server.dataDir, { recursive: true, force: true });
});

function admin(
  args: string[],
  stdin = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'signaling/cli/admin.ts', ...args],
      { env: { ...process.env, DATA_DIR: server.dataDir } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin);
  });
}

it('creates an admin from a password on stdin, who can then use the admin API', async () => {
  const created = await admin(['create', 'boss'], 'the boss password\n');
  expect(created).toMatchObject({
    code: 0,
    stdout: expect.stringContaining('Created admin account "boss"'),
  });
  const client = api(server.url);
  const cookie = await client.login('boss', 'the boss password');
  expect((await client.request('GET', '/api/admin/users', { cookie })).status).toBe(200);
  // The CLI wrote to the same security log, and the chain is still whole.
  expect(server.services.securityLog.verify()).toMatchObject({ ok: true });
  server.services.securityLog.record('auth.logout', { note: 'after the CLI' });
  expect(server.services.securityLog.verify()).toMatchObject({ ok: true });
});

it('promotes an existing account, refuses a weak password, and prints usage', async () => {
  expect((await admin(['create', 'wendy'])).stdout).toContain('is now an admin');
  const weak = await admin(['create', 'newbie'], 'short\n');
  expect(weak.code).toBe(1);
  expect(weak.stderr).toMatch(/at least 10/);
  expect((await admin([])).code).toBe(2);
});

it('prints a reset token that works once', async () => {
  const issued = await admin(['reset-token', 'wendy']);
  expect(issued.code).toBe(0);
  const token = /^([A-Za-z0-9_-]{43})$/m.exec(issued.stdout)?.[1];
  expect(token).toBeDefined();
  const client = api(server.url);
  const confirm = await client.request('POST', '/api/password-reset/confirm', {
    json: { token, password: 'wendy new password' },
  });
  expect(confirm.status).toBe(204);
  await client.login('wendy', 'wendy new password');
  expect((await admin(['reset-token', 'nobody'])).code).toBe(1);
});
