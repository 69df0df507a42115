// y-webrtc's signaling, sealed end to end under K_sig (DESIGN.md section 3). y-webrtc (via
// lib0) opens `new WebSocket(url)` on the global constructor; we install one dispatcher
// there that hands the URLs our sessions registered to SealedSignalingSocket and every
// other URL to the real WebSocket. The sealed socket seals the `data` of every publish
// frame (sender = our y-webrtc peer id, receiver = `to` or BROADCAST, per-sender sequence
// number) and opens incoming ones, so the relay only sees opaque base64url. Frames that
// fail to open are dropped and reported; replays are dropped silently (and counted).
import { SignalPayload } from '../../signaling/protocol';
import { fromBase64Url, utf8Decode, utf8Encode } from './bytes';

/** The receiver id of announcements, which go to every member. */
export const BROADCAST = '*';

export type OpenOutcome =
  | { ok: true; from: string; to: string; payload: Uint8Array }
  | { ok: false; reason: string; message: string };

/** What one session supplies: its real URL and its seal/open through the crypto api. */
export interface SignalingSealContext {
  /** The real `/signal?ticket=...` URL; may re-admit first (fresh ticket). */
  resolveUrl(): Promise<string>;
  /** Our y-webrtc peer id, once y-webrtc has opened its room. */
  selfId(): string | null;
  seal(to: string, payload: Uint8Array): Promise<string>;
  /** Opens a frame addressed to `to` (our id or BROADCAST). */
  open(to: string, sealed: string): Promise<OpenOutcome>;
  /** A frame failed verification (not a replay). */
  onRejected(message: string): void;
  onReplay(): void;
  onOpen(): void;
  onClose(code: number, reason: string): void;
  /** resolveUrl() failed: the socket reports a close and lib0 retries with backoff. */
  onUrlFailed(error: unknown): void;
  WebSocket: WebSocketLike;
}

export type WebSocketLike = new (url: string) => RealSocket;
interface RealSocket {
  readyState: number;
  binaryType: string;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

const registry = new Map<string, SignalingSealContext>();
let realWebSocket: WebSocketLike | undefined;

/**
 * Installs the dispatcher as `globalThis.WebSocket` (once) and registers `url` (a stable,
 * session-unique key; the socket connects to `context.resolveUrl()` instead).
 */
export function registerSealedSignaling(url: string, context: SignalingSealContext): () => void {
  const global = globalThis as { WebSocket?: unknown };
  if (global.WebSocket !== DispatchingWebSocket) {
    realWebSocket = global.WebSocket as WebSocketLike | undefined;
    global.WebSocket = DispatchingWebSocket;
  }
  registry.set(url, context);
  return () => {
    if (registry.get(url) !== context) return;
    registry.delete(url);
    retired.add(url);
  };
}

/** Keys of sessions that ended: a late reconnect attempt gets a socket that just closes. */
const retired = new Set<string>();

// A function used with `new`: returns the socket to use for this URL.
function DispatchingWebSocket(this: unknown, url: string): unknown {
  const context = registry.get(url);
  if (context) return new SealedSignalingSocket(context);
  if (retired.has(url) || !realWebSocket) return new ClosedSocket();
  return new realWebSocket(url);
}

/** Never opens; reports a close, as a refused connection would. */
class ClosedSocket {
  readyState = 3;
  binaryType = 'blob';
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: unknown) => void) | null = null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor() {
    setTimeout(() => this.onclose?.({ code: 1006, reason: 'no connection' }), 0);
  }
  send(): void {}
  close(): void {}
}

/** Reads the receiver id from a sealed signal's header without opening it. */
export function peekRecipient(sealed: string): { from: string; to: string } | null {
  try {
    const bytes = fromBase64Url(sealed.slice(0, 1024));
    let offset = 1;
    const read = (): string | null => {
      const length = bytes[offset++];
      if (!length || offset + length > bytes.length) return null;
      const id = utf8Decode(bytes.subarray(offset, offset + length));
      offset += length;
      return id;
    };
    if (bytes[0] !== 1) return null;
    const from = read();
    const to = read();
    return from !== null && to !== null ? { from, to } : null;
  } catch {
    return null;
  }
}

