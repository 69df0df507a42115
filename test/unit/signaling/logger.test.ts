// The operational logger redacts secret-looking fields even when someone logs a whole
// object by mistake.
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger } from '../../../signaling/logger';

it('redacts passwords, tokens, tickets, cookies and payloads at any depth', () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  logger.info(
    {
      password: 'hunter2-password',
      body: { token: 'reset-token-value', ticket: 'ticket-value' },
      req: { headers: { cookie: 'sid=session-value', authorization: 'Bearer bearer-value' } },
      frame: { data: 'payload-value' },
      userId: 42,
    },
    'oops, logged a whole object',
  );
  const output = lines.join('');
  for (const secret of [
    'hunter2',
    'reset-token-value',
    'ticket-value',
    'session-value',
    'bearer-value',
    'payload-value',
  ]) {
    expect(output).not.toContain(secret);
  }
  expect(output).toContain('"userId":42');
  expect(output).toContain('[redacted]');
});
