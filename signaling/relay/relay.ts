import type http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { MAX_SIGNAL_FRAME_BYTES, SignalCloseCode } from '../protocol';
import type { SecurityLog } from '../security-log/security-log';
import type { TicketClaims } from '../rooms/tickets';
import { SignalConnection, type ConnectionContext } from './connection';
import { SecurityEventThrottle } from './event-throttle';
import { FloodGuard } from './flood-guard';
import { clientIp, compileTrust, isOriginAllowed, readSignalUrl, refuseUpgrade } from './handshake';
import { KickList } from './kick-list';
import { RoomRegistry } from './room-registry';
import { emptyStats, type RelayStats } from './stats';
import { DEFAULT_RELAY_TUNING, type RelayTuning } from './tuning';

export type { RelayStats } from './stats';
export type { RelayTuning } from './tuning';

export interface RelayDeps {
  config: Pick<Config, 'allowedOrigins' | 'trustProxy' | 'ticketTtlMs'> & { tls?: unknown };
  logger: Logger;
  securityLog: Pick<SecurityLog, 'record'>;
  tickets: { verify(ticket: string): TicketClaims | null };
  /** Re-checked on upgrade and on subscribe: the room may have closed or banned the user since the ticket. */
  admission: { check(roomId: string, userId: number, ip: string): 'ok' | 'closed' | 'banned' };
  /** Overrides of the relay's timers and limits (tests, the benchmark). */
  tuning?: Partial<RelayTuning>;
}

export interface LiveConnection {
  id: string;
  userId: number;
  username: string;
  roomId: string;
  ip: string;
  connectedAt: number;
  subscribed: boolean;
}

export interface Relay {
  connections(): LiveConnection[];
  /** Closes that user's sockets in that room with the given close code (SignalCloseCode.kicked / banned). Returns how many. */
  disconnect(
    filter: { roomId?: string; userId?: number; ip?: string },
    code: number,
    reason: string,
  ): number;
  /** Counters since start (never payloads). */
  stats(): RelayStats;
  close(): Promise<void>;
}

/**
 * Serves y-webrtc's signaling protocol at `/signal?ticket=...` on an existing HTTP(S)
 * server. The upgrade is where strangers are turned away (Origin 403, ticket 401, ban
 * 403, closed room 410); after that each socket only ever reaches its ticket's room.
 */
