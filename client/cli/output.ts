// Renders CliEvents: messages as `HH:MM:SS name: text` on stdout, everything else on
// stderr, or (with --json) one JSON object per line on stdout. Every peer-supplied string
// goes through terminalSafe / jsonLine first (sanitize.ts).
import type { CliEvent, MemberInfo } from './events';
import { jsonLine, terminalSafe } from './sanitize';

export interface Streams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const two = (n: number): string => String(n).padStart(2, '0');

/** Local wall-clock time of a message, as people read it in a chat. */
export function clockTime(ms: number): string {
  const date = new Date(ms);
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

function who(member: { username: string; name: string }): string {
  const name = terminalSafe(member.name);
  const username = terminalSafe(member.username);
  return name === username ? name : `${name} (@${username})`;
}

function memberLine(member: MemberInfo): string {
  const state = [
    member.online ? 'online' : 'offline',
    member.verified ? 'verified by you' : member.trust,
  ];
  return `  ${who(member)}  ${state.join(', ')}  key ${terminalSafe(member.fingerprint.slice(0, 16))}`;
}

/** Groups of five digits, as Signal shows a safety number. */
function digitGroups(digits: string): string {
  return (digits.match(/.{1,5}/g) ?? []).join(' ');
}

/** The text-mode rendering of one event, or null for events only scripts care about. */
export function renderText(event: CliEvent): { stream: 'stdout' | 'stderr'; text: string } | null {
  const err = (text: string) => ({ stream: 'stderr' as const, text });
  switch (event.event) {
    case 'message':
      // What you typed is already on your screen; --json reports it (own: true) for scripts.
      if (event.own) return null;
      return {
        stream: 'stdout',
        // A display name is chosen by its owner: the account name beside it can't be faked.
        text: `${clockTime(event.time)} ${who(event)}: ${terminalSafe(event.text)}`,
      };
    case 'history':
      // Earlier messages, your own included, marked so they are not taken for new ones.
      return {
        stream: 'stdout',
        text: `${clockTime(event.time)} ${who(event)}: ${terminalSafe(event.text)} (earlier)`,
      };
    case 'ready':
      return event.link
        ? {
            stream: 'stdout',
            text: `Room link (share it only with the people you invite):\n${event.link}`,
          }
        : err(`* joined the room; type a message and press Enter (/quit to leave)`);
    case 'sent':
      return event.state === 'pending'
        ? err('* nobody is connected: the message waits in the outbox and goes out later')
        : null;
    case 'delivery':
      return null;
    case 'peer-joined':
      return err(`* ${who(event)} is here (securing the connection...)`);
    case 'peer-verified':
      return err(
        `* ${who(event)}: connection secured (key ${terminalSafe(event.fingerprint.slice(0, 16))})`,
      );
    case 'peer-left':
      return err(`* ${who(event)} left`);
    case 'peer-failed':
      return err(`! ${terminalSafe(event.message)}`);
    case 'message-rejected':
      return err(
        `! dropped a message from ${terminalSafe(event.from)}: ${terminalSafe(event.message)}`,
      );
    case 'signaling-failed':
      return err(`! ${terminalSafe(event.message)} (${event.count} dropped so far)`);
    case 'key-changed':
      return err(
        `! WARNING: ${terminalSafe(event.username)} now presents a different identity key ` +
          `(${terminalSafe(event.fingerprint.slice(0, 16))}, was ${terminalSafe(event.previous.slice(0, 16))}). ` +
          `Verify them again with /verify ${terminalSafe(event.username)}.`,
      );
    case 'removed':
      return err(
        `! you were ${event.reason === 'banned' ? 'banned' : 'removed'} from this room by its host`,
      );
    case 'room-closed':
      return err('! this room has been closed');
    case 'connection':
      return err(`* server connection: ${event.state}`);
    case 'who':
      return err(
        event.members.length === 0
          ? '* nobody else is here yet'
          : ['* people in this room:', ...event.members.map(memberLine)].join('\n'),
      );
    case 'verify':
      return err(
        [
          `* verifying ${terminalSafe(event.peer)}: compare these with them over another channel`,
          `  safety number: ${digitGroups(event.safetyNumber)}`,
          `  emoji: ${event.sas.emoji.map(terminalSafe).join(' ')}`,
          `  digits: ${terminalSafe(event.sas.digits)}`,
          `  if they match, type /verified ${terminalSafe(event.peer)}`,
        ].join('\n'),
      );
    case 'notice':
      return err(`* ${terminalSafe(event.message)}`);
    case 'error':
      return err(`! ${terminalSafe(event.message)}`);
  }
}

export class Output {
  constructor(
    private readonly streams: Streams,
    private readonly json: boolean,
  ) {}

  emit(event: CliEvent): void {
    if (this.json) {
      this.streams.stdout.write(jsonLine(event) + '\n');
      return;
    }
    const rendered = renderText(event);
    if (rendered) this.streams[rendered.stream].write(rendered.text + '\n');
  }

  /** A fatal problem before or outside the session: always words on stderr. */
  fail(message: string): void {
    if (this.json) this.streams.stdout.write(jsonLine({ event: 'fatal', message }) + '\n');
    this.streams.stderr.write(`error: ${terminalSafe(message)}\n`);
  }
}
