import { describe, expect, it } from 'vitest';
import { SecurityEventThrottle } from '../../../../signaling/relay/event-throttle';
import { KickList } from '../../../../signaling/relay/kick-list';
import type { RecordedEvent } from './relay-harness';

describe('security-log throttle', () => {
  it('keeps refusals from flooding the log, and reports how many it held back', () => {
    let now = 1_000_000;
    const recorded: RecordedEvent[] = [];
    const throttle = new SecurityEventThrottle(
      { record: (type, details = {}) => void recorded.push({ type, details }) },
      3,
      () => now,
    );
    for (let i = 0; i < 10; i += 1)
      throttle.record('ws.refused', 'upgrade:198.51.100.1', { status: 401 });
    throttle.record('ws.refused', 'upgrade:198.51.100.2', { status: 401 });
    expect(recorded).toHaveLength(4);
    now += 60_000;
    throttle.record('ws.refused', 'upgrade:198.51.100.1', { status: 401 });
    expect(recorded.at(-1)!.details).toEqual({ status: 401, suppressed: 7 });
  });

  it('survives a security log that throws', () => {
    const throttle = new SecurityEventThrottle(
      {
        record: () => {
          throw new Error('disk full');
        },
      },
      3,
    );
    expect(() => throttle.record('ws.admitted', 'x', {})).not.toThrow();
  });
});

describe('kick list', () => {
  it('refuses tickets issued before the kick, accepts later ones, and forgets after a ticket lifetime', () => {
    let now = 5_000_000;
    const ttl = 120_000;
    const kicks = new KickList(ttl, () => now);
    const issuedBefore = now - 1_000 + ttl;
    kicks.kick('room', 7);
    expect(kicks.revokes('room', 7, issuedBefore)).toBe(true);
    expect(kicks.revokes('room', 8, issuedBefore)).toBe(false);
    expect(kicks.revokes('other', 7, issuedBefore)).toBe(false);
    now += 10;
    expect(kicks.revokes('room', 7, now + ttl)).toBe(false);
    now += ttl + 1;
    kicks.kick('room', 9);
    // The old entry has outlived every ticket that could have been issued before it.
    expect(kicks.revokes('room', 7, issuedBefore)).toBe(false);
  });
});
