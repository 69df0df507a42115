// Server configuration: the environment, plus an optional `.env` file, validated once at
// start. A missing SESSION_SECRET is generated and kept under DATA_DIR so that sessions
// and tickets survive restarts without anyone having to invent a secret.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';

export interface RateLimitRule {
  /** Attempts allowed per window. */
  points: number;
  /** Window length in seconds. */
  durationSeconds: number;
}

export interface RateLimits {
  loginPerUsernameAndIp: RateLimitRule;
  loginPerIp: RateLimitRule;
  registerPerIp: RateLimitRule;
  admitPerUserAndRoom: RateLimitRule;
  passwordResetPerIp: RateLimitRule;
  createRoomPerUser: RateLimitRule;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** At least 32 bytes; every server-side key (sessions, tickets) is derived from it. */
  sessionSecret: Buffer;
  tls?: { cert: Buffer; key: Buffer };
  /** Express's `trust proxy`: false, true, a hop count ("1") or a list of addresses. */
  trustProxy: boolean | string;
  /** Extra WebSocket origins allowed besides the server's own. */
  allowedOrigins: string[];
  smtpUrl?: string;
  mailFrom: string;
  /** Base URL put in password-reset mails (never taken from the Host header). */
  publicUrl?: string;
  ticketTtlMs: number;
  sessionTtlMs: number;
  resetTokenTtlMs: number;
  /** Built client served as static files with an SPA fallback; null serves the API only. */
  staticDir: string | null;
  adminUsername?: string;
  adminPassword?: string;
  bodyLimitBytes: number;
  rateLimits: RateLimits;
  ice: { stunUrls: string[]; turnUrls: string[]; turnSecret?: string; turnTtlSeconds: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  loginPerUsernameAndIp: { points: 10, durationSeconds: 15 * 60 },
  loginPerIp: { points: 100, durationSeconds: 15 * 60 },
  registerPerIp: { points: 20, durationSeconds: 60 * 60 },
  admitPerUserAndRoom: { points: 30, durationSeconds: 60 },
  passwordResetPerIp: { points: 10, durationSeconds: 15 * 60 },
  createRoomPerUser: { points: 30, durationSeconds: 60 * 60 },
};

const SESSION_SECRET_FILE = 'session-secret';
const MIN_SECRET_BYTES = 32;

export interface LoadConfigOptions {
  /** `.env` file to read (values already in `env` win). False skips it. Default: ./.env */
  envFile?: string | false;
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): Config {
  const merged = { ...readEnvFile(options.envFile ?? '.env'), ...definedOnly(env) };
  const dataDir = path.resolve(merged.DATA_DIR || './data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const tls = readTls(merged.TLS_CERT, merged.TLS_KEY);
  return {
    port: parsePort(merged.PORT),
    host: merged.HOST || '0.0.0.0',
    dataDir,
    sessionSecret: resolveSessionSecret(merged.SESSION_SECRET, dataDir),
    ...(tls ? { tls } : {}),
    trustProxy: parseTrustProxy(merged.TRUST_PROXY),
    allowedOrigins: splitList(merged.ALLOWED_ORIGINS).map(normalizeOrigin),
    ...(merged.SMTP_URL ? { smtpUrl: merged.SMTP_URL } : {}),
    mailFrom: merged.MAIL_FROM || 'p2p-chat <no-reply@localhost>',
    ...(merged.PUBLIC_URL ? { publicUrl: merged.PUBLIC_URL.replace(/\/+$/, '') } : {}),
    ticketTtlMs: parsePositiveInt(merged.TICKET_TTL_SECONDS, 120, 'TICKET_TTL_SECONDS') * 1000,
    sessionTtlMs:
      parsePositiveInt(merged.SESSION_TTL_HOURS, 24 * 7, 'SESSION_TTL_HOURS') * 3600 * 1000,
    resetTokenTtlMs: 30 * 60 * 1000,
    staticDir: merged.STATIC_DIR === '' ? null : path.resolve(merged.STATIC_DIR || './dist'),
    ...(merged.ADMIN_USERNAME ? { adminUsername: merged.ADMIN_USERNAME } : {}),
    ...(merged.ADMIN_PASSWORD ? { adminPassword: merged.ADMIN_PASSWORD } : {}),
    bodyLimitBytes: 16 * 1024,
    rateLimits: DEFAULT_RATE_LIMITS,
    ice: {
      stunUrls: merged.STUN_URLS === undefined ? [] : splitList(merged.STUN_URLS),
      turnUrls: splitList(merged.TURN_URLS),
      ...(merged.TURN_SECRET ? { turnSecret: merged.TURN_SECRET } : {}),
      turnTtlSeconds: 3600,
    },
  };
}

function readEnvFile(file: string | false): Record<string, string> {
  if (file === false || !existsSync(file)) return {};
  return dotenv.parse(readFileSync(file));
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

/** The secret from the environment, else the one stored in DATA_DIR, else a new one. */
function resolveSessionSecret(fromEnv: string | undefined, dataDir: string): Buffer {
  if (fromEnv) {
    const secret = Buffer.from(fromEnv, 'utf8');
    if (secret.length < MIN_SECRET_BYTES) {
      throw new ConfigError(`SESSION_SECRET must be at least ${MIN_SECRET_BYTES} characters`);
    }
    return secret;
  }
  const file = path.join(dataDir, SESSION_SECRET_FILE);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
  const generated = randomBytes(32).toString('base64url');
  // flag 'wx': never overwrite a secret another process wrote a moment ago.
  try {
    writeFileSync(file, generated + '\n', { mode: 0o600, flag: 'wx' });
  } catch {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
  }
  return Buffer.from(generated, 'utf8');
}

function readTls(certPath?: string, keyPath?: string): Config['tls'] {
  if (!certPath && !keyPath) return undefined;
  if (!certPath || !keyPath) throw new ConfigError('set both TLS_CERT and TLS_KEY, or neither');
  try {
    return { cert: readFileSync(certPath), key: readFileSync(keyPath) };
  } catch (error) {
    throw new ConfigError(`cannot read TLS_CERT/TLS_KEY: ${(error as Error).message}`);
  }
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 8080;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer 0-65535, got "${value}"`);
  }
  return port;
}

function parsePositiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive integer`);
  return n;
}

function parseTrustProxy(value: string | undefined): boolean | string {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  return value;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function normalizeOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    throw new ConfigError(`ALLOWED_ORIGINS: "${origin}" is not an origin like https://example.org`);
  }
}
