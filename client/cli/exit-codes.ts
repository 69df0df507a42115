// The terminal client's exit codes (also listed in `--help` and the README), so scripts
// can tell a typo from a refusal from a dead server.
export const ExitCode = {
  ok: 0,
  /** A bug: reported in one line (set P2P_CHAT_DEBUG=1 for the stack). */
  unexpected: 1,
  /** Bad arguments, a broken or tampered room link, an unreadable password file. */
  usage: 2,
  /** The server refused the login or the registration. */
  loginRefused: 3,
  /** The server refused admission: wrong room key or password, banned, full, closed, unknown. */
  roomRefused: 4,
  /** The server could not be reached. */
  unreachable: 5,
  /** The host kicked or banned us during the session. */
  removed: 6,
  /** The room was closed during the session. */
  roomClosed: 7,
  /** The local data dir is in use by another client, locked with a passphrase, or damaged. */
  localData: 8,
  /** Ctrl-C. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure with the words to show and the code to exit with; never a stack trace. */
export class CliExit extends Error {
  override name = 'CliExit';

  constructor(
    readonly code: ExitCode,
    message: string,
  ) {
    super(message);
  }
}
