// Sizes people type for a room's maximum file size ("25M", "1G") and how the limit is shown.
import { describe, expect, it } from 'vitest';
import {
  ByteSizeError,
  effectiveMaxFileBytes,
  formatByteLimit,
  parseByteSize,
  roomLimitMessage,
} from '../../../../client/core/files/file-size-limit';

describe('parseByteSize', () => {
  it('reads decimal units as the UI shows them, binary ones when asked, plain bytes', () => {
    expect(parseByteSize('25M')).toBe(25_000_000);
    expect(parseByteSize('25MB')).toBe(25_000_000);
    expect(parseByteSize('100 mb')).toBe(100_000_000);
    expect(parseByteSize('1G')).toBe(1_000_000_000);
    expect(parseByteSize('10GB')).toBe(10_000_000_000);
    expect(parseByteSize('1.5G')).toBe(1_500_000_000);
    expect(parseByteSize('512MiB')).toBe(512 * 2 ** 20);
    expect(parseByteSize('2k')).toBe(2000);
    expect(parseByteSize('4096')).toBe(4096);
  });

  it('refuses what is not a positive size, with an example of what is', () => {
    for (const text of ['', 'M', '25X', '-1M', '0', '0.0001K', 'twenty', '1e3', '9999999T']) {
      expect(() => parseByteSize(text), text).toThrow(ByteSizeError);
    }
    expect(() => parseByteSize('25X')).toThrow(/examples: 25M/);
  });
});

describe('formatByteLimit and the message', () => {
  it('shows the limit in the units the host chose it in', () => {
    expect(formatByteLimit(25_000_000)).toBe('25 MB');
    expect(formatByteLimit(1_000_000_000)).toBe('1 GB');
    expect(formatByteLimit(1_500_000_000)).toBe('1.5 GB');
    expect(formatByteLimit(512 * 2 ** 20)).toBe('536.87 MB');
    expect(formatByteLimit(999)).toBe('999 bytes');
    expect(roomLimitMessage(100_000_000)).toBe('This room accepts files up to 100 MB.');
  });

  it('the smaller of the room limit and the device limit applies', () => {
    expect(effectiveMaxFileBytes(undefined, undefined)).toBeUndefined();
    expect(effectiveMaxFileBytes(25e6, undefined)).toBe(25e6);
    expect(effectiveMaxFileBytes(undefined, 1e9)).toBe(1e9);
    expect(effectiveMaxFileBytes(1e9, 25e6)).toBe(25e6);
  });
});
