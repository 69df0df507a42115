// Joining by link (issue 5, "Joining by link"): the link goes to the crypto worker at once
// and only its sealed form (under the device data key) is kept, also across a reload, until
// the join succeeds. Signing in and the room password may come in between; a room screen
// waiting for the room is told when it is joined or can't be.
import { z } from 'zod';
import type { CryptoPort } from '../core/crypto-port';
import { AppError, type AppSnapshot } from './app-types';
import { toAppError } from './app-errors';

export const PENDING_JOIN_KEY = 'pendingJoin';

export interface OpenedLink {
  /** The room handle in the crypto worker. */
  room: string;
  roomId: string;
  origin: string;
}

export interface SealedLink {
  roomId: string;
  origin: string;
  /** The link's secret sealed under the data key (opaque bytes from the worker). */
  record: Uint8Array;
}

export const SealedLinkSchema = z.object({
  roomId: z.string().min(1).max(64),
  origin: z.string().min(1).max(2048),
  record: z.instanceof(Uint8Array),
});

/** Hands the link text to the worker; only a handle comes back. */
export async function openLink(crypto: CryptoPort, link: string): Promise<OpenedLink> {
  const opened = await crypto.openRoomLink(link.slice(0, 4096));
  if (!opened.ok) throw new AppError('bad-link', capitalize(opened.message));
  return opened.value;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface JoinFlowDeps {
  crypto: CryptoPort;
  dataKey(): string;
  save(link: SealedLink | null): Promise<void>;
  publish(pending: AppSnapshot['pendingJoin']): void;
  /** Starts the session; owns `opened.room` from here. Throws what joining throws. */
  join(opened: OpenedLink, roomPassword: string | undefined, sealed: SealedLink): Promise<void>;
}

interface Waiter {
  resolve(): void;
  reject(error: AppError): void;
}

export class JoinFlow {
  private sealed: SealedLink | null = null;
  private needsPassword = false;
  private lastFailure: AppError['code'] | null = null;
  private waiters: Waiter[] = [];
  /** Why the last join of a room failed for good: a room screen opened late is told. */
  private readonly failures = new Map<string, AppError>();
  /** One attempt at a time: sign-in, a retry and a typed password may overlap. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: JoinFlowDeps) {}

  get roomId(): string | null {
    return this.sealed?.roomId ?? null;
  }

  /** A join is pending and trying again by itself may work (not waiting for a password). */
  get retryable(): boolean {
    return this.sealed !== null && !this.needsPassword && this.lastFailure !== 'unauthenticated';
  }

  /** A link opened in the worker becomes the pending join, sealed and saved. */
  async adopt(opened: OpenedLink): Promise<void> {
    const { crypto } = this.deps;
    let record: Uint8Array;
    try {
      record = await crypto.sealRoomSecrets(opened.room, this.deps.dataKey(), opened.roomId);
    } finally {
      await crypto.release(opened.room);
    }
    if (this.sealed && this.sealed.roomId !== opened.roomId) {
      this.settle(new AppError('invalid', 'Another room link was opened instead.'));
    }
    this.sealed = { roomId: opened.roomId, origin: opened.origin, record };
    this.needsPassword = false;
    this.lastFailure = null;
    this.failures.delete(opened.roomId);
    await this.deps.save(this.sealed);
    this.deps.publish({ roomId: opened.roomId, needsPassword: false });
  }

  /** The pending join saved before a reload (sign-in or a locked vault came first). */
  restore(saved: SealedLink | null | undefined): void {
    if (!saved || this.sealed) return;
    this.sealed = saved;
    this.deps.publish({ roomId: saved.roomId, needsPassword: false });
  }

  /** Resolves when `roomId` is joined; rejects when it can't be (not for a password). */
  waitFor(roomId: string): Promise<void> | null {
    const failure = this.failures.get(roomId);
    if (this.sealed?.roomId !== roomId) return failure ? Promise.reject(failure) : null;
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Tries the pending join (again), with the room password when the person typed one. */
  run(roomPassword?: string): Promise<{ roomId: string }> {
    const attempt = this.queue.then(() => this.attempt(roomPassword));
    this.queue = attempt.catch(() => undefined);
    return attempt;
  }

  private async attempt(roomPassword?: string): Promise<{ roomId: string }> {
    const sealed = this.sealed;
    if (!sealed) throw new AppError('invalid', 'There is no room waiting to be joined.');
    const { roomId } = sealed;
    const { crypto } = this.deps;
    try {
      const opened = await crypto.openRoomSecrets(this.deps.dataKey(), sealed.record, roomId);
      if (!opened.ok) {
        throw new AppError('bad-link', 'This room link could not be read back; open it again.');
      }
      await this.deps.join(
        { room: opened.value, roomId, origin: sealed.origin },
        roomPassword,
        sealed,
      );
    } catch (error) {
      throw await this.failed(sealed, toAppError(error), roomPassword !== undefined);
    }
    if (this.sealed === sealed) {
      this.sealed = null;
      await this.deps.save(null);
      this.deps.publish(null);
      this.settle(null);
    }
    return { roomId };
  }

  private async failed(sealed: SealedLink, error: AppError, withPassword: boolean) {
    if (this.sealed !== sealed) return error;
    this.lastFailure = error.code;
    const { roomId } = sealed;
    if (error.code === 'wrong-secret-or-password') {
      this.needsPassword = true;
      this.deps.publish({
        roomId,
        needsPassword: true,
        ...(withPassword
          ? { error: 'Wrong room password (or this link no longer opens the room).' }
          : {}),
      });
      return error;
    }
    if (error.code === 'unauthenticated' || error.code === 'network') {
      // Kept: it runs again after sign-in or when the server is back.
      this.deps.publish({
        roomId,
        needsPassword: this.needsPassword,
        ...(error.code === 'network' ? { error: error.message } : {}),
      });
      return error;
    }
    this.sealed = null;
    this.failures.set(roomId, error);
    await this.deps.save(null);
    this.deps.publish({ roomId, needsPassword: false, error: error.message });
    this.settle(error);
    return error;
  }

  private settle(error: AppError | null): void {
    for (const waiter of this.waiters.splice(0)) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }
}
