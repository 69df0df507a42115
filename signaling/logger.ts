// Operational logs (pino). They must never hold secrets, passwords, tokens, tickets or
// payloads: callers log ids and outcomes only, and redaction is the safety net for the
// day someone logs a whole object by mistake.
import pino from 'pino';
import type { DestinationStream, Logger, LevelWithSilent } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'password',
  'newPassword',
  'token',
  'ticket',
  'secret',
  'sessionSecret',
  'cookie',
  'authorization',
  'admit',
  'verifier',
  'data',
  'payload',
  'body',
  'key',
  'publicKey',
  'hash',
];

/** Paths pino redacts: each secret-looking key at the top level and up to two levels down. */
export const REDACTED_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_KEYS.map((key) => `*.*.${key}`),
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'req.url',
];

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Where lines go (tests capture them); default stdout. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? ((process.env.LOG_LEVEL as LevelWithSilent) || 'info');
  const pinoOptions = {
    level,
    base: { service: 'signaling' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
