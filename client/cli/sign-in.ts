// Logging in (and, with --register, creating the account first). Refusals come back as
// the server's own words with an exit code; nothing here prints the password.
import { NetworkError, ServerError, type ServerApi } from '../core/server-api';
import { CliExit, ExitCode } from './exit-codes';

export async function signIn(
  server: ServerApi,
  username: string,
  password: string,
  register: boolean,
): Promise<void> {
  try {
    if (register) {
      try {
        await server.register(username, password);
      } catch (error) {
        // "Create the account if missing": an existing account is simply logged into.
        if (!(error instanceof ServerError && error.code === 'username_taken')) throw error;
      }
    }
    await server.login(username, password);
  } catch (error) {
    throw asCliExit(error, ExitCode.loginRefused);
  }
}

/** Server refusals and network failures, as words and an exit code. */
export function asCliExit(error: unknown, refusedCode: ExitCode): unknown {
  if (error instanceof NetworkError) {
    return new CliExit(ExitCode.unreachable, error.message);
  }
  if (error instanceof ServerError) {
    return new CliExit(error.status >= 500 ? ExitCode.unreachable : refusedCode, error.message);
  }
  return error;
}
