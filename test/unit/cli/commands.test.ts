import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_CHARS, parseInputLine } from '../../../client/cli/commands';

describe('typed lines', () => {
  it('sends ordinary lines as they are (without a pasted CR)', () => {
    expect(parseInputLine('hello there')).toEqual({ kind: 'send', text: 'hello there' });
    expect(parseInputLine('hi\r')).toEqual({ kind: 'send', text: 'hi' });
    expect(parseInputLine('   ')).toEqual({ kind: 'empty' });
  });

  it('understands the commands', () => {
    expect(parseInputLine('/verified bob')).toEqual({ kind: 'verified', name: 'bob' });
    expect(parseInputLine('/close')).toEqual({ kind: 'close' });
    expect(parseInputLine('/who')).toEqual({ kind: 'who' });
    expect(parseInputLine('/verify bob')).toEqual({ kind: 'verify', name: 'bob' });
    expect(parseInputLine('/kick  bob ')).toEqual({ kind: 'kick', name: 'bob' });
    expect(parseInputLine('/BAN bob')).toEqual({ kind: 'ban', name: 'bob' });
    expect(parseInputLine('/quit')).toEqual({ kind: 'quit' });
  });

  it('explains a command without its name, and an unknown command', () => {
    expect(parseInputLine('/kick')).toEqual({ kind: 'invalid', message: 'Usage: /kick NAME' });
    expect(parseInputLine('/verify a b')).toEqual({
      kind: 'invalid',
      message: 'Usage: /verify NAME',
    });
    const unknown = parseInputLine('/shrug');
    expect(unknown.kind).toBe('invalid');
    expect(unknown.kind === 'invalid' && unknown.message).toMatch(/Unknown command "\/shrug"/);
  });

  it('sends a line starting with "/" when it is written "//"', () => {
    expect(parseInputLine('//shrug')).toEqual({ kind: 'send', text: '/shrug' });
  });

  it('refuses an over-long message instead of cutting it', () => {
    const line = parseInputLine('x'.repeat(MAX_MESSAGE_CHARS + 1));
    expect(line.kind).toBe('invalid');
    expect(parseInputLine('x'.repeat(MAX_MESSAGE_CHARS)).kind).toBe('send');
  });
});
