// One session's side of sealed signaling: a sealer for our y-webrtc peer id and two
// openers (frames addressed to us, and announcements to BROADCAST), all under K_sig of
// the room's current epoch: after the host rotates it (a kick), holders of the old link
// alone can neither read nor forge signaling.
import type { CryptoPort } from './crypto-port';
import { BROADCAST, type OpenOutcome } from './sealed-signaling-socket';

export class SignalSeals {
  private sealer: Promise<string> | null = null;
  private readonly openers = new Map<string, Promise<string>>();
  private epoch = 0;

  constructor(
    private readonly crypto: CryptoPort,
    private readonly room: string,
    /** y-webrtc picks its peer id when it opens its room (a microtask after creation). */
    private readonly self: () => string | null,
  ) {}

  get selfId(): string | null {
    return this.self();
  }

  /** From now on seal and open under this epoch's K_sig. */
  setEpoch(epoch: number): void {
    if (epoch === this.epoch) return;
    this.epoch = epoch;
    void this.release();
  }

  async seal(to: string, payload: Uint8Array): Promise<string> {
    const self = this.self();
    if (!self) throw new Error('y-webrtc has not opened its room yet.');
    this.sealer ??= Promise.resolve(this.crypto.createSignalSealer(this.room, this.epoch, self));
    return this.crypto.sealSignal(await this.sealer, to, payload);
  }

  async open(to: string, sealed: string): Promise<OpenOutcome> {
    const self = this.self();
    if (!self || (to !== self && to !== BROADCAST)) {
      return { ok: false, reason: 'malformed', message: 'A signal for someone else was dropped.' };
    }
    let opener = this.openers.get(to);
    if (!opener) {
      opener = Promise.resolve(this.crypto.createSignalOpener(this.room, this.epoch, to));
      this.openers.set(to, opener);
    }
    const result = await this.crypto.openSignal(await opener, sealed);
    if (!result.ok) return { ok: false, reason: result.reason, message: result.message };
    return {
      ok: true,
      from: result.value.from,
      to: result.value.to,
      payload: result.value.payload,
    };
  }

  async release(): Promise<void> {
    const handles = [this.sealer, ...this.openers.values()];
    this.sealer = null;
    this.openers.clear();
    for (const handle of handles) if (handle) await this.crypto.release(await handle);
  }
}
