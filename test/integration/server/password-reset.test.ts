// Password reset: no account enumeration, admin-issued tokens without SMTP, mailed
// tokens with SMTP (against a local listener), single use, expiry, sessions revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../helpers/api';
import type { Api } from '../../helpers/api';
import { startTestServer } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';
import { startSmtpListener } from './smtp-listener';
import type { SmtpListener } from './smtp-listener';

const NEW_PASSWORD = 'a brand new password';

describe('without SMTP: the admin issues the token', () => {
  let server: TestServer;
  let client: Api;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password 123' });
    client = api(server.url);
    admin = await client.login('root', 'root password 123');
    await client.register('erin');
  });
  afterAll(() => server.close());

  it('request answers 202 for existing and unknown accounts alike', async () => {
    const known = await client.request('POST', '/api/password-reset/request', {
      json: { username: 'erin' },
    });
    const unknown = await client.request('POST', '/api/password-reset/request', {
      json: { username: 'nobody' },
    });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    // No mail server: nothing was issued by the request itself.
    expect(server.services.db.prepare('SELECT COUNT(*) AS n FROM password_resets').get()).toEqual({
      n: 0,
    });
  });

  it('confirm sets the new password, signs out old sessions, and the token works once', async () => {
    const oldSession = await client.login('erin');
    const issued = await client.request<{ token: string; expiresAt: number }>(
      'POST',
      '/api/admin/users/erin/reset-token',
      { cookie: admin },
    );
    expect(issued.status).toBe(201);
    expect(issued.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued.body.expiresAt - Date.now()).toBeGreaterThan(29 * 60 * 1000);
    expect(issued.body.expiresAt - Date.now()).toBeLessThanOrEqual(30 * 60 * 1000);
    // Stored hashed: the raw token is nowhere in the table.
    const rows = JSON.stringify(server.services.db.prepare('SELECT * FROM password_resets').all());
    expect(rows).not.toContain(issued.body.token);

    const confirm = await client.request('POST', '/api/password-reset/confirm', {
      json: { token: issued.body.token, password: NEW_PASSWORD },
    });
    expect(confirm.status).toBe(204);
    expect((await client.request('GET', '/api/me', { cookie: oldSession })).status).toBe(401);
    expect(
      (
        await client.request('POST', '/api/login', {
          json: { username: 'erin', password: 'correct horse battery staple' },
        })
      ).status,
    ).toBe(401);
    await client.login('erin', NEW_PASSWORD);

    const reuse = await client.request('POST', '/api/password-reset/confirm', {
      json: { token: issued.body.token, password: 'yet another password' },
    });
    expect(reuse.status).toBe(400);
    expect(reuse.body).toMatchObject({ error: { code: 'invalid_token' } });
  });

  it('an expired or unknown token is refused', async () => {
    const issued = server.services.resets.issue(server.services.users.byUsername('erin')!.id);
    server.services.db.prepare('UPDATE password_resets SET expires_at = ?').run(Date.now() - 1);
    const expired = await client.request('POST', '/api/password-reset/confirm', {
      json: { token: issued.token, password: 'yet another password' },
    });
    expect(expired.status).toBe(400);
    const unknown = await client.request('POST', '/api/password-reset/confirm', {
      json: { token: 'A'.repeat(43), password: 'yet another password' },
    });
    expect(unknown.status).toBe(400);
    const malformed = await client.request('POST', '/api/password-reset/confirm', {
      json: { token: 'short', password: 'yet another password' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: { code: 'invalid_input' } });
  });
});

describe('with SMTP_URL: the token is mailed', () => {
  let smtp: SmtpListener;
  let server: TestServer;
  let client: Api;

  beforeAll(async () => {
    smtp = await startSmtpListener();
    server = await startTestServer({ SMTP_URL: smtp.url, MAIL_FROM: 'chat <chat@test.invalid>' });
    client = api(server.url);
    await client.request('POST', '/api/register', {
      json: {
        username: 'frank',
        password: 'correct horse battery staple',
        email: 'frank@test.invalid',
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await smtp.close();
  });

  it('mails a working one-time token to the account address', async () => {
    const request = await client.request('POST', '/api/password-reset/request', {
      json: { username: 'frank' },
    });
    expect(request.status).toBe(202);
    const mail = await smtp.nextMail();
    expect(mail.to.join()).toContain('frank@test.invalid');
    const text = mail.data.replace(/=\r\n/g, '');
    const token = /Your reset code: ([A-Za-z0-9_-]{43})/.exec(text)?.[1];
    expect(token).toBeDefined();

    const confirm = await client.request('POST', '/api/password-reset/confirm', {
      json: { token, password: NEW_PASSWORD },
    });
    expect(confirm.status).toBe(204);
    await client.login('frank', NEW_PASSWORD);
  });

  it('mails nothing for an unknown account, and still answers 202', async () => {
    const before = smtp.mails.length;
    const response = await client.request('POST', '/api/password-reset/request', {
      json: { username: 'nobody' },
    });
    expect(response.status).toBe(202);
    // A known account's mail after it proves the unknown one produced none in between.
    await client.request('POST', '/api/password-reset/request', { json: { username: 'frank' } });
    await smtp.nextMail();
    expect(smtp.mails.length).toBe(before + 1);
  });
});
