// Renders CliEvents: messages as `HH:MM:SS name: text` on stdout, everything else on
// stderr, or (with --json) one JSON object per line on stdout. Every peer-supplied string
// goes through terminalSafe / jsonLine first (sanitize.ts).
import type { CliEvent, FileMention, MemberInfo } from './events';
import { fileListLines, formatBytes } from './file-format';
import { ProgressPrinter, type ProgressStream } from './progress-printer';
import { jsonLine, terminalSafe } from './sanitize';

export interface Streams {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
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

/** A message that offers a file: its name, its size and how to fetch it. */
function messageBody(text: string, file: FileMention | undefined): string {
  if (!file) return terminalSafe(text);
  return `[file] ${terminalSafe(file.name)} (${formatBytes(file.size)}), /get ${file.id}`;
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
        text: `${clockTime(event.time)} ${who(event)}: ${messageBody(event.text, event.file)}`,
      };
    case 'history':
      // Earlier messages, your own included, marked so they are not taken for new ones.
      return {
        stream: 'stdout',
        text: `${clockTime(event.time)} ${who(event)}: ${messageBody(event.text, event.file)} (earlier)`,
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
    case 'file-offered':
      // Others' offers show as their message (name, size, /get ID); ours is confirmed here.
      return event.own
        ? err(`* "${terminalSafe(event.name)}" is offered to the room as ${event.id}`)
        : null;
    case 'file-progress':
      return null; // drawn by ProgressPrinter
    case 'file-complete':
      return err(
        `* "${terminalSafe(event.name)}" received and verified (SHA-256 matches the offer)`,
      );
    case 'file-failed':
      return err(`! "${terminalSafe(event.name)}": ${terminalSafe(event.message)}`);
    case 'file-expired':
      return err(`* "${terminalSafe(event.name)}" expired: its data was deleted`);
    case 'file-saved':
      return err(
        `* saved "${terminalSafe(event.name)}" to ${terminalSafe(event.path)} ` +
          `(${formatBytes(event.bytes)}, SHA-256 ${event.sha256.slice(0, 16)}...)`,
      );
    case 'files':
      return err(fileListLines(event.files).join('\n'));
    case 'notice':
      return err(`* ${terminalSafe(event.message)}`);
    case 'error':
      return err(`! ${terminalSafe(event.message)}`);
  }
}

export class Output {
  private readonly progress: ProgressPrinter;

  constructor(
    private readonly streams: Streams,
    private readonly json: boolean,
    now: () => number = Date.now,
  ) {
    this.progress = new ProgressPrinter(streams.stderr, now);
  }

  emit(event: CliEvent): void {
    if (this.json) {
      this.streams.stdout.write(jsonLine(event) + '\n');
      return;
    }
    if (event.event === 'file-progress') return this.progress.show(event);
    const rendered = renderText(event);
    if (!rendered) return;
    this.progress.interrupt();
    this.streams[rendered.stream].write(rendered.text + '\n');
  }

  /** A fatal problem before or outside the session: always words on stderr. */
  fail(message: string): void {
    if (this.json) this.streams.stdout.write(jsonLine({ event: 'fatal', message }) + '\n');
    this.progress.interrupt();
    this.streams.stderr.write(`error: ${terminalSafe(message)}\n`);
  }
}
