// Admission tickets: what `POST /api/rooms/:id/admit` hands out and `/signal?ticket=`
// checks. Stateless and HMAC-signed (key derived from SESSION_SECRET), so the relay can
// verify one synchronously with no database read. Short-lived: the relay re-checks bans
// and closed state itself, and a client re-admits to reconnect.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export interface TicketClaims {
  userId: number;
  username: string;
  roomId: string;
  expiresAt: number;
}

const Claims = z.object({
  u: z.number().int().positive(),
  n: z.string().min(1).max(64),
  r: z.string().min(1).max(64),
  e: z.number().int().positive(),
});

const MAX_TICKET_LENGTH = 512;
const TICKET_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/;

export class Tickets {
  private readonly key: Buffer;

  constructor(
    sessionSecret: Buffer,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = Buffer.from(
      hkdfSync('sha256', sessionSecret, Buffer.alloc(0), 'admission ticket v1', 32),
    );
  }

  issue(claims: Omit<TicketClaims, 'expiresAt'>): { ticket: string; expiresAt: number } {
    const expiresAt = this.now() + this.ttlMs;
    const payload = Buffer.from(
      JSON.stringify({ u: claims.userId, n: claims.username, r: claims.roomId, e: expiresAt }),
    ).toString('base64url');
    return { ticket: `${payload}.${this.sign(payload)}`, expiresAt };
  }

  /** The ticket's claims, or null when it is malformed, forged or expired. */
  verify(ticket: string): TicketClaims | null {
    if (ticket.length > MAX_TICKET_LENGTH || !TICKET_SHAPE.test(ticket)) return null;
    const [payload, mac] = ticket.split('.') as [string, string];
    const expected = Buffer.from(this.sign(payload), 'base64url');
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let claims: z.infer<typeof Claims>;
    try {
      claims = Claims.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    } catch {
      return null;
    }
    if (claims.e <= this.now()) return null;
    return { userId: claims.u, username: claims.n, roomId: claims.r, expiresAt: claims.e };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
