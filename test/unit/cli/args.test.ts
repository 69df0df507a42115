import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError, type CliOptions } from '../../../client/cli/args';
import { createRoomSecret, formatRoomLink } from '../../../client/crypto/room-link';

const LINK = formatRoomLink('https://chat.example', 'AbCdEfGhIjKlMnOpQrSt_-', createRoomSecret());
const BASE = ['--server', 'https://chat.example', '--username', 'alice'];

function options(argv: string[]): CliOptions {
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

describe('terminal client arguments', () => {
  it('creates a room with the default cipher, key agreement and data dir', () => {
    expect(options([...BASE, '--create'])).toEqual({
      mode: 'create',
      server: 'https://chat.example',
      username: 'alice',
      displayName: 'alice',
      register: false,
      json: false,
      dataDir: '/home/alice/.p2p-chat',
      cipher: 'aes-256-gcm',
      keyAgreement: 'x25519',
    });
  });

  it('takes every creation choice the issue lists', () => {
    const chosen = options([
      ...BASE,
      '--create',
      '--cipher',
      'aes-256-cbc-hmac-sha512',
      '--key-agreement',
      'p521',
      '--room-password-file',
      'room.txt',
      '--password-file',
      'pw.txt',
      '--data-dir',
      '/tmp/x',
      '--json',
      '--register',
      '--display-name',
      'Alice A.',
    ]);
    expect(chosen).toMatchObject({
      cipher: 'aes-256-cbc-hmac-sha512',
      keyAgreement: 'p521',
      roomPasswordFile: 'room.txt',
      passwordFile: 'pw.txt',
      dataDir: '/tmp/x',
      json: true,
      register: true,
      displayName: 'Alice A.',
    });
  });

  it('joins by link, tolerating the whitespace of a paste', () => {
    expect(options([...BASE, '--room', ` ${LINK}\n`])).toMatchObject({ mode: 'join', link: LINK });
  });

  it('reads the link from a file, so it does not show in `ps`', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-args-'));
    writeFileSync(path.join(dir, 'link'), LINK + '\n');
    expect(options([...BASE, '--room-file', path.join(dir, 'link')])).toMatchObject({
      mode: 'join',
      link: LINK,
    });
    expect(refusal([...BASE, '--room-file', path.join(dir, 'missing')])).toMatch(/cannot read/);
    expect(refusal([...BASE, '--room-file', path.join(dir, 'link'), '--room', LINK])).toMatch(
      /once/,
    );
  });

  it('asks for exactly one of --create and --room', () => {
    expect(refusal(BASE)).toMatch(/either --create .* or --room LINK/);
    expect(refusal([...BASE, '--create', '--room', LINK])).toMatch(/either --create/);
  });

  it('refuses a link with a missing, damaged or cut secret before any network call', () => {
    expect(refusal([...BASE, '--room', LINK.split('#')[0]!])).toMatch(/incomplete/);
    expect(refusal([...BASE, '--room', LINK.slice(0, -5)])).toMatch(/damaged or cut short/);
    expect(refusal([...BASE, '--room', LINK.replace('/r/AbCd', '/r/Ab!d')])).toMatch(
      /room id in this link is damaged/,
    );
    expect(refusal([...BASE, '--room', 'hello'])).toMatch(/not a link/);
    expect(refusal([...BASE, '--room', LINK.replace('https:', 'http:')])).toMatch(/https/);
  });

  it('names the flag that is wrong', () => {
    expect(refusal([...BASE, '--create', '--cipher', 'rot13'])).toMatch(/^--cipher: /);
    expect(refusal([...BASE, '--create', '--key-agreement', 'rsa'])).toMatch(/^--key-agreement/);
    expect(refusal(['--server', 'chat.example', '--username', 'alice', '--create'])).toMatch(
      /--server: "chat.example" is not a URL/,
    );
    expect(refusal(['--server', 'ftp://x', '--username', 'alice', '--create'])).toMatch(/https/);
    expect(refusal(['--server', 'https://x', '--username', 'a b', '--create'])).toMatch(
      /^--username: a username uses only/,
    );
    expect(refusal([...BASE, '--create', '--romo', 'x'])).toMatch(/romo/);
    expect(refusal([...BASE, '--room', LINK, '--cipher', 'aes-256-gcm'])).toMatch(
      /belong to --create/,
    );
    expect(refusal(['--username', 'alice', '--create'])).toMatch(/--server URL is required/);
  });

  it('answers --help without requiring anything else', () => {
    expect(parseCommandLine(['--help'])).toEqual({ help: true });
  });
});