export function attachRelay(server: http.Server | https.Server, deps: RelayDeps): Relay {
  const tuning: RelayTuning = { ...DEFAULT_RELAY_TUNING, ...deps.tuning };
  const overTls = server instanceof https.Server || deps.config.tls !== undefined;
  const trust = compileTrust(deps.config.trustProxy);
  const stats = emptyStats();
  const live = new Set<SignalConnection>();
  const socketsPerUser = new Map<number, number>();
  const connectionsOf = (userId: number): number => socketsPerUser.get(userId) ?? 0;
  const kicks = new KickList(deps.config.ticketTtlMs);
  const events = new SecurityEventThrottle(deps.securityLog, tuning.securityEventsPerMinute);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_SIGNAL_FRAME_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const context: ConnectionContext = {
    registry: new RoomRegistry<SignalConnection>(),
    floodGuard: new FloodGuard(tuning),
    events,
    tuning,
    admission: deps.admission,
    logger: deps.logger,
    stats,
    onClosed: (connection) => {
      if (!live.delete(connection)) return;
      const remaining = connectionsOf(connection.claims.userId) - 1;
      if (remaining > 0) socketsPerUser.set(connection.claims.userId, remaining);
      else socketsPerUser.delete(connection.claims.userId);
    },
  };

  const refuse = (
    socket: Duplex,
    ip: string,
    status: number,
    code: string,
    message: string,
  ): void => {
    stats.refusedUpgrades += 1;
    events.record('ws.refused', `upgrade:${ip}`, { ip, status, reason: code });
    refuseUpgrade(socket, status, code, message);
  };

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    // A reset during the handshake must not surface as an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    const ip = clientIp(req, trust);
    const { isSignalPath, ticket } = readSignalUrl(req);
    if (!isSignalPath) {
      refuseUpgrade(socket, 404, 'not_found', 'WebSocket endpoint is /signal');
      return;
    }
    if (!isOriginAllowed(req, deps.config, overTls)) {
      refuse(
        socket,
        ip,
        403,
        'origin_not_allowed',
        'this origin may not open the signaling socket',
      );
      return;
    }
    const claims = ticket === null ? null : deps.tickets.verify(ticket);
    if (!claims || claims.expiresAt <= Date.now()) {
      refuse(
        socket,
        ip,
        401,
        'bad_ticket',
        'missing, invalid or expired ticket: admit to the room again',
      );
      return;
    }
    if (kicks.revokes(claims.roomId, claims.userId, claims.expiresAt)) {
      refuse(
        socket,
        ip,
        401,
        'ticket_revoked',
        'you were removed from the room: admit to the room again',
      );
      return;
    }
    // A ticket may be reused until it expires (y-webrtc reconnects with the same URL), so
    // the number of sockets it can open is capped per account instead.
    if (connectionsOf(claims.userId) >= tuning.maxConnectionsPerUser) {
      refuse(
        socket,
        ip,
        429,
        'too_many_connections',
        'too many open signaling sockets: close some tabs',
      );
      return;
    }
    const admission = deps.admission.check(claims.roomId, claims.userId, ip);
    if (admission === 'banned') {
      refuse(socket, ip, 403, 'banned', 'you are banned from this room');
      return;
    }
    if (admission === 'closed') {
      refuse(socket, ip, 410, 'room_closed', 'this room has been closed');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new SignalConnection(ws, claims, ip, context);
      live.add(connection);
      socketsPerUser.set(claims.userId, connectionsOf(claims.userId) + 1);
      stats.admitted += 1;
      events.record('ws.admitted', `admitted:${claims.userId}`, {
        ip,
        userId: claims.userId,
        roomId: claims.roomId,
        connection: connection.id,
      });
    });
  };
  // NOTE: an exception in an 'upgrade' listener would take the whole process down.
  const onUpgradeSafely = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    try {
      onUpgrade(req, socket, head);
    } catch (error) {
      deps.logger.error({ err: error }, 'relay upgrade failed');
      refuseUpgrade(
        socket,
        503,
        'unavailable',
        'the signaling relay could not take the connection',
      );
    }
  };
  server.on('upgrade', onUpgradeSafely);

  const heartbeat = setInterval(() => {
    for (const connection of live) {
      if (!connection.alive) {
        stats.heartbeatDrops += 1;
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, tuning.heartbeatIntervalMs);
  heartbeat.unref();

  const matches = (
    c: SignalConnection,
    filter: { roomId?: string; userId?: number; ip?: string },
  ) =>
    (filter.roomId === undefined || c.roomId === filter.roomId) &&
    (filter.userId === undefined || c.claims.userId === filter.userId) &&
    (filter.ip === undefined || c.ip === filter.ip);

  return {
    connections: () =>
      [...live].map((c) => ({
        id: c.id,
        userId: c.claims.userId,
        username: c.claims.username,
        roomId: c.roomId,
        ip: c.ip,
        connectedAt: c.connectedAt,
        subscribed: c.subscribed,
      })),
    disconnect(filter, code, reason) {
      if (filter.roomId === undefined && filter.userId === undefined && filter.ip === undefined)
        return 0;
      if (
        code === SignalCloseCode.kicked &&
        filter.roomId !== undefined &&
        filter.userId !== undefined
      ) {
        kicks.kick(filter.roomId, filter.userId);
      }
      let count = 0;
      for (const connection of live) {
        if (!matches(connection, filter)) continue;
        if (code === SignalCloseCode.kicked)
          kicks.kick(connection.roomId, connection.claims.userId);
        events.record('ws.kicked', `kicked:${connection.claims.userId}`, {
          ip: connection.ip,
          userId: connection.claims.userId,
          roomId: connection.roomId,
          code,
        });
        connection.close(code, reason);
        count += 1;
      }
      return count;
    },
    stats: () => ({ ...stats }),
    async close() {
      clearInterval(heartbeat);
      server.off('upgrade', onUpgradeSafely);
      const closed = [...live].map(
        (c) =>
          new Promise<void>((resolve) => {
            c.socket.once('close', () => resolve());
            c.close(1001, 'server shutting down');
            setTimeout(() => {
              c.socket.terminate();
              resolve();
            }, 1000).unref();
          }),
      );
      await Promise.all(closed);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
