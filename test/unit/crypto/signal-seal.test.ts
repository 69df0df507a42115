import { describe, expect, it } from 'vitest';
import {
  fromBase64Url,
  randomBytes,
  toBase64Url,
  utf8,
} from '../../../client/crypto/primitives/bytes';
import { CryptoInputError } from '../../../client/crypto/primitives/errors';
import { SignalOpener, SignalSealer, sealSignal } from '../../../client/crypto/signal-seal';

const kSig = randomBytes(32);
const offer = utf8('{"type":"offer","sdp":"v=0..."}');

function bytesOf(sealed: string): Uint8Array {
  const decoded = fromBase64Url(sealed);
  if (!decoded.ok) throw new Error('test setup: not base64url');
  return decoded.value;
}

/** A relay's rewrite: change the bytes of a sealed signal and re-encode it. */
function rewrite(sealed: string, edit: (bytes: Uint8Array) => Uint8Array): string {
  return toBase64Url(edit(bytesOf(sealed).slice()));
}

async function reasonOf(opener: SignalOpener, sealed: unknown): Promise<string> {
  const result = await opener.open(sealed);
  return result.ok ? 'opened' : result.reason;
}

describe('sealed signaling', () => {
  it('delivers the payload, sender and sequence number to the addressee', async () => {
    const sealed = await sealSignal(kSig, { from: 'alice', to: 'bob' }, 5n, offer);
    const opened = await new SignalOpener(kSig, 'bob').open(sealed);
    expect(opened.ok).toBe(true);
    if (opened.ok) {
      expect(new TextDecoder().decode(opened.value.payload)).toBe(
        '{"type":"offer","sdp":"v=0..."}',
      );
      expect([opened.value.from, opened.value.to, opened.value.seq]).toEqual(['alice', 'bob', 5n]);
    }
    // The relay sees no SDP.
    expect(Buffer.from(bytesOf(sealed)).includes(Buffer.from('offer'))).toBe(false);
  });

  it('rejects any flipped bit with bad-tag (or as not addressed to us)', async () => {
    const sealed = await sealSignal(kSig, { from: 'alice', to: 'bob' }, 1n, offer);
    const length = bytesOf(sealed).length;
    // Header bytes: version, lengths and ids, seq; then nonce, ciphertext and tag.
    for (let index = 0; index < length; index++) {
      const tampered = rewrite(sealed, (bytes) => {
        bytes[index]! ^= 0x01;
        return bytes;
      });
      const reason = await reasonOf(new SignalOpener(kSig, 'bob'), tampered);
      expect(['bad-tag', 'malformed']).toContain(reason);
    }
  });

  it('detects a relay that redirects, re-attributes or renumbers a signal', async () => {
    const sealed = await sealSignal(kSig, { from: 'alice', to: 'bob' }, 1n, offer);
    // The relay rewrites the addressee "bob" into "eve": the AAD still says bob, so it fails.
    const redirected = rewrite(sealed, (bytes) => {
      bytes.set(utf8('eve'), 2 + 5 + 1);
      return bytes;
    });
    expect(await reasonOf(new SignalOpener(kSig, 'eve'), redirected)).toBe('bad-tag');
    const reattributed = rewrite(sealed, (bytes) => {
      bytes.set(utf8('mallo'), 2);
      return bytes;
    });
    expect(await reasonOf(new SignalOpener(kSig, 'bob'), reattributed)).toBe('bad-tag');
    const renumbered = rewrite(sealed, (bytes) => {
      bytes[2 + 5 + 1 + 3 + 7]! ^= 0x02;
      return bytes;
    });
    expect(await reasonOf(new SignalOpener(kSig, 'bob'), renumbered)).toBe('bad-tag');
  });

  it('refuses a signal addressed to someone else, and one sealed under another room key', async () => {
    const sealed = await sealSignal(kSig, { from: 'alice', to: 'bob' }, 1n, offer);
    expect(await reasonOf(new SignalOpener(kSig, 'carol'), sealed)).toBe('malformed');
    expect(await reasonOf(new SignalOpener(randomBytes(32), 'bob'), sealed)).toBe('bad-tag');
  });

  it('drops duplicates and stale signals as replay, but accepts reordering within the window', async () => {
    const opener = new SignalOpener(kSig, 'bob', 8);
    const signals = await Promise.all(
      [0n, 1n, 2n, 3n, 20n].map((seq) =>
        sealSignal(kSig, { from: 'alice', to: 'bob' }, seq, offer),
      ),
    );
    expect(await reasonOf(opener, signals[2])).toBe('opened');
    expect(await reasonOf(opener, signals[0])).toBe('opened'); // late, but inside the window
    expect(await reasonOf(opener, signals[2])).toBe('replay');
    expect(await reasonOf(opener, signals[0])).toBe('replay');
    expect(await reasonOf(opener, signals[4])).toBe('opened'); // window moves to 20
    expect(await reasonOf(opener, signals[3])).toBe('replay'); // 3 is now older than 20 - 8
    expect(await reasonOf(opener, signals[1])).toBe('replay');
  });

  it('keeps a separate window per sender', async () => {
    const opener = new SignalOpener(kSig, 'bob');
    const fromAlice = await sealSignal(kSig, { from: 'alice', to: 'bob' }, 1n, offer);
    const fromCarol = await sealSignal(kSig, { from: 'carol', to: 'bob' }, 1n, offer);
    expect(await reasonOf(opener, fromAlice)).toBe('opened');
    expect(await reasonOf(opener, fromCarol)).toBe('opened');
  });

  it('does not let a forged signal advance the replay window', async () => {
    const opener = new SignalOpener(kSig, 'bob');
    const forged = await sealSignal(randomBytes(32), { from: 'alice', to: 'bob' }, 1000n, offer);
    const genuine = await sealSignal(kSig, { from: 'alice', to: 'bob' }, 1n, offer);
    expect(await reasonOf(opener, forged)).toBe('bad-tag');
    expect(await reasonOf(opener, genuine)).toBe('opened');
  });

  it('gives a reloaded sender (same id) higher sequence numbers than before', async () => {
    const opener = new SignalOpener(kSig, 'bob');
    const before = new SignalSealer(kSig, 'alice', 1_700_000_000_000);
    for (let i = 0; i < 3; i++)
      expect(await reasonOf(opener, await before.seal('bob', offer))).toBe('opened');
    const afterReload = new SignalSealer(kSig, 'alice', 1_700_000_000_001);
    expect(await reasonOf(opener, await afterReload.seal('bob', offer))).toBe('opened');
  });

  it('returns malformed, never throws, for junk from the relay', async () => {
    const opener = new SignalOpener(kSig, 'bob');
    const sealed = await sealSignal(kSig, { from: 'alice', to: 'bob' }, 1n, offer);
    const junk: unknown[] = [
      undefined,
      42,
      { data: sealed },
      '',
      'not base64url!',
      'A'.repeat(70_000),
      sealed.slice(0, 20),
      rewrite(sealed, (bytes) => bytes.subarray(0, bytes.length - 17)),
      rewrite(sealed, (bytes) => {
        bytes[0] = 2; // unknown version
        return bytes;
      }),
      rewrite(sealed, (bytes) => {
        bytes[1] = 200; // id length past the end
        return bytes;
      }),
      rewrite(sealed, (bytes) => {
        bytes.set([0xff, 0xfe], 2); // invalid UTF-8 in the sender id
        return bytes;
      }),
    ];
    for (const input of junk) expect(await reasonOf(opener, input)).toMatch(/malformed|bad-tag/);
  });

  it('refuses empty or over-long peer ids when sealing', async () => {
    await expect(sealSignal(kSig, { from: '', to: 'bob' }, 1n, offer)).rejects.toThrow(
      CryptoInputError,
    );
    await expect(sealSignal(kSig, { from: 'a'.repeat(256), to: 'bob' }, 1n, offer)).rejects.toThrow(
      CryptoInputError,
    );
  });
});
