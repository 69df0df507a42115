/**
 * Remembers kicks so a kicked user's still-valid ticket cannot simply reconnect (y-webrtc
 * reconnects on its own, with the same URL and so the same ticket). Tickets issued
 * before the kick are refused; a fresh ticket from `/admit` works, because a kick is not
 * a ban. Entries live as long as a ticket can, then are forgotten.
 */
export class KickList {
  private readonly kickedAt = new Map<string, number>();

  constructor(
    private readonly ticketTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  kick(roomId: string, userId: number): void {
    this.kickedAt.set(`${roomId}\u0000${userId}`, this.now());
    this.forgetExpired();
  }

  /** True when this ticket was issued before the user was kicked from the room. */
  revokes(roomId: string, userId: number, ticketExpiresAt: number): boolean {
    const at = this.kickedAt.get(`${roomId}\u0000${userId}`);
    if (at === undefined) return false;
    return ticketExpiresAt - this.ticketTtlMs <= at;
  }

  private forgetExpired(): void {
    const cutoff = this.now() - this.ticketTtlMs;
    for (const [key, at] of this.kickedAt) if (at < cutoff) this.kickedAt.delete(key);
  }
}
