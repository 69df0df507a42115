// Who is in the room, as the UI shows it, and the numbers two people compare to verify
// each other (DESIGN.md section 5).
import type { CryptoPort } from './crypto-port';
import type { Author } from './envelope';
import type { PresenceState } from './mesh';
import type { PeerLink } from './peer-link';
import { RoomActionError, type MemberView } from './views';

/** A peer whose secure handshake and introduction both succeeded. */
export interface Member {
  link: PeerLink;
  username: string;
  displayName: string;
  device: string;
  verified: boolean;
  /** A sync from this member taught us messages: others may lack them too. */
  learnedInSync?: boolean;
}

export function memberView(
  member: Member,
  presence: PresenceState | undefined,
  host: string,
): MemberView {
  return {
    peerId: member.link.peerId,
    username: member.username,
    displayName: member.displayName,
    fingerprint: member.device,
    online: member.link.state === 'open',
    trust: member.verified ? 'verified' : 'secure',
    verified: member.verified,
    typing: presence?.typing ?? false,
    isHost: member.username === host,
  };
}

/** Members with a secure link, then people we only see in presence (not yet secure). */
export function memberViews(
  members: readonly Member[],
  presence: ReadonlyMap<string, PresenceState>,
  host: string,
): MemberView[] {
  const views = members.map((m) => memberView(m, presence.get(m.link.peerId), host));
  const linked = new Set(views.map((v) => v.peerId));
  for (const state of presence.values()) {
    if (linked.has(state.peerId)) continue;
    views.push({
      peerId: state.peerId,
      username: state.username,
      displayName: state.displayName || state.username,
      fingerprint: '',
      online: true,
      trust: 'connecting',
      verified: false,
      typing: state.typing,
      isHost: state.username === host,
    });
  }
  return views;
}

export interface Verification {
  username: string;
  /** 60 digits in groups, the same on both sides. */
  safetyNumber: string;
  /** Seven emoji or three 4-digit numbers, the same on both sides of this connection. */
  sas: { emoji: readonly { emoji: string; name: string }[]; digits: string };
}

export async function verificationOf(
  crypto: CryptoPort,
  roomId: string,
  self: Author,
  member: Member,
): Promise<Verification> {
  const peer = member.link.peer;
  const fingerprints = member.link.fingerprints;
  if (!peer || !fingerprints) {
    throw new RoomActionError(`${member.username} is not connected securely right now.`);
  }
  const them = { alg: peer.alg, publicKey: peer.publicKey };
  const me = { alg: self.alg, publicKey: self.publicKey };
  const safetyNumber = await crypto.safetyNumber(me, them);
  const sas = await crypto.computeSas({
    roomId,
    a: { identity: me, dtlsFingerprint: fingerprints.local },
    b: { identity: them, dtlsFingerprint: fingerprints.remote },
  });
  if (!sas.ok) throw new RoomActionError(sas.message);
  return {
    username: member.username,
    safetyNumber,
    sas: { emoji: sas.value.emoji, digits: sas.value.decimal.join(' ') },
  };
}
