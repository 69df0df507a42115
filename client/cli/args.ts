// Command-line arguments of the terminal client, validated before anything touches the
// network or the disk: a typo or a damaged room link is reported at once, in words.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseRoomLink } from '../crypto/room-link';
import { RoomCipher, Username } from '../../signaling/protocol';
import { parseByteSize } from '../core/files/file-size-limit';

export const USAGE = `Usage:
  npm run cli -- --server URL --username NAME [--password-file FILE] [--register]
                 (--create [--cipher SUITE] [--key-agreement x25519|p521]
                           [--room-password-file FILE] [--max-file-size SIZE]
                  | (--room LINK | --room-file FILE) [--room-password-file FILE])
                 [--data-dir DIR] [--display-name NAME] [--json]

  --server URL              the signaling server, e.g. https://chat.example.org
  --username NAME           your account on that server
  --password-file FILE      read your account password from FILE (else you are asked)
  --register                create the account first if it does not exist yet
  --create                  create a new room and print its link
  --cipher SUITE            aes-256-gcm (default) | xchacha20-poly1305 | aes-256-cbc-hmac-sha512
  --key-agreement KA        x25519 (default) | p521
  --room-password-file FILE a room password (set on --create, required to join such a room)
  --max-file-size SIZE      with --create: the largest file anyone may share in the room,
                            e.g. 25M, 100MB, 1G, 512MiB (default: no limit but disk space)
  --room LINK               join the room behind this link (https://HOST/r/ID#k=SECRET)
  --room-file FILE          the same, read from FILE (a link on the command line is visible
                            to other users of this machine in \`ps\`)
  --data-dir DIR            where history is kept (default ~/.p2p-chat)
  --display-name NAME       the name others see (default: your username)
  --json                    print one JSON object per event on stdout instead of text

Type a line to send it. Commands: /who, /verify NAME (safety number and emoji to compare),
  /verified NAME (they matched), /kick NAME, /ban NAME, /close (host), /quit.
Files (end-to-end encrypted, resumable, verified by SHA-256; kept for the room's file TTL):
  /send PATH        offer a file to the room (others see its name, size and id)
  /files            list the room's files with their ids, sizes and states
  /get ID [PATH]    download a file (the size is shown first; an id prefix is enough);
                    saved as PATH, into PATH if it is a directory, or into the current
                    directory under the sender's file name; never overwrites a file.
                    Progress (percent, speed, time left) is shown on stderr. An offer
                    you do not /get is never downloaded.
  /cancel ID        stop a download and delete what arrived
Exit codes: 0 done, 1 unexpected error, 2 bad arguments or link, 3 login refused,
  4 room refused (wrong key or password, banned, full, closed, unknown),
  5 server unreachable, 6 removed from the room (kicked or banned), 7 room closed,
  8 the data dir is in use by another client or unreadable, 130 Ctrl-C.`;

/** Bad arguments: the message says what to fix; the usage text follows it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type KeyAgreement = 'x25519' | 'p521';
export type CipherSuite = z.infer<typeof RoomCipher>;

interface CommonOptions {
  server: string;
  username: string;
  passwordFile?: string;
  roomPasswordFile?: string;
  register: boolean;
  dataDir: string;
  displayName: string;
  json: boolean;
}

export type CliOptions =
  | (CommonOptions & {
      mode: 'create';
      cipher: CipherSuite;
      keyAgreement: KeyAgreement;
      /** The room's maximum file size in bytes (absent: no limit). */
      maxFileBytes?: number;
    })
  | (CommonOptions & { mode: 'join'; link: string });

export type ParsedCommandLine = { help: true } | { help: false; options: CliOptions };

const ServerUrl = z.string().transform((text, ctx) => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: `--server: "${text}" is not a URL.` });
    return z.NEVER;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    ctx.addIssue({ code: 'custom', message: '--server must start with https:// (or http://).' });
    return z.NEVER;
  }
  return url.origin;
});

