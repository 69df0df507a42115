// Auto-lock: the vault locks itself after the chosen idle time, activity postpones it,
// and it never applies without a passphrase. Timers are faked (only setTimeout and Date:
// fake-indexeddb schedules its own work with setImmediate).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testDevice, type TestDevice } from './vault-harness';

describe('DeviceVault auto-lock', () => {
  let device: TestDevice;
  beforeEach(() => {
    device = testDevice();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await device.destroy();
  });

  it('locks after the idle minutes, and touch() moves the deadline', async () => {
    const { vault } = await device.start();
    await vault.setPassphrase('auto lock passphrase');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const locked = new Promise<string>((resolve) => vault.onStateChange(resolve));
    vault.autoLock(2);
    vi.advanceTimersByTime(90_000);
    vault.touch();
    vi.advanceTimersByTime(90_000); // 3 minutes since autoLock(2), 1.5 since activity
    expect(vault.state).toBe('unlocked');
    vi.advanceTimersByTime(31_000);
    expect(await locked).toBe('locked');
    expect(vault.state).toBe('locked');
  });

  it('does nothing without a passphrase, or with 0 minutes', async () => {
    const { vault } = await device.start();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vault.autoLock(1);
    vi.advanceTimersByTime(10 * 60_000);
    expect(vault.state).toBe('unlocked');
    expect(() => vault.autoLock(-1)).toThrow(/minutes/);
    vi.useRealTimers();
    await vault.setPassphrase('auto lock passphrase');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vault.autoLock(0);
    vi.advanceTimersByTime(10 * 60_000);
    expect(vault.state).toBe('unlocked');
  });
});
