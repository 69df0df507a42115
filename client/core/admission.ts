// Getting into a room through the server: the admit call, its refusals in words, and the
// ticket for /signal, kept fresh across reconnects.
import type { AdmitResponse } from '../../signaling/protocol';
import type { CryptoPort } from './crypto-port';
import { NetworkError, ServerError, type ServerApi } from './server-api';
import { JoinError, type JoinErrorCode } from './views';

const CODE_FOR: Record<string, JoinErrorCode> = {
  admission_denied: 'wrong-secret-or-password',
  banned: 'banned',
  room_full: 'full',
  room_closed: 'closed',
  unknown_room: 'not-found',
  unauthenticated: 'unauthenticated',
};

export function toJoinError(error: unknown): JoinError {
  if (error instanceof JoinError) return error;
  if (error instanceof ServerError) {
    const code = CODE_FOR[error.code] ?? (error.status === 401 ? 'unauthenticated' : undefined);
    if (code) return new JoinError(code, error.message);
    return new JoinError('network', `The server refused: ${error.message}`);
  }
  if (error instanceof NetworkError) return new JoinError('network', error.message);
  return new JoinError('network', (error as Error)?.message ?? String(error));
}

/** Re-admit when the ticket is this close to expiring. */
const RENEW_BEFORE_MS = 30_000;
/** Re-admit after this many sockets in a row that never opened (the ticket may be refused). */
const FAILED_OPENS_BEFORE_RENEW = 2;

export class Admission {
  private ticket: AdmitResponse | null = null;
  private renew = false;
  private failedOpens = 0;

  constructor(
    private readonly server: ServerApi,
    private readonly crypto: CryptoPort,
    private readonly room: string,
    readonly roomId: string,
    private readonly roomPassword: string | undefined,
  ) {}

  get info(): AdmitResponse['room'] {
    if (!this.ticket) throw new Error('Not admitted yet.');
    return this.ticket.room;
  }

  /** Throws JoinError with the server's reason. */
  async admit(): Promise<AdmitResponse> {
    const { admitToken } = await this.crypto.roomCredentials(this.room, 0);
    try {
      this.ticket = await this.server.admit(this.roomId, {
        admit: admitToken,
        ...(this.roomPassword ? { password: this.roomPassword } : {}),
      });
    } catch (error) {
      throw toJoinError(error);
    }
    this.renew = false;
    this.failedOpens = 0;
    return this.ticket;
  }

  /** The URL for the next signaling socket. */
  async signalUrl(): Promise<string> {
    const stale =
      !this.ticket ||
      this.renew ||
      this.failedOpens >= FAILED_OPENS_BEFORE_RENEW ||
      this.ticket.expiresAt - Date.now() < RENEW_BEFORE_MS;
    if (stale) await this.admit();
    return `${this.server.wsBase}/signal?ticket=${encodeURIComponent(this.ticket!.ticket)}`;
  }

  socketOpened(): void {
    this.failedOpens = 0;
  }

  socketClosed(opened: boolean, ticketExpired: boolean): void {
    if (!opened) this.failedOpens++;
    if (ticketExpired) this.renew = true;
  }
}
