// One typed line is either a message or a command. A line starting with "//" sends a
// message that starts with "/" (the usual chat-client escape).

export type InputLine =
  | { kind: 'empty' }
  | { kind: 'send'; text: string }
  | { kind: 'who' }
  | { kind: 'verify'; name: string }
  | { kind: 'verified'; name: string }
  | { kind: 'close' }
  | { kind: 'kick'; name: string }
  | { kind: 'ban'; name: string }
  | { kind: 'quit' }
  | { kind: 'send-file'; path: string }
  | { kind: 'get-file'; id: string; path?: string }
  | { kind: 'cancel-file'; id: string }
  | { kind: 'files' }
  | { kind: 'invalid'; message: string };

export const COMMAND_HELP =
  'Commands: /who, /verify NAME, /verified NAME, /send PATH, /files, /get ID [PATH], ' +
  '/cancel ID, /kick NAME, /ban NAME, /close, /quit.';

/** The longest message a line may carry; longer input is refused, not cut silently. */
export const MAX_MESSAGE_CHARS = 16_000;

export function parseInputLine(raw: string): InputLine {
  const line = raw.replace(/\r$/, '');
  if (line.trim() === '') return { kind: 'empty' };
  if (line.startsWith('//')) return sendable(line.slice(1));
  if (!line.startsWith('/')) return sendable(line);

  const [command = '', ...rest] = line.slice(1).trim().split(/\s+/);
  const name = rest[0];
  // A path may hold spaces: it is the rest of the line, as typed.
  const afterCommand = line.slice(1).trim().slice(command.length).trim();
  switch (command.toLowerCase()) {
    case 'send': {
      const path = unquoted(afterCommand);
      return path ? { kind: 'send-file', path } : { kind: 'invalid', message: 'Usage: /send PATH' };
    }
    case 'get': {
      if (!name) return { kind: 'invalid', message: 'Usage: /get ID [PATH] (ids: /files)' };
      const path = unquoted(afterCommand.slice(name.length).trim());
      return { kind: 'get-file', id: name, ...(path ? { path } : {}) };
    }
    case 'cancel':
      if (!name || rest.length > 1) return { kind: 'invalid', message: 'Usage: /cancel ID' };
      return { kind: 'cancel-file', id: name };
    case 'files':
      return { kind: 'files' };
    case 'who':
      return { kind: 'who' };
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    case 'close':
      return { kind: 'close' };
    case 'verify':
    case 'verified':
    case 'kick':
    case 'ban':
      if (!name || rest.length > 1) {
        return { kind: 'invalid', message: `Usage: /${command.toLowerCase()} NAME` };
      }
      return { kind: command.toLowerCase() as 'verify' | 'verified' | 'kick' | 'ban', name };
    default:
      return {
        kind: 'invalid',
        message: `Unknown command "/${command}". ${COMMAND_HELP} Start a line with // to send a "/".`,
      };
  }
}

/** `"my file.txt"` or `'my file.txt'` as typed in a shell: the quotes are not part of it. */
function unquoted(text: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(text);
  return quoted ? quoted[2]! : text;
}

function sendable(text: string): InputLine {
  if (text.length > MAX_MESSAGE_CHARS) {
    return {
      kind: 'invalid',
      message: `That message is too long (${text.length} characters, at most ${MAX_MESSAGE_CHARS}); it was not sent.`,
    };
  }
  return { kind: 'send', text };
}
