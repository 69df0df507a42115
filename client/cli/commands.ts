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
  | { kind: 'invalid'; message: string };

export const COMMAND_HELP =
  'Commands: /who, /verify NAME, /verified NAME, /kick NAME, /ban NAME, /close, /quit.';

/** The longest message a line may carry; longer input is refused, not cut silently. */
export const MAX_MESSAGE_CHARS = 16_000;

export function parseInputLine(raw: string): InputLine {
  const line = raw.replace(/\r$/, '');
  if (line.trim() === '') return { kind: 'empty' };
  if (line.startsWith('//')) return sendable(line.slice(1));
  if (!line.startsWith('/')) return sendable(line);

  const [command = '', ...rest] = line.slice(1).trim().split(/\s+/);
  const name = rest[0];
  switch (command.toLowerCase()) {
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

function sendable(text: string): InputLine {
  if (text.length > MAX_MESSAGE_CHARS) {
    return {
      kind: 'invalid',
      message: `That message is too long (${text.length} characters, at most ${MAX_MESSAGE_CHARS}); it was not sent.`,
    };
  }
  return { kind: 'send', text };
}
