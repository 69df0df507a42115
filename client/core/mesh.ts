// The mesh (DESIGN.md section 6): y-webrtc's WebrtcProvider on our /signal relay, with its
// signaling sealed under K_sig, presence over awareness, and one PeerLink (our secure
// channel) per simple-peer connection. Reconnection: lib0 retries the socket with backoff
// and every new socket asks the session for its URL, which re-admits for a fresh ticket
// when the old one expired or kept failing; y-webrtc re-announces and re-offers itself.
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import type { PeerMessage } from '../../signaling/protocol';
import type { CipherSuite } from '../crypto/primitives/aead';
import type { CryptoPort } from './crypto-port';
import { PeerLink, type KeyAgreement } from './peer-link';
import { DataGate, guardSimplePeerChannel, type WebrtcConnLike } from './simple-peer-guards';
import { registerSealedSignaling, type WebSocketLike } from './sealed-signaling-socket';
import { SignalSeals } from './signaling-seal';

export interface PresenceState {
  username: string;
  displayName: string;
  fingerprint: string;
  peerId: string;
  typing: boolean;
}

export interface MeshHandlers {
  established(link: PeerLink): void;
  message(link: PeerLink, message: PeerMessage): void;
  failed(link: PeerLink, reason: string, message: string): void;
  closed(link: PeerLink): void;
  droppedFrame(link: PeerLink, why: string): void;
  keyAgreement(keyAgreement: KeyAgreement): void;
  signalingRejected(message: string): void;
  socketOpen(): void;
  socketClosed(code: number, reason: string): void;
  resolveUrl(): Promise<string>;
  urlFailed(error: unknown): void;
  presenceChanged(): void;
}

export interface MeshOptions {
  roomId: string;
  wsBase: string;
  crypto: CryptoPort;
  identity: string;
  room: string;
  suite: CipherSuite;
  keyAgreement: KeyAgreement | null;
  epoch: number;
  wrtc?: unknown;
  WebSocket?: unknown;
  iceServers?: unknown[];
  presence: Omit<PresenceState, 'peerId'>;
  handlers: MeshHandlers;
}

let sessionCounter = 0;

export class Mesh {
  readonly links = new Map<string, PeerLink>();
  readonly doc = new Y.Doc();
  readonly provider: WebrtcProvider;
  readonly seals: SignalSeals;
  replays = 0;
  keyAgreement: KeyAgreement | null;
  private epoch: number;
  private readonly unregister: () => void;
  private ended = false;

  constructor(private readonly options: MeshOptions) {
    const { handlers } = options;
    this.keyAgreement = options.keyAgreement;
    this.epoch = options.epoch;
    this.seals = new SignalSeals(
      options.crypto,
      options.room,
      () => this.provider?.room?.peerId ?? null,
    );
    this.seals.setEpoch(options.epoch);
    // A key no real socket ever connects to: the sealed socket resolves the real URL.
    const key = `${options.wsBase}/signal?session=${++sessionCounter}-${Math.random().toString(36).slice(2)}`;
    const RealWebSocket = (options.WebSocket ?? globalThis.WebSocket) as WebSocketLike | undefined;
    if (typeof RealWebSocket !== 'function') {
      throw new TypeError(
        'No WebSocket implementation: in Node, pass the `ws` package as WebSocket.',
      );
    }
    this.unregister = registerSealedSignaling(key, {
      WebSocket: RealWebSocket,
      resolveUrl: () => handlers.resolveUrl(),
      selfId: () => this.seals.selfId,
      seal: (to, payload) => this.seals.seal(to, payload),
      open: (to, sealed) => this.seals.open(to, sealed),
      onRejected: (message) => handlers.signalingRejected(message),
      onReplay: () => this.replays++,
      onOpen: () => handlers.socketOpen(),
      onClose: (code, reason) => {
        if (!this.ended) handlers.socketClosed(code, reason);
      },
      onUrlFailed: (error) => handlers.urlFailed(error),
    });
    const peerOpts: Record<string, unknown> = {};
    if (options.wrtc) peerOpts.wrtc = options.wrtc;
    if (options.iceServers?.length) peerOpts.config = { iceServers: options.iceServers };
    // NOTE: no `password`: y-webrtc's own encryption binds no sender or sequence and turns
    // a failed decryption into an unhandled rejection; our sealed socket does the job.
    this.provider = new WebrtcProvider(options.roomId, this.doc, {
      signaling: [key],
      peerOpts,
      maxConns: 64,
      // Two tabs of one browser must still get a secure channel between them.
      filterBcConns: false,
    });
    this.provider.on('peers', (event: { added: string[]; removed: string[] }) => {
      for (const peerId of event.removed) this.links.get(peerId)?.close();
      for (const peerId of event.added) this.attach(peerId);
    });
    this.provider.awareness.on('change', () => handlers.presenceChanged());
    void Promise.resolve(this.provider.key).then(() => this.setPresence({}));
    this.presence = { ...options.presence, peerId: '' };
  }