export class SealedSignalingSocket {
  binaryType = 'blob';
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  private real: RealSocket | null = null;
  private closed = false;
  /** Outgoing and incoming frames each keep their order across the async seal/open. */
  private outTail: Promise<void> = Promise.resolve();
  private inTail: Promise<void> = Promise.resolve();

  constructor(private readonly context: SignalingSealContext) {
    context.resolveUrl().then(
      (url) => this.connect(url),
      (error: unknown) => {
        context.onUrlFailed(error);
        this.finish(1006, 'could not get a ticket');
      },
    );
  }

  private connect(url: string): void {
    if (this.closed) return;
    let real: RealSocket;
    try {
      real = new this.context.WebSocket(url);
    } catch (error) {
      this.context.onUrlFailed(error);
      this.finish(1006, 'could not open a socket');
      return;
    }
    this.real = real;
    real.onopen = () => {
      this.readyState = 1;
      this.context.onOpen();
      this.onopen?.({ type: 'open' });
    };
    real.onmessage = (event) => {
      const text = typeof event.data === 'string' ? event.data : String(event.data);
      this.inTail = this.inTail.then(() => this.receive(text)).catch(() => undefined);
    };
    real.onclose = (event) => this.finish(event.code ?? 1006, event.reason ?? '');
    real.onerror = () => undefined; // onclose follows and reports
  }

  private finish(code: number, reason: string): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.closed = true;
    this.context.onClose(code, reason);
    this.onclose?.({ code, reason });
  }

  send(text: string): void {
    this.outTail = this.outTail
      .then(async () => {
        const frame = JSON.parse(text) as { type?: string; data?: unknown; topic?: string };
        if (frame.type === 'publish') {
          const payload = SignalPayload.parse(frame.data);
          const to = payload.type === 'signal' ? payload.to : BROADCAST;
          frame.data = await this.context.seal(to, utf8Encode(JSON.stringify(payload)));
        }
        if (this.real && this.real.readyState === 1) this.real.send(JSON.stringify(frame));
      })
      .catch(() => undefined);
  }

  close(code?: number, reason?: string): void {
    this.closed = true;
    if (this.real && this.real.readyState <= 1) this.real.close(code, reason);
    else this.finish(code ?? 1000, reason ?? '');
  }

  private async receive(text: string): Promise<void> {
    let frame: { type?: unknown; data?: unknown };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      this.context.onRejected('The signaling server sent a frame that is not JSON.');
      return;
    }
    if (frame.type !== 'publish') {
      this.onmessage?.({ data: text });
      return;
    }
    const self = this.context.selfId();
    if (self === null) return;
    if (typeof frame.data !== 'string') {
      this.context.onRejected('Signaling failed verification: an unsealed message was dropped.');
      return;
    }
    const address = peekRecipient(frame.data);
    if (address && address.from === self) return;
    if (address && address.to !== self && address.to !== BROADCAST) return; // not for us
    const opened = await this.context.open(address?.to ?? self, frame.data);
    if (!opened.ok) {
      if (opened.reason === 'replay') this.context.onReplay();
      else this.context.onRejected(opened.message);
      return;
    }
    let payload: SignalPayload;
    try {
      payload = SignalPayload.parse(JSON.parse(utf8Decode(opened.payload)));
    } catch {
      this.context.onRejected('Signaling failed verification: a sealed message had a bad form.');
      return;
    }
    const to = payload.type === 'signal' ? payload.to : BROADCAST;
    if (payload.from !== opened.from || to !== opened.to) {
      this.context.onRejected('Signaling failed verification: a message was readdressed.');
      return;
    }
    if (this.closed) return;
    this.onmessage?.({ data: JSON.stringify({ ...frame, data: payload }) });
  }
}
