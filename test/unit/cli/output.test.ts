import { describe, expect, it } from 'vitest';
import type { CliEvent } from '../../../client/cli/events';
import { clockTime, Output } from '../../../client/cli/output';

function capture(json: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const output = new Output(
    {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
    },
    json,
  );
  return { output, out, err };
}

const at = (h: number, m: number, s: number) => new Date(2026, 0, 2, h, m, s).getTime();

const message: CliEvent = {
  event: 'message',
  id: 'dev1:1',
  time: at(9, 5, 7),
  username: 'bob',
  name: 'bob',
  text: 'hello',
  own: false,
};

describe('what the terminal client prints', () => {
  it('prints a message as "HH:MM:SS name: text" on stdout', () => {
    const { output, out, err } = capture(false);
    output.emit(message);
    output.emit({ ...message, id: 'dev2:1', username: 'alice', name: 'alice', own: true });
    expect(out).toEqual(['09:05:07 bob: hello\n']);
    expect(err).toEqual([]);
    expect(clockTime(at(23, 59, 0))).toBe('23:59:00');
  });

  it('prints stored messages at start, own ones included, marked as earlier', () => {
    const { output, out } = capture(false);
    output.emit({ ...message, event: 'history', own: true, username: 'alice', name: 'alice' });
    expect(out).toEqual(['09:05:07 alice: hello (earlier)\n']);
  });

  it('prints peer events on stderr, keeping stdout for messages', () => {
    const { output, out, err } = capture(false);
    const member = {
      username: 'bob',
      name: 'bob',
      fingerprint: 'ab'.repeat(32),
      online: true,
      trust: 'secure' as const,
      verified: false,
    };
    output.emit({ event: 'peer-joined', ...member });
    output.emit({ event: 'peer-verified', ...member });
    output.emit({ event: 'peer-left', ...member });
    output.emit({
      event: 'peer-failed',
      peer: 'eve',
      reason: 'handshake',
      message: "could not verify eve's connection",
    });
    expect(out).toEqual([]);
    expect(err.join('')).toMatch(
      /bob is here[\s\S]*bob: connection secured[\s\S]*bob left[\s\S]*could not verify eve's connection/,
    );
  });

  it('shows the display name with the account name when they differ', () => {
    const { output, out } = capture(false);
    output.emit({ ...message, name: 'Bobby' });
    expect(out[0]).toBe('09:05:07 Bobby (@bob): hello\n');
    const events = capture(false);
    events.output.emit({
      event: 'peer-left',
      username: 'bob',
      name: 'Bobby',
      fingerprint: '',
      online: false,
      trust: 'secure',
      verified: false,
    });
    expect(events.err[0]).toBe('* Bobby (@bob) left\n');
  });

  it('never lets a hostile name or message reach the terminal raw', () => {
    const { output, out, err } = capture(false);
    output.emit({
      ...message,
      name: 'bob\u001b[2K\r',
      text: 'hi\u001b]0;title\u0007\n09:00:00 alice: lies',
    });
    output.emit({
      event: 'key-changed',
      username: 'x\u001b[H',
      fingerprint: 'f'.repeat(64),
      previous: 'e'.repeat(64),
    });
    const all = out.join('') + err.join('');
    expect(all).not.toContain('\u001b');
    expect(all).not.toContain('\u0007');
    expect(out).toHaveLength(1);
    expect(out[0]!.split('\n')).toHaveLength(2); // one line and its newline
  });

  it('shows a verification with the safety number in groups of five and the SAS', () => {
    const { output, err } = capture(false);
    output.emit({
      event: 'verify',
      peer: 'bob',
      safetyNumber: '123456789012345',
      sas: { emoji: ['🐶', '🔑'], digits: '1234 5678 9012' },
    });
    expect(err.join('')).toContain('12345 67890 12345');
    expect(err.join('')).toContain('🐶 🔑');
    expect(err.join('')).toContain('1234 5678 9012');
  });

  it('prints the room link on stdout when a room is created', () => {
    const { output, out } = capture(false);
    output.emit({ event: 'ready', roomId: 'r', username: 'alice', link: 'https://x/r/id#k=s' });
    expect(out.join('')).toContain('https://x/r/id#k=s\n');
  });

  it('in --json mode prints exactly one parseable object per event on stdout', () => {
    const { output, out, err } = capture(true);
    output.emit(message);
    output.emit({ event: 'signaling-failed', count: 3, message: 'signaling failed verification' });
    expect(out.map((line) => JSON.parse(line))).toEqual([
      message,
      { event: 'signaling-failed', count: 3, message: 'signaling failed verification' },
    ]);
    expect(out.every((line) => line.endsWith('\n') && line.indexOf('\n') === line.length - 1)).toBe(
      true,
    );
    expect(err).toEqual([]);
  });

  it('reports a fatal error in words on stderr (and as JSON with --json)', () => {
    const text = capture(false);
    text.output.fail('Wrong username or password.');
    expect(text.err).toEqual(['error: Wrong username or password.\n']);
    const json = capture(true);
    json.output.fail('Wrong username or password.');
    expect(JSON.parse(json.out[0]!)).toEqual({
      event: 'fatal',
      message: 'Wrong username or password.',
    });
  });
});
