// The conversation loop: room events become CliEvents (output.ts prints them) and typed
// lines become messages or commands. Nothing here knows about WebRTC or keys.
import type { MessageView, RoomSession } from '../core/room-session';
import { parseInputLine } from './commands';
import { CliFiles } from './file-commands';
import type { CliEvent } from './events';
import { ExitCode } from './exit-codes';
import { memberInfo, messageEvent, sasEmoji } from './views';

export interface ChatOptions {
  session: RoomSession;
  emit: (event: CliEvent) => void;
  /** Called once when the conversation is over, with the code to exit with. */
  end: (code: ExitCode) => void;
  /** Where relative paths of /send and /get start (default: the process's). */
  cwd?: string;
}

export class Chat {
  /** Ids of messages typed here: the person already saw them on their own screen. */
  private readonly typedHere = new Set<string>();
  /** Ids already shown live, so the stored history printed at start does not repeat them. */
  private readonly shown = new Set<string>();
  /** Own messages waiting in the outbox: the person is told when each goes out. */
  private readonly waiting = new Set<string>();
  private readonly unsubscribe: (() => void)[] = [];
  private ended = false;
  private readonly files: CliFiles;

  constructor(private readonly options: ChatOptions) {
    const { session, emit } = options;
    this.files = new CliFiles({ session, emit, cwd: options.cwd ?? process.cwd() });
    this.unsubscribe.push(...this.files.unsubscribe);
    const on = session.on.bind(session);
    this.unsubscribe.push(
      on('message', (view) => {
        const event = messageEvent(view);
        this.shown.add(event.id);
        // Text mode shows what others wrote; a script (--json) sees its own lines too.
        emit({ ...event, own: event.own || this.typedHere.has(event.id) });
      }),
      on('delivery', (e) => {
        emit({ event: 'delivery', id: e.id, state: e.state });
        if (e.state !== 'pending' && this.waiting.delete(e.id)) {
          emit({ event: 'notice', message: 'a message from the outbox went out' });
        }
      }),
      on('peer-joined', (m) => emit({ event: 'peer-joined', ...memberInfo(m) })),
      on('peer-verified', (m) => emit({ event: 'peer-verified', ...memberInfo(m) })),
      on('peer-left', (m) => emit({ event: 'peer-left', ...memberInfo(m) })),
      on('peer-failed', (e) =>
        emit({ event: 'peer-failed', peer: e.peer, reason: e.reason, message: e.message }),
      ),
      on('signaling-failed', (e) =>
        emit({ event: 'signaling-failed', count: e.count, message: e.message }),
      ),
      on('key-changed', (e) =>
        emit({
          event: 'key-changed',
          username: e.username,
          fingerprint: e.fingerprint,
          previous: e.previous,
        }),
      ),
      on('message-rejected', (e) =>
        emit({ event: 'message-rejected', from: e.from, reason: e.reason, message: e.message }),
      ),
      on('connection', (e) => emit({ event: 'connection', state: e.state })),
      on('error', (e) => emit({ event: 'error', message: e.message })),
      on('removed', (e) => {
        emit({ event: 'removed', reason: e.reason });
        this.finish(ExitCode.removed);
      }),
      on('room-closed', () => {
        emit({ event: 'room-closed' });
        this.finish(ExitCode.roomClosed);
      }),
    );
  }

  /** The stored conversation so far (oldest first), as people expect on reopening a chat. */
  showHistory(views: MessageView[]): void {
    for (const view of views) {
      const event = messageEvent(view);
      if (this.shown.has(event.id)) continue;
      this.options.emit({ ...event, event: 'history' });
    }
  }

  /** One typed line. Resolves when it has been handled (sent, answered or refused). */
  async handleLine(raw: string): Promise<void> {
    if (this.ended) return;
    const { session, emit } = this.options;
    const line = parseInputLine(raw);
    try {
      switch (line.kind) {
        case 'empty':
          return;
        case 'invalid':
          return emit({ event: 'error', message: line.message });
        case 'send': {
          const view = await session.send(line.text);
          const sent = messageEvent(view);
          this.typedHere.add(sent.id);
          if (view.state === 'pending') this.waiting.add(sent.id);
          return emit({ event: 'sent', id: sent.id, state: view.state });
        }
        case 'who':
          return emit({ event: 'who', members: session.members().map(memberInfo) });
        case 'verify': {
          const result = await session.verification(line.name);
          return emit({
            event: 'verify',
            peer: line.name,
            safetyNumber: result.safetyNumber,
            sas: { emoji: sasEmoji(result.sas.emoji), digits: String(result.sas.digits) },
          });
        }
        case 'verified':
          await session.markVerified(line.name);
          return emit({ event: 'notice', message: `${line.name} is now marked as verified` });
        case 'close':
          // The room-closed event that follows ends this client too.
          return await session.close();
        case 'kick':
          await session.kick(line.name);
          return emit({ event: 'notice', message: `${line.name} was removed from the room` });
        case 'ban':
          await session.ban(line.name);
          return emit({ event: 'notice', message: `${line.name} was banned from the room` });
        case 'send-file':
          return await this.files.send(line.path);
        case 'get-file':
          return await this.files.get(line.id, line.path);
        case 'cancel-file':
          return await this.files.cancel(line.id);
        case 'files':
          return this.files.list();
        case 'quit':
          return this.finish(ExitCode.ok);
      }
    } catch (error) {
      // A refused command (not the host, unknown name...) is said, and the chat goes on.
      emit({ event: 'error', message: (error as Error).message });
    }
  }

  /** Stops listening and reports the exit code (once). */
  finish(code: ExitCode): void {
    if (this.ended) return;
    this.ended = true;
    for (const off of this.unsubscribe) off();
    this.options.end(code);
  }
}
