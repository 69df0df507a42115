// Opaque handles for everything secret the crypto worker holds. The page and core only
// ever see strings like "channel-3Jx9..."; the keys behind them never leave the worker.
import { randomBytes, toBase64Url } from '../primitives/bytes';

/** A handle that does not exist (released, mistyped, or from another worker). */
export class UnknownHandleError extends Error {
  override readonly name = 'UnknownHandleError';
}

export class HandleStore<Entry extends { kind: string }> {
  readonly #entries = new Map<string, Entry>();

  add(entry: Entry): string {
    const handle = `${entry.kind}-${toBase64Url(randomBytes(12))}`;
    this.#entries.set(handle, entry);
    return handle;
  }

  get<K extends Entry['kind']>(handle: unknown, kind: K): Extract<Entry, { kind: K }> {
    const entry = typeof handle === 'string' ? this.#entries.get(handle) : undefined;
    if (!entry || entry.kind !== kind) {
      throw new UnknownHandleError(
        `There is no ${kind} with this handle: it may have been released.`,
      );
    }
    return entry as Extract<Entry, { kind: K }>;
  }

  /** Forgets the entry; returns it so the caller can erase what it holds. */
  remove(handle: unknown): Entry | undefined {
    if (typeof handle !== 'string') return undefined;
    const entry = this.#entries.get(handle);
    this.#entries.delete(handle);
    return entry;
  }

  /**
   * The same store, seen by a part of the api that only knows some kinds. Safe because
   * get() checks the kind at run time and remove() hands back whatever was stored.
   */
  view<Sub extends Entry>(): HandleStore<Sub> {
    return this as unknown as HandleStore<Sub>;
  }

  get size(): number {
    return this.#entries.size;
  }
}
