// The file channel to one peer (DESIGN.md section 8): a negotiated data channel of its
// own beside the secure one (PeerLink creates both), so chat never queues behind chunks.
// Sending waits on bufferedAmount: up to 8 MiB in flight, resumed by the
// bufferedamountlow event (NOTE: Chromium kills a channel near 16 MiB buffered).
import { FILE_FRAME_MAX_BYTES } from '../../../signaling/protocol';

export const FILE_HIGH_WATER = 8 * 1024 * 1024;
export const FILE_LOW_WATER = 4 * 1024 * 1024;

export interface FileDataChannel {
  readyState: string;
  binaryType: string;
  bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onbufferedamountlow: (() => void) | null;
  send(data: Uint8Array): void;
}

/** What a file channel needs from a PeerLink. */
export interface FileLinkLike {
  readonly peerId: string;
  readonly fileChannel: unknown;
  /** False once the link or its connection is gone: then nothing may touch the channel. */
  readonly writable: boolean;
}

export class FileChannel {
  private readonly dc: FileDataChannel;
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(
    readonly link: FileLinkLike,
    onFrame: (frame: Uint8Array) => void,
    onDropped: (why: string) => void,
  ) {
    this.dc = link.fileChannel as FileDataChannel;
    this.dc.binaryType = 'arraybuffer';
    this.dc.bufferedAmountLowThreshold = FILE_LOW_WATER;
    this.dc.onmessage = (event) => {
      const data = event.data;
      const bytes =
        data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : ArrayBuffer.isView(data)
            ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
            : null;
      if (!bytes) return onDropped('not binary');
      if (bytes.length > FILE_FRAME_MAX_BYTES) return onDropped('oversized');
      onFrame(bytes);
    };
    this.dc.onbufferedamountlow = () => this.wake();
    this.dc.onopen = () => this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resume of waiters) resume();
  }

  private usable(): boolean {
    return !this.closed && this.link.writable;
  }

  /** Resolves false when the channel is gone (the frame was not sent). */
  async send(frame: Uint8Array): Promise<boolean> {
    while (
      this.usable() &&
      (this.dc.readyState !== 'open' || this.dc.bufferedAmount >= FILE_HIGH_WATER)
    ) {
      if (this.dc.readyState === 'closed' || this.dc.readyState === 'closing') return false;
      // The timer is a safety net: a connection that dies silently never fires an event.
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 1000);
      });
    }
    if (!this.usable()) return false;
    try {
      this.dc.send(frame);
      return true;
    } catch {
      return false;
    }
  }

  /** Stops listening (the connection's owner closes the channel itself). */
  close(): void {
    this.closed = true;
    // Plain property writes: safe even on a channel whose native half is gone.
    this.dc.onmessage = null;
    this.dc.onbufferedamountlow = null;
    this.dc.onopen = null;
    this.wake();
  }
}
