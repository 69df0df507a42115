// The room's message log over a HistoryStore: our Lamport clock and message counter,
// composing signed messages, and taking in others' (verified, de-duplicated, stored).
import type { FileOffer, SignedChat } from '../../signaling/protocol';
import { EnvelopeRejected, signChat, toStored, verifyChat, type Author } from './envelope';
import type { CryptoPort } from './crypto-port';
import type { HistoryStore, StoredMessage } from './history-store';

/** Decides whether an author may post at all (removed identities, key pins); null = yes. */
export type AuthorCheck = (signed: SignedChat) => Promise<string | null>;

export interface IngestResult {
  /** Stored now for the first time, in Lamport order: show these. */
  added: StoredMessage[];
  /** Valid messages, new or already known (acknowledged to their author either way). */
  valid: SignedChat[];
  rejected: { reason: string; message: string }[];
}

export class MessageLog {
  private lamport = 0;
  private counter = 0;
  /** Serialises composing so counters are never reused. */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: HistoryStore,
    private readonly crypto: CryptoPort,
    readonly roomId: string,
    private readonly author: Author,
  ) {}

  static async open(
    store: HistoryStore,
    crypto: CryptoPort,
    roomId: string,
    author: Author,
  ): Promise<MessageLog> {
    const log = new MessageLog(store, crypto, roomId, author);
    log.lamport = await store.maxLamport(roomId);
    const own = (await store.highWaterMarks(roomId)).find(
      (mark) => mark.authorDevice === author.fingerprint,
    );
    log.counter = own?.highest ?? 0;
    return log;
  }

  get clock(): number {
    return this.lamport;
  }

  /** Signs and stores a new message of ours as 'pending' (the outbox). */
  compose(text: string, epoch: number, file?: FileOffer): Promise<StoredMessage> {
    const run = this.tail.then(async () => {
      const signed = await signChat(this.crypto, this.author, {
        room: this.roomId,
        counter: this.counter + 1,
        lamport: this.lamport + 1,
        epoch,
        text,
        ...(file ? { file } : {}),
      });
      const stored = toStored(signed, 'pending');
      await this.store.addMessages([stored]);
      this.counter += 1;
      this.lamport += 1;
      return stored;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Verifies (in parallel), checks the author, stores; nothing invalid is stored. */
  async ingest(inputs: readonly unknown[], check: AuthorCheck): Promise<IngestResult> {
    return this.storeVerified(await this.verify(inputs, check));
  }

  /**
   * The checking half of ingest, safe to start as soon as a page arrives: pages verify
   * concurrently while earlier ones are still being stored.
   */
  async verify(inputs: readonly unknown[], check: AuthorCheck): Promise<Verified> {
    const outcomes = await Promise.all(
      inputs.map(async (input) => {
        try {
          const signed = await verifyChat(this.crypto, input, this.roomId);
          const refusal = await check(signed);
          if (refusal) return { rejected: { reason: 'refused-author', message: refusal } };
          return { signed };
        } catch (error) {
          if (error instanceof EnvelopeRejected) {
            return { rejected: { reason: error.reason, message: error.message } };
          }
          throw error;
        }
      }),
    );
    const valid: SignedChat[] = [];
    const rejected: IngestResult['rejected'] = [];
    for (const outcome of outcomes) {
      if (outcome.signed) valid.push(outcome.signed);
      else if (outcome.rejected) rejected.push(outcome.rejected);
    }
    return { valid, rejected };
  }

  /** The storing half: only what verify() accepted; in arrival order per link. */
  async storeVerified(verified: Verified): Promise<IngestResult> {
    const { valid, rejected } = verified;
    const fresh = valid.filter((s) => s.envelope.device !== this.author.fingerprint);
    const added = await this.store.addMessages(fresh.map((s) => toStored(s, 'delivered')));
    for (const message of added) this.lamport = Math.max(this.lamport, message.lamport);
    added.sort((a, b) => a.lamport - b.lamport || (a.authorDevice < b.authorDevice ? -1 : 1));
    return { added, valid, rejected };
  }
}

export type Verified = Pick<IngestResult, 'valid' | 'rejected'>;
