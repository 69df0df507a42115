// TLS_CERT/TLS_KEY: the server speaks HTTPS itself, sends HSTS, and marks the session
// cookie Secure. The certificate is generated here with openssl (self-signed).
import { execFileSync } from 'node:child_process';
import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';

let server: TestServer;
let certDir: string;

beforeAll(async () => {
  certDir = mkdtempSync(path.join(tmpdir(), 'tls-'));
  const cert = path.join(certDir, 'cert.pem');
  const key = path.join(certDir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  server = await startTestServer({ TLS_CERT: cert, TLS_KEY: key });
});
afterAll(async () => {
  await server.close();
  rmSync(certDir, { recursive: true, force: true });
});

function request(method: string, route: string, body?: unknown) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = https.request(
      server.url + route,
      {
        method,
        rejectUnauthorized: false,
        headers: body ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

it('serves HTTPS and WSS URLs with HSTS', async () => {
  expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  expect(server.wsUrl).toMatch(/^wss:\/\//);
  const health = await request('GET', '/healthz');
  expect(health.status).toBe(200);
  expect(health.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  expect(health.headers['content-security-policy']).toContain('upgrade-insecure-requests');
});

it('marks the session cookie Secure over TLS', async () => {
  const credentials = { username: 'tina', password: 'correct horse battery staple' };
  expect((await request('POST', '/api/register', credentials)).status).toBe(201);
  const login = await request('POST', '/api/login', credentials);
  expect(login.status).toBe(200);
  const cookie = String(login.headers['set-cookie']);
  expect(cookie).toMatch(/; Secure/);
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
});
