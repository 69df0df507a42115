// Guards around simple-peer and @roamhq/wrtc for the mesh: y-webrtc's traffic waits for
// our handshake, and no call reaches a data channel whose native half may be gone.
import type { PeerConnectionLike } from './peer-link';

export interface SimplePeerLike {
  _pc?: PeerConnectionLike;
  destroy(): void;
  emit(type: string, ...args: unknown[]): boolean;
}
export interface WebrtcConnLike {
  peer: SimplePeerLike;
}

/**
 * NOTE: @roamhq/wrtc segfaults on send() or close() of a data channel the remote side
 * already closed (its native half is gone). simple-peer calls both without looking, so
 * its channel gets a guard that checks readyState first (send then throws an ordinary
 * error, which y-webrtc catches; close becomes a no-op).
 */
function guardChannel(channel: object): object {
  const native = channel as { readyState: string; send(d: unknown): void; close(): void };
  return new Proxy(channel, {
    get(target, property) {
      if (property === 'send') {
        return (data: unknown) => {
          if (native.readyState !== 'open') throw new Error('The data channel is not open.');
          native.send(data);
        };
      }
      if (property === 'close') {
        return () => {
          if (native.readyState === 'open' || native.readyState === 'connecting') native.close();
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
    set(target, property, value) {
      return Reflect.set(target, property, value, target);
    },
  });
}

export function guardSimplePeerChannel(peer: SimplePeerLike): void {
  const holder = peer as unknown as { _channel: object | null };
  let guarded = holder._channel ? guardChannel(holder._channel) : null;
  Object.defineProperty(holder, '_channel', {
    configurable: true,
    get: () => guarded,
    set: (channel: object | null) => {
      guarded = channel ? guardChannel(channel) : null;
    },
  });
}

/** Frames y-webrtc's own channel may hold back while our handshake runs. */
const MAX_HELD_FRAMES = 256;

/**
 * Holds y-webrtc's own traffic (Yjs sync, awareness) from a peer until our secure
 * handshake with it succeeds, then lets it through; drops it if the handshake fails.
 * Also keeps a malformed y-webrtc frame (which y-webrtc would throw on) from crashing us.
 * NOTE: simple-peer is a stream: 'data' leaves through the instance's own emit().
 */
export class DataGate {
  private state: 'hold' | 'pass' | 'drop' = 'hold';
  private held: unknown[][] = [];
  dropped = 0;

  constructor(peer: SimplePeerLike) {
    const emit = peer.emit.bind(peer);
    this.emitOriginal = emit;
    peer.emit = (type: string, ...args: unknown[]) => {
      if (type !== 'data') return emit(type, ...args);
      if (this.state === 'hold' && this.held.length < MAX_HELD_FRAMES) this.held.push(args);
      else if (this.state === 'pass') this.deliver(args);
      else this.dropped++;
      return true;
    };
  }

  private readonly emitOriginal: (type: string, ...args: unknown[]) => boolean;

  private deliver(args: unknown[]): void {
    try {
      this.emitOriginal('data', ...args);
    } catch {
      this.dropped++;
    }
  }

  open(): void {
    if (this.state !== 'hold') return;
    this.state = 'pass';
    const held = this.held;
    this.held = [];
    for (const args of held) this.deliver(args);
  }

  shut(): void {
    this.state = 'drop';
    this.held = [];
  }
}
