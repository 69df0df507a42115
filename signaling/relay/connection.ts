import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Logger } from '../logger';
import { SignalCloseCode } from '../protocol';
import type { TicketClaims } from '../rooms/tickets';
import type { SecurityEventThrottle } from './event-throttle';
import type { FloodGuard, FloodVerdict } from './flood-guard';
import { decodeFrame, InvalidFrameError } from './frames';
import type { RoomRegistry } from './room-registry';
import type { RelayStats } from './stats';
import type { RelayTuning } from './tuning';

export type AdmissionVerdict = 'ok' | 'closed' | 'banned';

/** Everything a connection shares with the relay that owns it. */
export interface ConnectionContext {
  registry: RoomRegistry<SignalConnection>;
  floodGuard: FloodGuard;
  events: SecurityEventThrottle;
  tuning: RelayTuning;
  admission: { check(roomId: string, userId: number, ip: string): AdmissionVerdict };
  logger: Logger;
  stats: RelayStats;
  onClosed(connection: SignalConnection): void;
}

const PONG = Buffer.from('{"type":"pong"}');

/** ws error codes for protocol violations it detects itself before we ever see a message. */
const WS_ERROR_REASONS: Record<string, string> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 'too_big',
  WS_ERR_INVALID_UTF8: 'invalid_utf8',
};

/**
 * One admitted socket: y-webrtc's signaling protocol restricted to the room its ticket
 * admits. Frames go through the flood guard, then the schema, then the room registry;
 * the payload itself is never looked at or logged.
 */
export class SignalConnection {
  readonly id = randomUUID();
  readonly connectedAt = Date.now();
  subscribed = false;
  /** Cleared on every heartbeat ping, set again by the pong (or by any frame). */
  alive = true;
  private closing = false;
  private foreignTopicReported = false;
  private throttleReported = false;

  constructor(
    readonly socket: WebSocket,
    readonly claims: TicketClaims,
    readonly ip: string,
    private readonly ctx: ConnectionContext,
  ) {
    socket.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('error', (error) => this.onSocketError(error));
    socket.on('close', () => this.onClose());
  }

  get roomId(): string {
    return this.claims.roomId;
  }

