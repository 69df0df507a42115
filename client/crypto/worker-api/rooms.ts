// The room part of the worker api: the link secret, epoch secrets and the keys derived
// from them stay here; callers get a room handle, and only the values that must go to the
// server or to y-webrtc (admission token, verifier, signaling password) come out.
import { z } from 'zod';
import { RoomId } from '../../../signaling/protocol';
import {
  admitToken,
  admitVerifier,
  createEpochSecret,
  deriveEpochKeys,
  signalingPassword,
  type EpochKeys,
} from '../key-schedule';
import { failure, success, type Result } from '../result';
import {
  createRoomSecret,
  formatRoomLink,
  parseRoomLink,
  type RoomLinkFailure,
} from '../room-link';
import { SignalOpener, SignalSealer, type OpenedSignal } from '../signal-seal';
import type { HandleStore } from './handles';

export type RoomEntry =
  | { kind: 'room'; secrets: Map<number, Uint8Array>; keys: Map<number, Promise<EpochKeys>> }
  | { kind: 'signal-sealer'; sealer: SignalSealer }
  | { kind: 'signal-opener'; opener: SignalOpener };

const Epoch = z.number().int().nonnegative();
const PeerId = z.string().min(1).max(255);

export interface RoomCredentials {
  /** base64url(SHA-256(K_admit)), sent once when the room is created. */
  readonly admitVerifier: string;
  /** base64url(K_admit), presented to be admitted. */
  readonly admitToken: string;
  /** y-webrtc's `password` option, derived from K_sig under its own label. */
  readonly signalingPassword: string;
}

export function createRoomApi(handles: HandleStore<RoomEntry>) {
  function addRoom(secret: Uint8Array): string {
    return handles.add({ kind: 'room', secrets: new Map([[0, secret]]), keys: new Map() });
  }

  function epochKeys(room: string, epoch: number): Promise<EpochKeys> {
    const entry = handles.get(room, 'room');
    const at = Epoch.parse(epoch);
    let keys = entry.keys.get(at);
    if (!keys) {
      const secret = entry.secrets.get(at);
      if (!secret) return Promise.reject(new RangeError(`This room has no key for epoch ${at}.`));
      keys = deriveEpochKeys(secret, at);
      entry.keys.set(at, keys);
    }
    return keys;
  }

  const api = {
    /** A new room: a fresh 32-byte link secret (epoch 0). */
    createRoom(): { room: string } {
      return { room: addRoom(createRoomSecret()) };
    },
    /** Parses a pasted or opened link; the secret goes into the worker, a handle comes out. */
    openRoomLink(
      text: string,
    ): Result<{ room: string; roomId: string; origin: string }> | RoomLinkFailure {
      const parsed = parseRoomLink(z.string().max(4096).parse(text));
      if (!parsed.ok) return parsed;
      const { origin, roomId, secret } = parsed.value;
      return success({ room: addRoom(secret), roomId, origin });
    },
    /** The link to share (it contains the secret: that is its purpose). */
    roomLink(room: string, origin: string, roomId: string): string {
      const secret = handles.get(room, 'room').secrets.get(0);
      if (!secret)
        throw new RangeError('This room was joined at a later epoch and has no link secret.');
      return formatRoomLink(origin, RoomId.parse(roomId), secret);
    },
    /** The epochs this room handle has secrets for, in order (e.g. after openRoomSecrets). */
    roomEpochs(room: string): number[] {
      return [...handles.get(room, 'room').secrets.keys()].sort((a, b) => a - b);
    },
    async roomCredentials(room: string, epoch = 0): Promise<RoomCredentials> {
      const keys = await epochKeys(room, epoch);
      return {
        admitVerifier: await admitVerifier(keys.kAdmit),
        admitToken: admitToken(keys.kAdmit),
        signalingPassword: await signalingPassword(keys.kSig),
      };
    },
    /**
     * The host's side of a key rotation (after a kick): a fresh secret for the next epoch.
     * NOTE: the secret is returned because the host must hand it to each remaining member
     * over their secure channels; it must go nowhere else.
     */
    rotateEpoch(room: string): { epoch: number; secret: Uint8Array } {
      const entry = handles.get(room, 'room');
      const epoch = Math.max(...entry.secrets.keys()) + 1;
      const secret = createEpochSecret();
      entry.secrets.set(epoch, secret);
      return { epoch, secret: secret.slice() };
    },
    /** A member's side of a rotation: the epoch secret received from the host. */
    addEpochSecret(room: string, epoch: number, secret: Uint8Array): Result<void> {
      const entry = handles.get(room, 'room');
      if (!(secret instanceof Uint8Array) || secret.length !== 32) {
        return failure('bad-length', 'An epoch secret is 32 bytes.');
      }
      const at = Epoch.parse(epoch);
      if (entry.secrets.has(at)) return failure('replay', 'This epoch already has a secret.');
      entry.secrets.set(at, secret.slice());
      return success(undefined);
    },
    async createSignalSealer(room: string, epoch: number, self: string): Promise<string> {
      const keys = await epochKeys(room, epoch);
      return handles.add({
        kind: 'signal-sealer',
        sealer: new SignalSealer(keys.kSig, PeerId.parse(self)),
      });
    },
    sealSignal(sealer: string, to: string, payload: Uint8Array): Promise<string> {
      return handles.get(sealer, 'signal-sealer').sealer.seal(PeerId.parse(to), payload);
    },
    async createSignalOpener(room: string, epoch: number, self: string): Promise<string> {
      const keys = await epochKeys(room, epoch);
      return handles.add({
        kind: 'signal-opener',
        opener: new SignalOpener(keys.kSig, PeerId.parse(self)),
      });
    },
    openSignal(opener: string, text: unknown): Promise<Result<OpenedSignal>> {
      return handles.get(opener, 'signal-opener').opener.open(text);
    },
  };
  return { api, epochKeys };
}
