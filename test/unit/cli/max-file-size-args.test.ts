// `--max-file-size` on `--create`: the room's limit as people write it, refused in words
// when it is not a size or when it comes with a room link (the room already fixed it).
import { describe, expect, it } from 'vitest';
import { parseCommandLine, USAGE, UsageError } from '../../../client/cli/args';
import { createRoomSecret, formatRoomLink } from '../../../client/crypto/room-link';

const LINK = formatRoomLink('https://chat.example', 'AbCdEfGhIjKlMnOpQrSt_-', createRoomSecret());
const BASE = ['--server', 'https://chat.example', '--username', 'alice'];

function parse(argv: string[]) {
  const parsed = parseCommandLine(argv, '/home/alice');
  if (parsed.help) throw new Error('unexpected --help');
  return parsed.options;
}

function refusal(argv: string[]): string {
  try {
    parseCommandLine(argv, '/home/alice');
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('the command line was accepted');
}

describe('--max-file-size', () => {
  it('sets the new room maximum file size from 25M, 1G or 512MiB', () => {
    expect(parse([...BASE, '--create', '--max-file-size', '25M'])).toMatchObject({
      mode: 'create',
      maxFileBytes: 25_000_000,
    });
    expect(parse([...BASE, '--create', '--max-file-size', '1G'])).toMatchObject({
      maxFileBytes: 1_000_000_000,
    });
    expect(parse([...BASE, '--create', '--max-file-size', '512MiB'])).toMatchObject({
      maxFileBytes: 512 * 2 ** 20,
    });
  });

  it('leaves the room without a limit when not given', () => {
    expect(parse([...BASE, '--create'])).not.toHaveProperty('maxFileBytes');
  });

  it('refuses a size it cannot read, naming the flag, and a limit for a joined room', () => {
    expect(refusal([...BASE, '--create', '--max-file-size', 'lots'])).toMatch(
      /^--max-file-size: "lots" is not a size/,
    );
    expect(refusal([...BASE, '--create', '--max-file-size', '0'])).toMatch(/^--max-file-size/);
    expect(refusal([...BASE, '--room', LINK, '--max-file-size', '25M'])).toMatch(
      /belong to --create/,
    );
  });

  it('is in the usage text', () => {
    expect(USAGE).toContain('--max-file-size SIZE');
  });
});
