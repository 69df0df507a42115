import { describe, expect, it } from 'vitest';
import { parseInputLine } from '../../../client/cli/commands';
import {
  fileListLines,
  formatBytes,
  formatDuration,
  numberedName,
  percentOf,
  progressLine,
  resolveFileId,
  safeFileName,
} from '../../../client/cli/file-format';
import { Output } from '../../../client/cli/output';

describe('file commands as typed', () => {
  it('reads /send PATH with the whole rest of the line as the path', () => {
    expect(parseInputLine('/send notes.txt')).toEqual({ kind: 'send-file', path: 'notes.txt' });
    expect(parseInputLine('/send  my holiday photo.jpg ')).toEqual({
      kind: 'send-file',
      path: 'my holiday photo.jpg',
    });
    expect(parseInputLine('/send "quoted name.pdf"')).toEqual({
      kind: 'send-file',
      path: 'quoted name.pdf',
    });
    expect(parseInputLine('/send')).toEqual({ kind: 'invalid', message: 'Usage: /send PATH' });
  });

  it('reads /get ID [PATH], /files and /cancel ID', () => {
    expect(parseInputLine('/get AbCd')).toEqual({ kind: 'get-file', id: 'AbCd' });
    expect(parseInputLine('/get AbCd ~/Downloads/a b.bin')).toEqual({
      kind: 'get-file',
      id: 'AbCd',
      path: '~/Downloads/a b.bin',
    });
    expect(parseInputLine('/get').kind).toBe('invalid');
    expect(parseInputLine('/files')).toEqual({ kind: 'files' });
    expect(parseInputLine('/cancel AbCd')).toEqual({ kind: 'cancel-file', id: 'AbCd' });
    expect(parseInputLine('/cancel').kind).toBe('invalid');
  });

  it('names the file commands when a command is unknown', () => {
    const unknown = parseInputLine('/upload x');
    expect(unknown.kind === 'invalid' && unknown.message).toMatch(/\/send PATH.*\/get ID \[PATH\]/);
  });
});

describe('sizes, durations and the progress line', () => {
  it('shows sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(200 * 2 ** 20)).toBe('200.0 MiB');
    expect(formatBytes(2 * 2 ** 30)).toBe('2.0 GiB');
  });

  it('shows time left in seconds, minutes or hours', () => {
    expect(formatDuration(4.2)).toBe('5 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(7800)).toBe('2 h 10 min');
  });

  it('never says 100% before the last byte', () => {
    expect(percentOf(0, 10)).toBe(0);
    expect(percentOf(999, 1000)).toBe(99);
    expect(percentOf(1000, 1000)).toBe(100);
    expect(percentOf(0, 0)).toBe(100);
  });

  it('puts percent, amount, speed and time left on one line', () => {
    const base = { name: 'big.bin', size: 200 * 2 ** 20 };
    expect(
      progressLine({
        ...base,
        state: 'fetching',
        received: 90 * 2 ** 20,
        bytesPerSecond: 12.3 * 2 ** 20,
        secondsLeft: 9,
      }),
    ).toBe('big.bin: receiving 45% (90.0 MiB of 200.0 MiB), 12.3 MiB/s, 9 s left');
    expect(
      progressLine({
        ...base,
        state: 'waiting',
        received: 2 ** 20,
        bytesPerSecond: 0,
        secondsLeft: null,
      }),
    ).toBe('big.bin: waiting for a peer that has the file, 0% (1.0 MiB of 200.0 MiB)');
    expect(
      progressLine({
        ...base,
        state: 'fetching',
        received: 0,
        bytesPerSecond: 0,
        secondsLeft: null,
      }),
    ).toBe('big.bin: receiving 0% (0 B of 200.0 MiB)');
  });

  it('shows a peer-chosen name without its control characters', () => {
    const line = progressLine({
      name: 'evil\x1b[2Jname',
      state: 'verifying',
      size: 10,
      received: 10,
      bytesPerSecond: 0,
      secondsLeft: null,
    });
    expect(line).not.toContain('\x1b');
    expect(line).toContain('evil^[[2Jname: verifying 100%');
  });
});