const DisplayName = z
  .string()
  .trim()
  .min(1, '--display-name must not be empty')
  .max(64, '--display-name has at most 64 characters');

function firstIssue(error: z.ZodError, flag: string): string {
  const message = error.issues[0]?.message ?? 'is invalid';
  return message.startsWith('--') ? message : `${flag}: ${message}`;
}

function validated<T>(schema: z.ZodType<T>, value: unknown, flag: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(firstIssue(result.error, flag));
  return result.data;
}

/** Throws UsageError for anything wrong, including a damaged room link. */
export function parseCommandLine(argv: string[], home = homedir()): ParsedCommandLine {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        server: { type: 'string' },
        username: { type: 'string' },
        'password-file': { type: 'string' },
        register: { type: 'boolean', default: false },
        create: { type: 'boolean', default: false },
        cipher: { type: 'string' },
        'key-agreement': { type: 'string' },
        'room-password-file': { type: 'string' },
        'max-file-size': { type: 'string' },
        room: { type: 'string' },
        'room-file': { type: 'string' },
        'data-dir': { type: 'string' },
        'display-name': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    // node:util's messages name the flag ("Unknown option '--romo'"), which is what to fix.
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { help: true };

  const text = (name: string): string | undefined => values[name] as string | undefined;
  if (!text('server')) throw new UsageError('--server URL is required.');
  if (!text('username')) throw new UsageError('--username NAME is required.');
  const server = validated(ServerUrl, text('server'), '--server');
  const username = validated(Username, text('username'), '--username');

  const create = values.create === true;
  if (text('room') !== undefined && text('room-file') !== undefined) {
    throw new UsageError('Give the link once: --room LINK or --room-file FILE.');
  }
  const link = text('room') ?? readLinkFile(text('room-file'));
  if (create === (link !== undefined)) {
    throw new UsageError('Give either --create (a new room) or --room LINK (join one).');
  }
  const common: CommonOptions = {
    server,
    username,
    register: values.register === true,
    json: values.json === true,
    dataDir: path.resolve(text('data-dir') ?? path.join(home, '.p2p-chat')),
    displayName: validated(DisplayName, text('display-name') ?? username, '--display-name'),
    ...(text('password-file') ? { passwordFile: text('password-file') } : {}),
    ...(text('room-password-file') ? { roomPasswordFile: text('room-password-file') } : {}),
  };

  if (create) {
    const cipher = validated(RoomCipher, text('cipher') ?? 'aes-256-gcm', '--cipher');
    const keyAgreement = validated(
      z.enum(['x25519', 'p521']),
      text('key-agreement') ?? 'x25519',
      '--key-agreement',
    );
    const maxFileSize = text('max-file-size');
    const maxFileBytes = maxFileSize === undefined ? undefined : fileSize(maxFileSize);
    return {
      help: false,
      options: {
        ...common,
        mode: 'create',
        cipher,
        keyAgreement,
        ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
      },
    };
  }
  if (text('cipher') || text('key-agreement') || text('max-file-size') !== undefined) {
    throw new UsageError(
      '--cipher, --key-agreement and --max-file-size belong to --create: a room link already fixes them.',
    );
  }
  checkLink(link!);
  return { help: false, options: { ...common, mode: 'join', link: link!.trim() } };
}

function fileSize(text: string): number {
  try {
    return parseByteSize(text);
  } catch (error) {
    throw new UsageError(`--max-file-size: ${(error as Error).message}`);
  }
}

function readLinkFile(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--room-file: cannot read "${file}".`);
  }
}

/** A broken or tampered link is refused here, before any network call. */
function checkLink(link: string): void {
  const parsed = parseRoomLink(link);
  if (!parsed.ok) throw new UsageError(`--room: ${parsed.message}`);
  // The secret is not needed here: the crypto worker parses the link again and keeps it.
  parsed.value.secret.fill(0);
}
