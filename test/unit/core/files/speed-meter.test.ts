// Speed and time left, as a progress bar shows them.
import { describe, expect, it } from 'vitest';
import { SpeedMeter, secondsLeft } from '../../../../client/core/files/speed-meter';

describe('SpeedMeter', () => {
  it('measures bytes per second over the last few seconds', () => {
    let now = 0;
    const meter = new SpeedMeter(() => now);
    expect(meter.sample(0)).toBe(0);
    now = 1000;
    expect(meter.sample(10 * 2 ** 20)).toBe(10 * 2 ** 20);
    // Ten seconds later the early samples have left the window: the recent rate counts.
    for (let t = 2; t <= 10; t++) {
      now = t * 1000;
      meter.sample(10 * 2 ** 20 + (t - 1) * 2 ** 20);
    }
    expect(meter.sample(19 * 2 ** 20 + 0)).toBeCloseTo(2 ** 20, -3);
  });

  it('gives the time left, or null while nothing moves', () => {
    expect(secondsLeft(100 * 2 ** 20, 10 * 2 ** 20)).toBe(10);
    expect(secondsLeft(1, 10)).toBe(1);
    expect(secondsLeft(5, 0)).toBeNull();
    expect(secondsLeft(0, 0)).toBe(0);
  });
});
