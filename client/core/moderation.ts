// The host's signed kick/ban (DESIGN.md section 6): the server enforces it for the relay,
// and this order makes every peer drop and refuse the removed identity, even when it
// reaches them relayed by another member.
import { SignedModeration, type ModerationEnvelope } from '../../signaling/protocol';
import { fromBase64Url, identityFingerprint, toBase64Url } from './bytes';
import type { CryptoPort } from './crypto-port';
import type { Author } from './envelope';

export async function signModeration(
  crypto: CryptoPort,
  host: Author,
  order: Pick<ModerationEnvelope, 'kind' | 'room' | 'target' | 'devices'>,
): Promise<SignedModeration> {
  const envelope: ModerationEnvelope = {
    v: 1,
    kind: order.kind,
    room: order.room,
    author: { alg: host.alg, key: toBase64Url(host.publicKey) },
    username: host.username,
    target: order.target,
    devices: order.devices,
    issuedAt: Date.now(),
  };
  return { envelope, sig: toBase64Url(await crypto.signEnvelope(host.identity, envelope)) };
}

/**
 * The order if it is well formed, for this room, signed, and from the host's pinned key
 * (`hostFingerprint`, when known); null otherwise.
 */
export async function verifyModeration(
  crypto: CryptoPort,
  input: unknown,
  roomId: string,
  hostUsername: string,
  hostFingerprint: string | null,
): Promise<{ order: SignedModeration; authorFingerprint: string } | null> {
  const parsed = SignedModeration.safeParse(input);
  if (!parsed.success) return null;
  const { envelope, sig } = parsed.data;
  if (envelope.room !== roomId || envelope.username !== hostUsername) return null;
  const publicKey = fromBase64Url(envelope.author.key);
  const fingerprint = await identityFingerprint(envelope.author.alg, publicKey);
  if (hostFingerprint && fingerprint !== hostFingerprint) return null;
  const verdict = await crypto.verifyEnvelope(
    { alg: envelope.author.alg, publicKey },
    envelope,
    fromBase64Url(sig),
  );
  return verdict.ok ? { order: parsed.data, authorFingerprint: fingerprint } : null;
}