  private presence: PresenceState;

  setPresence(change: Partial<PresenceState>): void {
    if (this.ended) return;
    this.presence = { ...this.presence, ...change, peerId: this.provider.room?.peerId ?? '' };
    this.provider.awareness.setLocalState(this.presence);
  }

  /** Presence of everyone else we can see (awareness), by y-webrtc peer id. */
  remotePresence(): Map<string, PresenceState> {
    const result = new Map<string, PresenceState>();
    for (const [clientId, state] of this.provider.awareness.getStates()) {
      if (clientId === this.doc.clientID) continue;
      const s = state as Partial<PresenceState>;
      if (typeof s.peerId === 'string' && typeof s.username === 'string') {
        result.set(s.peerId, {
          peerId: s.peerId,
          username: s.username.slice(0, 64),
          displayName: String(s.displayName ?? '').slice(0, 64),
          fingerprint: String(s.fingerprint ?? ''),
          typing: s.typing === true,
        });
      }
    }
    return result;
  }

  private attach(peerId: string): void {
    if (this.ended) return;
    const conn = this.provider.room?.webrtcConns.get(peerId) as WebrtcConnLike | undefined;
    const pc = conn?.peer._pc;
    if (!pc) return;
    this.links.get(peerId)?.close();
    const gate = new DataGate(conn.peer);
    guardSimplePeerChannel(conn.peer);
    const { handlers } = this.options;
    const link = new PeerLink({
      peerId,
      pc,
      crypto: this.options.crypto,
      identity: this.options.identity,
      room: this.options.room,
      username: this.options.presence.username,
      epoch: this.epoch,
      roomId: this.options.roomId,
      suite: this.options.suite,
      keyAgreement: this.keyAgreement,
      onKeyAgreement: (keyAgreement) => {
        this.keyAgreement ??= keyAgreement;
        handlers.keyAgreement(keyAgreement);
      },
      onEstablished: (l) => {
        gate.open();
        handlers.established(l);
      },
      onMessage: (l, m) => handlers.message(l, m),
      onFailed: (l, reason, message) => {
        gate.shut();
        this.forget(l);
        handlers.failed(l, reason, message);
        // Nothing from this peer may be used: drop the whole connection.
        this.dropConnection(l.peerId);
      },
      onClosed: (l) => {
        this.forget(l);
        handlers.closed(l);
      },
      onDroppedFrame: (l, why) => handlers.droppedFrame(l, why),
    });
    this.links.set(peerId, link);
  }

  private forget(link: PeerLink): void {
    if (this.links.get(link.peerId) === link) this.links.delete(link.peerId);
  }

  /** Closes the WebRTC connection to one peer (y-webrtc may try again later). */
  dropConnection(peerId: string): void {
    const conn = this.provider.room?.webrtcConns.get(peerId) as WebrtcConnLike | undefined;
    this.links.get(peerId)?.close();
    try {
      conn?.peer.destroy();
    } catch {
      // already gone
    }
  }

  /** New connections handshake, and all signaling is sealed, under this epoch. */
  setEpoch(epoch: number): void {
    this.epoch = epoch;
    this.seals.setEpoch(epoch);
  }

  /** Resolves when no WebRTC connection is left, or after `ms` (whichever is first). */
  connectionsClosed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const started = Date.now();
      const check = () => {
        const open = this.provider.room?.webrtcConns.size ?? 0;
        if (open === 0 || Date.now() - started >= ms) resolve();
        else setTimeout(check, 10);
      };
      check();
    });
  }

  openLinks(): PeerLink[] {
    return [...this.links.values()].filter((link) => link.state === 'open');
  }

  async destroy(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    for (const link of this.links.values()) link.close();
    this.links.clear();
    // Close the connections before y-webrtc says goodbye over them: a peer leaving at the
    // same moment may have closed its end already (see guardChannel).
    for (const conn of this.provider.room?.webrtcConns.values() ?? []) {
      try {
        (conn as WebrtcConnLike).peer.destroy();
      } catch {
        // already gone
      }
    }
    try {
      this.provider.awareness.setLocalState(null);
      this.provider.disconnect();
      this.provider.destroy();
    } catch {
      // a half-started provider
    }
    this.doc.destroy();
    this.unregister();
    await this.seals.release();
  }
}
