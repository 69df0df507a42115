// One person's RoomSession in its own process (y-webrtc allows one provider per room per
// realm). Commands arrive as JSON lines on stdin; every room event leaves as a JSON line
// on stdout: { event, ...payload }.
import wrtc from '@roamhq/wrtc';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { createCryptoApi } from '../../../client/crypto/api';
import { MemoryHistoryStore } from '../../../client/core/memory-history-store';
import { RoomSession, type RoomEvents } from '../../../client/core/room-session';
import { ServerApi } from '../../../client/core/server-api';

const [serverUrl, username, password, wsBase] = process.argv.slice(2) as [
  string,
  string,
  string,
  string | undefined,
];

function out(event: string, payload: unknown = {}): void {
  process.stdout.write(JSON.stringify({ event, at: Date.now(), ...(payload as object) }) + '\n');
}

const EVENTS: (keyof RoomEvents)[] = [
  'peer-joined',
  'peer-verified',
  'peer-left',
  'peer-failed',
  'message',
  'delivery',
  'signaling-failed',
  'key-changed',
  'message-rejected',
  'removed',
  'room-closed',
  'connection',
  'error',
  'room-renamed',
];

async function main(): Promise<void> {
  const server = new ServerApi({ baseUrl: serverUrl, ...(wsBase ? { wsBase } : {}) });
  await server.login(username, password);
  const crypto = createCryptoApi();
  const identity = await crypto.createIdentity();
  const options = {
    server,
    crypto,
    identity,
    store: new MemoryHistoryStore(),
    displayName: username.toUpperCase(),
    username,
    wrtc,
    WebSocket,
  };
  let session: RoomSession | null = null;
  const lines = createInterface({ input: process.stdin });
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    // Answered at once, outside the queue: shows whether the process is alive at all.
    if (line.includes('"cmd":"ping"')) return out('pong');
    queue = queue.then(async () => {
      const command = JSON.parse(line) as Record<string, string>;
      try {
        switch (command.cmd) {
          case 'create': {
            const created = await RoomSession.create({
              ...options,
              origin: serverUrl,
              ...(command.cipher ? { cipher: command.cipher as 'aes-256-gcm' } : {}),
              ...(command.keyAgreement ? { keyAgreement: command.keyAgreement as 'p521' } : {}),
              ...(command.name ? { name: command.name } : {}),
            });
            session = created.session;
            for (const type of EVENTS) session.on(type, (e) => out(type, e));
            out('ready', { link: created.link, roomId: session.roomId });
            break;
          }
          case 'join':
            session = await RoomSession.join(command.link!, options);
            for (const type of EVENTS) session.on(type, (e) => out(type, e));
            out('ready', { roomId: session.roomId });
            break;
          case 'send': {
            const view = await session!.send(command.text!);
            out('sent', view);
            break;
          }
          case 'bulk': {
            const count = Number(command.count);
            for (let i = 1; i <= count; i++) await session!.send(`${command.text} ${i}`);
            out('bulk-done', { count });
            break;
          }
          case 'count':
            out('count', { messages: (await session!.history({ limit: 1_000_000 })).length });
            break;
          case 'rename':
            await session!.rename(command.name!);
            out('renamed', { name: session!.name });
            break;
          case 'invite-link':
            out('invite-link', { link: await session!.inviteLink() });
            break;
          case 'close':
            await session!.close();
            out('closed');
            break;
          case 'ban':
            await session!.ban(command.username!);
            out('banned', { username: command.username });
            break;
          case 'typing':
            session!.setTyping(command.on === 'yes');
            out('typing-set');
            break;
          case 'members':
            out('members', { members: session!.members() });
            break;
          case 'history':
            out('history', { messages: await session!.history() });
            break;
          case 'verification':
            out('verification', await session!.verification(command.peer!));
            break;
          case 'kick':
            await session!.kick(command.username!);
            out('kicked', { username: command.username });
            break;
          case 'stats':
            out('stats', session!.stats());
            break;
          case 'leave-room':
            await session?.leave();
            session = null;
            out('left-room');
            break;
          case 'leave':
            await session?.leave();
            out('left');
            process.exit(0);
        }
      } catch (error) {
        out('failed', {
          name: (error as Error).name,
          code: (error as { code?: string }).code,
          message: (error as Error).message,
        });
      }
    });
  });
  lines.on('close', () => {
    void queue.then(async () => {
      await session?.leave();
      process.exit(0);
    });
  });
  out('started');
}

void main().catch((error: unknown) => {
  out('crashed', { message: (error as Error).message });
  process.exit(1);
});
