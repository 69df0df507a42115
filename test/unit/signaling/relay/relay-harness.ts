import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { createLogger } from '../../../../signaling/logger';
import { attachRelay, type Relay, type RelayTuning } from '../../../../signaling/relay/relay';
import { Tickets, type TicketClaims } from '../../../../signaling/rooms/tickets';
import type {
  SecurityDetails,
  SecurityEventType,
} from '../../../../signaling/security-log/security-log';

export interface RecordedEvent {
  type: SecurityEventType;
  details: SecurityDetails;
}

/**
 * A real HTTP server on an ephemeral loopback port with the relay attached. Its
 * dependencies are the real ticket signer and small in-memory stand-ins for the room
 * database (which rooms are closed, who is banned) and the security log.
 */
export interface RelayHarness {
  relay: Relay;
  wsUrl: string;
  host: string;
  events: RecordedEvent[];
  banned: Set<string>;
  closedRooms: Set<string>;
  /** Makes the room database fail, as a full disk or a locked file would. */
  faults: { admissionThrows: boolean };
  ticket(claims: { userId: number; roomId: string; username?: string }): string;
  /** A ticket that expired a moment ago (signed with the same key, issued in the past). */
  expiredTicket(claims: { userId: number; roomId: string }): string;
  /** A ticket valid for `ms` only. */
  shortTicket(
    claims: { userId: number; roomId: string },
    ms: number,
  ): { ticket: string; expiresAt: number };
  close(): Promise<void>;
}

export const ROOM_A = 'roomAAAAAAAAAAAAAAAAAA';
export const ROOM_B = 'roomBBBBBBBBBBBBBBBBBB';

export async function startRelay(
  tuning: Partial<RelayTuning> = {},
  trustProxy: boolean | string = false,
): Promise<RelayHarness> {
  const secret = randomBytes(32);
  const tickets = new Tickets(secret, 60_000);
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const events: RecordedEvent[] = [];
  const banned = new Set<string>();
  const closedRooms = new Set<string>();
  const faults = { admissionThrows: false };
  const relay = attachRelay(server, {
    config: { allowedOrigins: ['https://allowed.example'], trustProxy, ticketTtlMs: 60_000 },
    logger: createLogger({ level: 'silent' }),
    securityLog: { record: (type, details = {}) => void events.push({ type, details }) },
    tickets,
    admission: {
      check: (roomId, userId) => {
        if (faults.admissionThrows) throw new Error('SQLITE_IOERR: disk I/O error');
        if (closedRooms.has(roomId)) return 'closed';
        return banned.has(`${roomId}:${userId}`) ? 'banned' : 'ok';
      },
    },
    tuning,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const claimsOf = (c: { userId: number; roomId: string; username?: string }) => ({
    userId: c.userId,
    roomId: c.roomId,
    username: c.username ?? `user${c.userId}`,
  });
  return {
    relay,
    wsUrl: `ws://127.0.0.1:${port}/signal`,
    host: `127.0.0.1:${port}`,
    events,
    banned,
    closedRooms,
    faults,
    ticket: (c) => tickets.issue(claimsOf(c)).ticket,
    expiredTicket: (c) =>
      new Tickets(secret, 1, () => Date.now() - 10_000).issue(claimsOf(c)).ticket,
    shortTicket: (c, ms) => new Tickets(secret, ms).issue(claimsOf(c)),
    async close() {
      await relay.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A real ws client that records what it receives and how it was closed. */
export class TestClient {
  readonly messages: unknown[] = [];
  readonly rawMessages: string[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = (data as Buffer).toString('utf8');
      this.rawMessages.push(text);
      this.messages.push(JSON.parse(text));
      for (const wake of this.waiters.splice(0)) wake();
    });
    ws.on('error', () => {});
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) =>
        reject(new UpgradeRefused(res.statusCode ?? 0)),
      );
      ws.once('close', () => reject(new Error('closed before open')));
    });
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static async open(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const client = new TestClient(new WebSocket(url, options));
    await client.opened;
    return client;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends a ping frame and waits for the pong, so every earlier frame has been handled. */
  async roundTrip(): Promise<void> {
    const before = this.countOf('pong');
    this.send({ type: 'ping' });
    await this.waitFor(() => this.countOf('pong') > before);
  }

  countOf(type: string): number {
    return this.messages.filter((m) => (m as { type?: string }).type === type).length;
  }

  async waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for a message');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

/** Polls a condition (a clock passing a deadline, a counter on the server) until it holds. */
export async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

/** The HTTP status the relay answered an upgrade with (101 when it accepted). */
export async function upgradeStatus(
  url: string,
  headers: Record<string, string> = {},
): Promise<number> {
  try {
    const client = await TestClient.open(url, { headers });
    client.ws.close();
    return 101;
  } catch (error) {
    if (error instanceof UpgradeRefused) return error.status;
    throw error;
  }
}

export async function subscribedClient(
  harness: RelayHarness,
  claims: { userId: number; roomId: string },
): Promise<TestClient> {
  const client = await TestClient.open(`${harness.wsUrl}?ticket=${harness.ticket(claims)}`);
  client.send({ type: 'subscribe', topics: [claims.roomId] });
  await client.roundTrip();
  return client;
}

export type { TicketClaims };
