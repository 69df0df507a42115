// What any browser sees: security headers, JSON errors without stacks, the body limit,
// and the built client served with an SPA fallback.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../helpers/api';
import type { Api } from '../../helpers/api';
import { startTestServer } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';

let server: TestServer;
let client: Api;
let staticDir: string;

beforeAll(async () => {
  staticDir = mkdtempSync(path.join(tmpdir(), 'dist-'));
  writeFileSync(
    path.join(staticDir, 'index.html'),
    '<!doctype html><title>chat</title><div id="app"></div>',
  );
  mkdirSync(path.join(staticDir, 'assets'));
  writeFileSync(path.join(staticDir, 'assets', 'main-abc123.js'), 'console.log(1)');
  server = await startTestServer({ STATIC_DIR: staticDir });
  client = api(server.url);
});
afterAll(async () => {
  await server.close();
  rmSync(staticDir, { recursive: true, force: true });
});

describe('security headers', () => {
  it('sends the strict CSP, nosniff, no-referrer and no framing, on pages and API alike', async () => {
    for (const route of ['/', '/api/me', '/healthz']) {
      const { headers } = await client.request('GET', route);
      const csp = headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('x-powered-by')).toBeNull();
      // Plain HTTP: no HSTS (it would be meaningless and is ignored by browsers).
      expect(headers.get('strict-transport-security')).toBeNull();
    }
  });
});

describe('errors', () => {
  it('healthz answers ok', async () => {
    const health = await client.request('GET', '/healthz');
    expect(health).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('unknown API routes are JSON 404s, never the SPA page', async () => {
    const response = await client.request('GET', '/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect((await client.request('DELETE', '/api/register')).status).toBe(404);
  });

  it('a body over the limit is a 413 JSON error', async () => {
    const response = await client.request('POST', '/api/register', {
      body: JSON.stringify({ username: 'big', password: 'x'.repeat(64 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: { code: 'body_too_large' } });
  });

  it('malformed JSON, a wrong charset and a malformed path are 4xx JSON without stacks', async () => {
    const cases = [
      await client.request('POST', '/api/login', {
        body: '{"username":',
        headers: { 'content-type': 'application/json' },
      }),
      await client.request('POST', '/api/login', {
        body: '{}',
        headers: { 'content-type': 'application/json; charset=latin9' },
      }),
      await client.request('POST', '/api/login', {
        body: 'null',
        headers: { 'content-type': 'application/json' },
      }),
      await client.request('GET', '/api/users/%E0%A4%A/keys'),
    ];
    for (const response of cases) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.body).toMatchObject({
        error: { code: expect.any(String), message: expect.any(String) },
      });
      expect(JSON.stringify(response.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
  });
});

describe('the built client', () => {
  it('serves index.html for client routes like /r/ROOM (SPA fallback), uncached', async () => {
    for (const route of ['/', '/r/abcdefghijklmnopqrstuv', '/admin', '/reset']) {
      const response = await client.request('GET', route);
      expect(response.status, route).toBe(200);
      expect(String(response.body)).toContain('<title>chat</title>');
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves hashed assets as immutable, and a missing file as 404', async () => {
    const asset = await client.request('GET', '/assets/main-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await client.request('GET', '/assets/missing.js')).status).toBe(404);
  });
});
