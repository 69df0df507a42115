import { describe, expect, test } from 'vitest';
import { computeSas, SAS_EMOJI, type SasParty } from '../../../client/crypto/sas';
import type { PublicIdentity } from '../../../client/crypto/identity';

function fingerprint(step: number): string {
  const pairs = Array.from({ length: 32 }, (_, i) =>
    ((i * step) % 256).toString(16).padStart(2, '0'),
  );
  return 'sha-256 ' + pairs.join(':').toUpperCase();
}

const aliceKey: PublicIdentity = {
  alg: 'ed25519',
  publicKey: Uint8Array.from({ length: 32 }, (_, i) => i),
};
const bobKey: PublicIdentity = {
  alg: 'ed25519',
  publicKey: Uint8Array.from({ length: 32 }, (_, i) => 255 - i),
};
const alice: SasParty = { identity: aliceKey, dtlsFingerprint: fingerprint(7) };
const bob: SasParty = { identity: bobKey, dtlsFingerprint: fingerprint(13) };
const roomId = 'room-regression';

async function sas(a: SasParty, b: SasParty, room = roomId) {
  const result = await computeSas({ roomId: room, a, b });
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('short authentication string', () => {
  test("uses Matrix's 64-emoji table", () => {
    expect(SAS_EMOJI).toHaveLength(64);
    expect(SAS_EMOJI[0]).toEqual({ emoji: '🐶', name: 'Dog' });
    expect(SAS_EMOJI[63]).toEqual({ emoji: '📌', name: 'Pin' });
    expect(new Set(SAS_EMOJI.map((e) => e.name)).size).toBe(64);
  });

  test('both people see the same emoji and numbers', async () => {
    const seenByAlice = await sas(alice, bob);
    const seenByBob = await sas(bob, alice);
    expect(seenByBob).toEqual(seenByAlice);
    expect(seenByAlice.emoji).toHaveLength(7);
    for (const n of seenByAlice.decimal) expect(n).toBeGreaterThanOrEqual(1000);
    for (const n of seenByAlice.decimal) expect(n).toBeLessThanOrEqual(9191);
  });

  test('a fixed input gives a fixed SAS (our own regression vector)', async () => {
    const value = await sas(alice, bob);
    expect(value.emoji.map((e) => e.name)).toEqual([
      'Umbrella',
      'Banana',
      'Gift',
      'Moon',
      'Octopus',
      'Smiley',
      'Pencil',
    ]);
    expect(value.decimal).toEqual([5783, 3128, 7901]);
  });

  test('fingerprint case and spacing do not matter', async () => {
    const lower = { ...alice, dtlsFingerprint: `  ${alice.dtlsFingerprint.toLowerCase()} ` };
    expect(await sas(lower, bob)).toEqual(await sas(alice, bob));
  });

  test('any change of identity key, fingerprint or room id changes it', async () => {
    const base = JSON.stringify(await sas(alice, bob));
    const flipped = aliceKey.publicKey.slice();
    flipped[0]! ^= 1;
    const variants: [string, Promise<unknown>][] = [
      ['alice key', sas({ ...alice, identity: { alg: 'ed25519', publicKey: flipped } }, bob)],
      ['bob key', sas(alice, { ...bob, identity: { alg: 'ed25519', publicKey: flipped } })],
      ['alice fingerprint', sas({ ...alice, dtlsFingerprint: fingerprint(9) }, bob)],
      ['bob fingerprint', sas(alice, { ...bob, dtlsFingerprint: fingerprint(11) })],
      [
        'swapped fingerprints',
        sas(
          { ...alice, dtlsFingerprint: bob.dtlsFingerprint },
          { ...bob, dtlsFingerprint: alice.dtlsFingerprint },
        ),
      ],
      ['room id', sas(alice, bob, 'room-other')],
    ];
    for (const [what, variant] of variants) {
      expect(JSON.stringify(await variant), what).not.toBe(base);
    }
  });

  test('a malformed fingerprint is refused, not silently hashed', async () => {
    const result = await computeSas({ roomId, a: { ...alice, dtlsFingerprint: 'oops' }, b: bob });
    expect(result).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