describe('file ids and local names', () => {
  const ids = ['AbCdEfGhIjKlMnOpQrStUv', 'AbCdZZGhIjKlMnOpQrStUv', 'xyzwEfGhIjKlMnOpQrStUv'];

  it('accepts a full id or a unique prefix of 4+ characters', () => {
    expect(resolveFileId('xyzw', ids)).toBe(ids[2]);
    expect(resolveFileId('AbCdE', ids)).toBe(ids[0]);
    expect(resolveFileId(ids[1]!, ids)).toBe(ids[1]);
    expect(() => resolveFileId('AbCd', ids)).toThrow(/matches 2 files/);
    expect(() => resolveFileId('xyz', ids)).toThrow(/No file with id/);
    expect(() => resolveFileId('nope', ids)).toThrow(/No file with id/);
  });

  it('keeps a peer-chosen name inside the target directory and visible', () => {
    expect(safeFileName('../../.bashrc')).toBe('bashrc');
    expect(safeFileName('C:\\Windows\\evil.exe')).toBe('evil.exe');
    expect(safeFileName('a\x1b[31mb\u202e.txt')).toBe('a_[31mb_.txt');
    expect(safeFileName('...')).toBe('file');
    const long = safeFileName('x'.repeat(300) + '.tar.gz');
    expect(long.length).toBe(200);
    expect(long.endsWith('.gz')).toBe(true);
  });

  it('numbers a name that is taken', () => {
    expect(numberedName('report.pdf', 0)).toBe('report.pdf');
    expect(numberedName('report.pdf', 2)).toBe('report (2).pdf');
    expect(numberedName('README', 1)).toBe('README (1)');
  });

  it('lists files with id, name, size, sender and state', () => {
    const lines = fileListLines([
      {
        id: ids[0]!,
        name: 'a.bin',
        size: 2048,
        from: 'alice',
        own: false,
        state: 'fetching',
        received: 1024,
      },
      {
        id: ids[2]!,
        name: 'b.txt',
        size: 5,
        from: 'bob',
        own: true,
        state: 'complete',
        received: 5,
      },
    ]);
    expect(lines).toEqual([
      '* files in this room:',
      `  ${ids[0]}  a.bin  2.0 KiB  from alice  fetching 50%`,
      `  ${ids[2]}  b.txt  5 B  from you  complete`,
    ]);
    expect(fileListLines([])[0]).toMatch(/no files/);
  });
});

describe('the progress line on stderr', () => {
  function capture(isTTY: boolean) {
    const out = { stdout: '', stderr: '' };
    let now = 0;
    const output = new Output(
      {
        stdout: { write: (t: string) => (out.stdout += t) },
        stderr: { write: (t: string) => (out.stderr += t), isTTY },
      },
      false,
      () => now,
    );
    return { out, output, tick: (ms: number) => (now += ms) };
  }
  const progress = (received: number, state = 'fetching') => ({
    event: 'file-progress' as const,
    id: 'f1',
    name: 'big.bin',
    state,
    received,
    size: 1000,
    percent: percentOf(received, 1000),
    bytesPerSecond: 100,
    secondsLeft: Math.ceil((1000 - received) / 100),
  });

  it('is redrawn in place on a terminal and closed before the next line', () => {
    const { out, output } = capture(true);
    output.emit(progress(100));
    output.emit(progress(500));
    expect(out.stderr).toBe(
      '\r\x1b[Kbig.bin: receiving 10% (100 B of 1000 B), 100 B/s, 9 s left' +
        '\r\x1b[Kbig.bin: receiving 50% (500 B of 1000 B), 100 B/s, 5 s left',
    );
    output.emit({ event: 'notice', message: 'hello' });
    expect(out.stderr.endsWith('5 s left\n* hello\n')).toBe(true);
  });

  it('is a line every few seconds in a pipe, plus every change of state and the end', () => {
    const { out, output, tick } = capture(false);
    output.emit(progress(100));
    tick(500);
    output.emit(progress(200)); // too soon: not printed
    output.emit(progress(200, 'waiting')); // a new state: printed
    tick(2500);
    output.emit(progress(300, 'waiting'));
    output.emit(progress(1000, 'verifying'));
    expect(out.stderr.split('\n').filter(Boolean)).toEqual([
      'big.bin: receiving 10% (100 B of 1000 B), 100 B/s, 9 s left',
      'big.bin: waiting for a peer that has the file, 20% (200 B of 1000 B)',
      'big.bin: waiting for a peer that has the file, 30% (300 B of 1000 B)',
      'big.bin: verifying 100% (1000 B of 1000 B), 100 B/s, 0 s left',
    ]);
    expect(out.stdout).toBe('');
  });

  it('shows an offer with its size and id before anything is fetched', () => {
    const { out, output } = capture(false);
    output.emit({
      event: 'message',
      id: 'd:1',
      time: 0,
      username: 'alice',
      name: 'alice',
      text: 'big.bin',
      own: false,
      file: { id: 'AbCdEfGhIjKlMnOpQrStUv', name: 'big.bin', size: 200 * 2 ** 20 },
    });
    expect(out.stdout).toMatch(
      /alice: \[file\] big\.bin \(200\.0 MiB\), \/get AbCdEfGhIjKlMnOpQrStUv/,
    );
  });
});
