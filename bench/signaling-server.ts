// Child process for `npm run bench:signaling`: our real server (auth, schemas, rate limits
// and relay limits at their production values) with N accounts in rooms of 4, each with
// a ticket issued the way `/admit` issues one. Runs in its own process so its RSS can be
// measured on its own, like y-webrtc's server.
//   setup <clients> <roomSize>  -> prints `SETUP <dataDir> <roomsFile>` and exits
//   serve <dataDir>             -> prints `READY <wsUrl>`; stops when stdin closes
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../signaling/config';
import { createLogger } from '../signaling/logger';
import { startServer } from '../signaling/server';
import { createServices, type Services } from '../signaling/services';

export interface BenchRoom {
  topic: string;
  tickets: string[];
}

const [mode, ...args] = process.argv.slice(2);
const config = (dataDir: string) =>
  loadConfig(
    // Tickets are only checked at connect time; a long TTL just lets a slow ramp finish.
    { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, STATIC_DIR: '', TICKET_TTL_SECONDS: '900' },
    { envFile: false },
  );

if (mode === 'setup') {
  // Accounts, rooms and tickets are made in a separate process first, so the server's
  // memory holds only what serving costs.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-signaling-'));
  const services = createServices(config(dataDir), createLogger({ level: 'warn' }));
  const roomsFile = path.join(dataDir, 'bench-rooms.json');
  writeFileSync(roomsFile, JSON.stringify(createRooms(services, Number(args[0]), Number(args[1]))));
  await services.close();
  process.stdout.write(`SETUP ${dataDir} ${roomsFile}\n`);
  process.exit(0);
}

const dataDir = args[0]!;
const server = await startServer(config(dataDir), { logger: createLogger({ level: 'warn' }) });
process.stdout.write(`READY ${server.wsUrl}\n`);
const stop = async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.stdin.resume();
process.stdin.on('end', () => void stop());
process.on('SIGTERM', () => void stop());

/** Rooms of `roomSize` fresh accounts, each with a ticket as `/admit` would issue it. */
function createRooms(services: Services, clients: number, roomSize: number): BenchRoom[] {
  const { users, rooms, tickets } = services;
  const benchRooms: BenchRoom[] = [];
  for (let first = 0; first < clients; first += roomSize) {
    const members = Array.from({ length: Math.min(roomSize, clients - first) }, (_, i) =>
      // Accounts made directly: hashing 2,000 passwords is not what this benchmark measures.
      users.create({ username: `bench${first + i}`, passwordHash: 'not-a-login' }),
    );
    const room = rooms.create({
      ownerId: members[0]!.id,
      verifier: randomBytes(32).toString('base64url'),
      passwordHash: null,
      capacity: roomSize,
      cipher: 'aes-256-gcm',
      fileTtlSeconds: 86_400,
    });
    benchRooms.push({
      topic: room.id,
      tickets: members.map((user) => {
        rooms.addMember(room.id, user.id);
        return tickets.issue({ userId: user.id, username: user.username, roomId: room.id }).ticket;
      }),
    });
  }
  return benchRooms;
}