  /** Closes with a code the client can act on; idempotent. */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.leaveRoom();
    try {
      this.socket.close(code, reason);
    } catch {
      // ws refuses codes RFC 6455 reserves (a caller's mistake): the socket still goes.
      this.socket.terminate();
    }
  }

  /** A receiver that stopped reading: close it, and destroy it if it doesn't go quietly. */
  dropAsSlowConsumer(): void {
    if (this.closing) return;
    this.ctx.stats.slowConsumersDropped += 1;
    this.record('ws.slow_consumer', { bufferedBytes: this.socket.bufferedAmount });
    this.close(SignalCloseCode.slowConsumer, 'slow consumer');
    setTimeout(() => this.socket.terminate(), this.ctx.tuning.slowConsumerGraceMs).unref();
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closing) return;
    this.alive = true;
    void this.ctx.floodGuard
      .check(this.id, this.claims.userId, data.length)
      .then((verdict) => {
        if (this.closing) return;
        if (verdict === 'pass') this.handleFrame(data, isBinary);
        else this.onThrottled(verdict);
      })
      .catch((error: unknown) => {
        // NOTE: a bug here must cost one connection, never the process.
        this.ctx.logger.error({ err: error, connection: this.id }, 'relay frame handling failed');
        this.close(1011, 'internal error');
      });
  }

  private handleFrame(data: Buffer, isBinary: boolean): void {
    let decoded;
    try {
      decoded = decodeFrame(data, isBinary);
    } catch (error) {
      if (!(error instanceof InvalidFrameError)) throw error;
      this.ctx.stats.invalidFrames += 1;
      this.record('ws.invalid_frame', { reason: error.reason, bytes: data.length });
      this.close(SignalCloseCode.invalidFrame, `invalid frame (${error.reason})`);
      return;
    }
    const { frame, text } = decoded;
    switch (frame.type) {
      case 'subscribe':
        this.subscribe(frame.topics);
        return;
      case 'unsubscribe':
        if (frame.topics.includes(this.roomId)) this.leaveRoom();
        return;
      case 'publish':
        if (frame.topic !== this.roomId) {
          this.refuseForeignTopic('publish');
          return;
        }
        this.ctx.stats.published += 1;
        this.ctx.stats.delivered += this.ctx.registry.publish(
          this.roomId,
          text,
          this.ctx.tuning.maxBufferedBytes,
          (receiver) => receiver.dropAsSlowConsumer(),
        );
        return;
      case 'ping':
        this.socket.send(PONG, { binary: false });
        return;
    }
  }

  /**
   * Admission is re-checked here: the ticket may have expired (the client then re-admits
   * over HTTP and reconnects) or the room may have closed or banned the user since.
   */
  private subscribe(topics: string[]): void {
    // NOTE: y-webrtc subscribes every signaling connection to ALL rooms open in the page,
    // so a client with two rooms open sends the other room's id here. Closing would put
    // that legitimate client in a reconnect loop, so foreign topics are dropped and counted.
    if (topics.some((topic) => topic !== this.roomId)) this.refuseForeignTopic('subscribe');
    if (!topics.includes(this.roomId) || this.subscribed) return;
    if (Date.now() >= this.claims.expiresAt) {
      this.record('ws.ticket_expired', { expiredAt: this.claims.expiresAt });
      this.close(SignalCloseCode.ticketExpired, 'ticket expired');
      return;
    }
    const verdict = this.ctx.admission.check(this.roomId, this.claims.userId, this.ip);
    if (verdict !== 'ok') {
      this.record('ws.refused', { reason: verdict });
      if (verdict === 'banned') this.close(SignalCloseCode.banned, 'banned');
      else this.close(SignalCloseCode.roomClosed, 'room closed');
      return;
    }
    this.ctx.registry.subscribe(this.roomId, this);
    this.subscribed = true;
  }

  private refuseForeignTopic(action: 'subscribe' | 'publish'): void {
    this.ctx.stats.foreignTopicFrames += 1;
    if (this.foreignTopicReported) return;
    this.foreignTopicReported = true;
    this.record('ws.refused', { reason: 'foreign_topic', action });
  }

  private onThrottled(verdict: Exclude<FloodVerdict, 'pass'>): void {
    this.ctx.stats.droppedFrames += 1;
    if (verdict === 'close') {
      this.ctx.stats.rateLimitCloses += 1;
      this.record('ws.rate_limited', { action: 'closed' });
      this.close(SignalCloseCode.rateLimited, 'rate limited');
      return;
    }
    if (this.throttleReported) return;
    this.throttleReported = true;
    this.record('ws.rate_limited', { action: 'dropping' });
  }

  private onSocketError(error: Error & { code?: string }): void {
    // ws has already chosen the close code (1009 too big, 1007 bad UTF-8, 1002 protocol).
    const reason = (error.code && WS_ERROR_REASONS[error.code]) ?? 'protocol_error';
    this.ctx.stats.invalidFrames += 1;
    this.record('ws.invalid_frame', { reason });
    this.closing = true;
    this.leaveRoom();
  }

  private onClose(): void {
    this.closing = true;
    this.leaveRoom();
    this.ctx.floodGuard.forget(this.id);
    this.ctx.onClosed(this);
  }

  private leaveRoom(): void {
    if (!this.subscribed) return;
    this.subscribed = false;
    this.ctx.registry.unsubscribe(this.roomId, this);
  }

  private record(
    type: Parameters<SecurityEventThrottle['record']>[0],
    details: Record<string, string | number>,
  ): void {
    this.ctx.events.record(type, `${type}:${this.claims.userId}`, {
      ip: this.ip,
      userId: this.claims.userId,
      roomId: this.roomId,
      connection: this.id,
      ...details,
    });
  }
}
