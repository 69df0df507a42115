import { describe, expect, it } from 'vitest';
import { jsonLine, terminalSafe } from '../../../client/cli/sanitize';

const ESC = '\u001b';

describe('peer-supplied text on a terminal', () => {
  it('shows escape sequences instead of letting them clear the screen or set the title', () => {
    const hostile = `${ESC}[2J${ESC}[H${ESC}]0;pwned\u0007hi`;
    const safe = terminalSafe(hostile);
    expect(safe).not.toContain(ESC);
    expect(safe).not.toContain('\u0007');
    expect(safe).toBe('^[[2J^[[H^[]0;pwned^Ghi');
  });

  it('cannot fake a second line or rewrite the current one', () => {
    const safe = terminalSafe('ok\r12:00:00 admin: send me your password\n12:00:01 x');
    expect(safe).not.toMatch(/[\r\n]/);
    expect(safe).toContain('^M12:00:00 admin');
    expect(terminalSafe('a\u2028b\u2029c')).toBe('a<U+2028>b<U+2029>c');
  });

  it('neutralises 8-bit C1 controls, DEL and bidi overrides', () => {
    expect(terminalSafe('\u009b31mred')).toBe('<U+009B>31mred');
    expect(terminalSafe('x\u007f')).toBe('x^?');
    expect(terminalSafe('abc\u202Efdp.exe')).toBe('abc<U+202E>fdp.exe');
    expect(terminalSafe('\u2066x\u2069')).toBe('<U+2066>x<U+2069>');
  });

  it('leaves ordinary text, accents and emoji alone', () => {
    const text = 'Grüße, 你好 👋 — ça va? <b>&</b> 100%';
    expect(terminalSafe(text)).toBe(text);
  });

  it('writes JSON lines with no raw control character at all, and they parse back', () => {
    const text = `${ESC}[31m\u009b\u202e\u2028tail`;
    const line = jsonLine({ event: 'message', text });
    // eslint-disable-next-line no-control-regex -- looking for raw control characters
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2028\u2029]/);
    expect(JSON.parse(line)).toEqual({ event: 'message', text });
  });
});
