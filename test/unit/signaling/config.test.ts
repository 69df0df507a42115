// Configuration: defaults, .env, the generated SESSION_SECRET, and clear errors.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../signaling/config';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const load = (env: Record<string, string> = {}) =>
  loadConfig({ DATA_DIR: path.join(dir, 'data'), ...env }, { envFile: false });

it('defaults: port 8080, all interfaces, no TLS, no proxy trust, same origin only', () => {
  const config = load();
  expect(config).toMatchObject({
    port: 8080,
    host: '0.0.0.0',
    trustProxy: false,
    allowedOrigins: [],
    ticketTtlMs: 120_000,
    resetTokenTtlMs: 30 * 60_000,
  });
  expect(config.tls).toBeUndefined();
  expect(config.smtpUrl).toBeUndefined();
});

it('generates SESSION_SECRET once, stores it in DATA_DIR (mode 600), and reuses it', () => {
  const first = load();
  const file = path.join(dir, 'data', 'session-secret');
  expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
  expect(readFileSync(file, 'utf8').trim()).toBe(first.sessionSecret.toString('utf8'));
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(load().sessionSecret.equals(first.sessionSecret)).toBe(true);
});

it('an explicit SESSION_SECRET wins and must be long enough', () => {
  const secret = 's'.repeat(40);
  expect(load({ SESSION_SECRET: secret }).sessionSecret.toString()).toBe(secret);
  expect(() => load({ SESSION_SECRET: 'short' })).toThrow(ConfigError);
});

it('reads a .env file; the real environment overrides it', () => {
  const envFile = path.join(dir, '.env');
  writeFileSync(
    envFile,
    'PORT=9090\nTRUST_PROXY=1\nALLOWED_ORIGINS=https://a.example/, https://b.example\nSMTP_URL=smtp://mail:25\n',
  );
  const fromFile = loadConfig({ DATA_DIR: path.join(dir, 'data') }, { envFile });
  expect(fromFile).toMatchObject({
    port: 9090,
    trustProxy: '1',
    allowedOrigins: ['https://a.example', 'https://b.example'],
    smtpUrl: 'smtp://mail:25',
  });
  const overridden = loadConfig({ DATA_DIR: path.join(dir, 'data'), PORT: '7000' }, { envFile });
  expect(overridden.port).toBe(7000);
});

it('refuses bad values with messages that name the variable', () => {
  expect(() => load({ PORT: 'eighty' })).toThrow(/PORT/);
  expect(() => load({ PORT: '70000' })).toThrow(/PORT/);
  expect(() => load({ TLS_CERT: '/nonexistent/cert.pem' })).toThrow(/TLS_CERT and TLS_KEY/);
  expect(() => load({ TLS_CERT: '/nonexistent/c', TLS_KEY: '/nonexistent/k' })).toThrow(
    /cannot read/,
  );
  expect(() => load({ ALLOWED_ORIGINS: 'not a url' })).toThrow(/ALLOWED_ORIGINS/);
  expect(() => load({ TICKET_TTL_SECONDS: '-5' })).toThrow(/TICKET_TTL_SECONDS/);
});

it('TRUST_PROXY: true, false, hop counts and address lists', () => {
  expect(load({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  expect(load({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  expect(load({ TRUST_PROXY: 'loopback, 10.0.0.1' }).trustProxy).toBe('loopback, 10.0.0.1');
});
