// The terminal client from start to exit: arguments, password, login, the crypto worker,
// the local history, then the room; and on the way out everything closed in reverse.
// Every failure a person can cause or fix ends as words on stderr and an exit code.
import wrtc from '@roamhq/wrtc';
import path from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { RoomSession } from '../core/room-session';
import { JoinError } from '../core/views';
import { ServerApi } from '../core/server-api';
import type { CryptoPort } from '../core/crypto-port';
import { startNodeCryptoWorker, type NodeCryptoWorker } from '../crypto/node-worker';
import { HistoryStoreError } from '../core/history-store';
import { DataKeyError, openCliDataKey, openFileHistoryStore } from './file-history-store';
import { parseCommandLine, USAGE, UsageError, type CliOptions } from './args';
import { Chat } from './chat';
import { CliExit, ExitCode } from './exit-codes';
import { Output } from './output';
import { IdentityFileError, loadOrCreateIdentity } from './identity-file';
import { NodeChunkStore } from '../storage/node-chunk-store';
import { profileDir } from './profile';
import { promptHidden, PromptError, readSecretFile, SecretFileError } from './secrets-input';
import { asCliExit, signIn } from './sign-in';

export interface CliIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** How many stored messages are shown on start. */
const HISTORY_SHOWN = 20;

const JOIN_EXIT: Record<string, ExitCode> = {
  'bad-link': ExitCode.usage,
  network: ExitCode.unreachable,
  unauthenticated: ExitCode.loginRefused,
};

/** Everything opened so far, closed in reverse order whatever happens. */
class Resources {
  private readonly closers: (() => Promise<unknown>)[] = [];
  add(close: () => Promise<unknown>): void {
    this.closers.unshift(close);
  }
  async closeAll(): Promise<void> {
    for (const close of this.closers.splice(0)) await close().catch(() => {});
  }
}

export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  let options: CliOptions;
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.help) {
      io.stdout.write(USAGE + '\n');
      return ExitCode.ok;
    }
    options = parsed.options;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`error: ${error.message}\nRun with --help for usage.\n`);
    return ExitCode.usage;
  }

  const output = new Output(io, options.json);
  const resources = new Resources();
  try {
    return await chat(options, io, output, resources);
  } catch (error) {
    const exit = toCliExit(error);
    if (exit) {
      output.fail(exit.message);
      return exit.code;
    }
    output.fail(`unexpected error: ${(error as Error)?.message ?? String(error)}`);
    if (io.env.P2P_CHAT_DEBUG) io.stderr.write(`${(error as Error)?.stack}\n`);
    return ExitCode.unexpected;
  } finally {
    await resources.closeAll();
  }
}

function toCliExit(error: unknown): CliExit | null {
  if (error instanceof CliExit) return error;
  if (error instanceof SecretFileError) return new CliExit(ExitCode.usage, error.message);
  if (error instanceof PromptError) return new CliExit(ExitCode.usage, error.message);
  if (
    error instanceof DataKeyError ||
    error instanceof HistoryStoreError ||
    error instanceof IdentityFileError
  ) {
    return new CliExit(ExitCode.localData, error.message);
  }
  if (error instanceof JoinError) {
    return new CliExit(JOIN_EXIT[error.code] ?? ExitCode.roomRefused, error.message);
  }
  const mapped = asCliExit(error, ExitCode.roomRefused);
  return mapped instanceof CliExit ? mapped : null;
}

async function readSecrets(options: CliOptions, io: CliIo) {
  const password = options.passwordFile
    ? await readSecretFile(options.passwordFile, 'password')
    : await promptHidden(`Password for ${options.username}: `, io.stdin, io.stderr);
  const roomPassword = options.roomPasswordFile
    ? await readSecretFile(options.roomPasswordFile, 'room password')
    : undefined;
  return { password, roomPassword };
}

async function openLocalState(options: CliOptions, crypto: CryptoPort, resources: Resources) {
  const dir = await profileDir(options.dataDir, options.server, options.username);
  const dataKey = await openCliDataKey({ dir, crypto });
  const store = await openFileHistoryStore({ dir, crypto, dataKey });
  resources.add(() => store.close());
  const identity = await loadOrCreateIdentity(dir, crypto, dataKey);
  // Sealed file chunks (as they travel) with their bitmaps: a fetch resumes after a restart
  // and files held here can be served to others. Closed after the session (reverse order).
  const chunks = new NodeChunkStore(path.join(dir, 'files'));
  resources.add(() => chunks.close());
  return { store, identity, dataKey, chunks };
}

async function chat(
  options: CliOptions,
  io: CliIo,
  output: Output,
  resources: Resources,
): Promise<ExitCode> {
  // The worker and the local history get ready while the server checks the login: both
  // take a moment (a thread start, an Argon2 unwrap) and neither needs the other.
  const worker: NodeCryptoWorker = startNodeCryptoWorker();
  resources.add(() => worker.terminate());
  const crypto = worker.api;
  const local = openLocalState(options, crypto, resources);
  local.catch(() => {}); // awaited below; a login failure must not leave it unhandled
  const { password, roomPassword } = await readSecrets(options, io);
  const server = new ServerApi({ baseUrl: options.server });
  await signIn(server, options.username, password, options.register);
  const { store, identity, dataKey, chunks } = await local;

  const sessionOptions = {
    server,
    crypto,
    identity,
    store,
    // Epoch secrets from a rotation are kept sealed under it, so a restart can rejoin.
    dataKey,
    displayName: options.displayName,
    username: options.username,
    files: { store: chunks },
    ...(roomPassword !== undefined ? { roomPassword } : {}),
    wrtc,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  };
  let session: RoomSession;
  let link: string | undefined;
  if (options.mode === 'create') {
    ({ session, link } = await RoomSession.create({
      ...sessionOptions,
      origin: options.server,
      cipher: options.cipher,
      keyAgreement: options.keyAgreement,
      ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
    }));
  } else {
    session = await RoomSession.join(options.link, sessionOptions);
  }
  resources.add(() => session.leave());

  return new Promise<ExitCode>((resolve) => {
    const lines = createInterface({ input: io.stdin, terminal: false });
    const chatLoop = new Chat({
      session,
      emit: (event) => output.emit(event),
      end: (code) => {
        lines.close();
        resolve(code);
      },
    });
    output.emit({
      event: 'ready',
      roomId: session.roomId,
      username: options.username,
      ...(link ? { link } : {}),
    });
    // Lines are handled one at a time, in the order typed, after the stored history shows.
    let queue = session
      .history({ limit: HISTORY_SHOWN })
      .then((views) => chatLoop.showHistory(views))
      .catch((error: unknown) =>
        output.emit({
          event: 'error',
          message: `Stored history unreadable: ${(error as Error).message}`,
        }),
      );
    lines.on('line', (line) => {
      queue = queue.then(() => chatLoop.handleLine(line));
    });
    // End of input (a pipe that finished, Ctrl-D) leaves once what was typed is handled.
    lines.on('close', () => void queue.then(() => chatLoop.finish(ExitCode.ok)));
    process.once('SIGINT', () => chatLoop.finish(ExitCode.interrupted));
  });
}
