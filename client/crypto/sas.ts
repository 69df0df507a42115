// The short authentication string (DESIGN.md section 5): two people compare 7 emoji (or
// three 4-digit numbers) read out over another channel. It commits to both identity
// keys, both DTLS fingerprints and the room id, so a relay that swapped any of them shows
// up as a mismatch. The emoji table and the bit slicing are Matrix's (spec, "SAS method:
// emoji" / "decimal"), so the list is one people may already know.
import { concatBytes, utf8 } from './primitives/bytes';
import { hkdfSha256 } from './primitives/kdf';
import { normalizeFingerprint } from './channel/wire';
import type { PublicIdentity } from './identity';
import { failure, success, type Result } from './result';

export interface SasEmoji {
  readonly emoji: string;
  readonly name: string;
}

/** Matrix's 64 SAS emoji, in spec order: index = 6-bit value. */
export const SAS_EMOJI: readonly SasEmoji[] = Object.freeze(
  (
    [
      ['🐶', 'Dog'],
      ['🐱', 'Cat'],
      ['🦁', 'Lion'],
      ['🐎', 'Horse'],
      ['🦄', 'Unicorn'],
      ['🐷', 'Pig'],
      ['🐘', 'Elephant'],
      ['🐰', 'Rabbit'],
      ['🐼', 'Panda'],
      ['🐓', 'Rooster'],
      ['🐧', 'Penguin'],
      ['🐢', 'Turtle'],
      ['🐟', 'Fish'],
      ['🐙', 'Octopus'],
      ['🦋', 'Butterfly'],
      ['🌷', 'Flower'],
      ['🌳', 'Tree'],
      ['🌵', 'Cactus'],
      ['🍄', 'Mushroom'],
      ['🌏', 'Globe'],
      ['🌙', 'Moon'],
      ['☁️', 'Cloud'],
      ['🔥', 'Fire'],
      ['🍌', 'Banana'],
      ['🍎', 'Apple'],
      ['🍓', 'Strawberry'],
      ['🌽', 'Corn'],
      ['🍕', 'Pizza'],
      ['🎂', 'Cake'],
      ['❤️', 'Heart'],
      ['😀', 'Smiley'],
      ['🤖', 'Robot'],
      ['🎩', 'Hat'],
      ['👓', 'Glasses'],
      ['🔧', 'Spanner'],
      ['🎅', 'Santa'],
      ['👍', 'Thumbs Up'],
      ['☂️', 'Umbrella'],
      ['⌛', 'Hourglass'],
      ['⏰', 'Clock'],
      ['🎁', 'Gift'],
      ['💡', 'Light Bulb'],
      ['📕', 'Book'],
      ['✏️', 'Pencil'],
      ['📎', 'Paperclip'],
      ['✂️', 'Scissors'],
      ['🔒', 'Lock'],
      ['🔑', 'Key'],
      ['🔨', 'Hammer'],
      ['☎️', 'Telephone'],
      ['🏁', 'Flag'],
      ['🚂', 'Train'],
      ['🚲', 'Bicycle'],
      ['✈️', 'Aeroplane'],
      ['🚀', 'Rocket'],
      ['🏆', 'Trophy'],
      ['⚽', 'Ball'],
      ['🎸', 'Guitar'],
      ['🎺', 'Trumpet'],
      ['🔔', 'Bell'],
      ['⚓', 'Anchor'],
      ['🎧', 'Headphones'],
      ['📁', 'Folder'],
      ['📌', 'Pin'],
    ] as const
  ).map(([emoji, name]) => Object.freeze({ emoji, name })),
);

/** One side of the pair: its identity key and the DTLS fingerprint of its certificate. */
export interface SasParty {
  readonly identity: PublicIdentity;
  readonly dtlsFingerprint: string;
}

export interface ShortAuthString {
  readonly emoji: readonly SasEmoji[];
  /** Three numbers from 1000 to 9191. */
  readonly decimal: readonly [number, number, number];
}

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const prefix = new Uint8Array(4);
  new DataView(prefix.buffer).setUint32(0, bytes.length, false);
  return concatBytes(prefix, bytes);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Same result whichever side computes it: the two parties are put in byte order. */
export async function computeSas(input: {
  readonly roomId: string;
  readonly a: SasParty;
  readonly b: SasParty;
}): Promise<Result<ShortAuthString>> {
  const parties: Uint8Array[] = [];
  for (const party of [input.a, input.b]) {
    const fingerprint = normalizeFingerprint(party.dtlsFingerprint);
    if (!fingerprint) return failure('malformed', 'A DTLS fingerprint is not in SDP form.');
    parties.push(
      concatBytes(
        lengthPrefixed(utf8(party.identity.alg)),
        lengthPrefixed(party.identity.publicKey),
        lengthPrefixed(utf8(fingerprint)),
      ),
    );
  }
  parties.sort(compareBytes);
  const commitment = concatBytes(
    utf8('p2pchat/sas/v1'),
    lengthPrefixed(utf8(input.roomId)),
    lengthPrefixed(parties[0]!),
    lengthPrefixed(parties[1]!),
  );
  const b = await hkdfSha256(commitment, new Uint8Array(0), utf8('p2pchat/sas/v1/bytes'), 6);
  // 42 bits -> 7 emoji of 6 bits; 39 bits -> 3 numbers of 13 bits (+1000), as in Matrix.
  const bits =
    (BigInt(b[0]!) << 40n) |
    (BigInt(b[1]!) << 32n) |
    (BigInt(b[2]!) << 24n) |
    (BigInt(b[3]!) << 16n) |
    (BigInt(b[4]!) << 8n) |
    BigInt(b[5]!);
  const emoji = Array.from(
    { length: 7 },
    (_, i) => SAS_EMOJI[Number((bits >> BigInt(42 - 6 * i)) & 63n)]!,
  );
  const decimal: [number, number, number] = [
    ((b[0]! << 5) | (b[1]! >> 3)) + 1000,
    (((b[1]! & 0x7) << 10) | (b[2]! << 2) | (b[3]! >> 6)) + 1000,
    (((b[3]! & 0x3f) << 7) | (b[4]! >> 1)) + 1000,
  ];
  return success({ emoji, decimal });
}
