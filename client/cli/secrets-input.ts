// Passwords reach the client from a file or from the terminal with echo off; never from
// the command line (other users can read it in `ps`) and never printed back.
import { readFile } from 'node:fs/promises';

/** A password file that is missing, unreadable or empty. */
export class SecretFileError extends Error {
  override name = 'SecretFileError';
}

/** No terminal to ask on (stdin is a pipe), or the person cancelled with Ctrl-C / Ctrl-D. */
export class PromptError extends Error {
  override name = 'PromptError';
}

/** The file's contents without the final newline editors add; everything else is kept. */
export async function readSecretFile(file: string, what: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'there is no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : 'it cannot be read';
    throw new SecretFileError(`Cannot read the ${what} file "${file}": ${why}.`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '') throw new SecretFileError(`The ${what} file "${file}" is empty.`);
  return secret;
}

export interface TerminalInput {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  removeListener(event: 'data', listener: (chunk: string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/**
 * Asks on the terminal without echoing what is typed (not even asterisks: their count
 * would reveal the length). Backspace edits, Enter finishes, Ctrl-C or Ctrl-D cancels.
 */
export function promptHidden(
  question: string,
  input: TerminalInput,
  output: { write(text: string): unknown },
): Promise<string> {
  if (!input.isTTY || !input.setRawMode) {
    return Promise.reject(
      new PromptError(
        'There is no terminal to ask for the password on: give it with --password-file FILE.',
      ),
    );
  }
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error: PromptError | null) => {
      input.removeListener('data', onData);
      input.setRawMode!(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(null);
        if (char === '\u0003' || (char === '\u0004' && typed === '')) {
          return finish(new PromptError('Cancelled.'));
        }
        if (char === '\u007f' || char === '\b') typed = Array.from(typed).slice(0, -1).join('');
        else if (char >= ' ' && char !== '\u001b') typed += char;
      }
    };
    output.write(question);
    input.setEncoding('utf8');
    input.setRawMode!(true);
    input.on('data', onData);
    input.resume();
  });
}
