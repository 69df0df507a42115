// The chunk stores' state saves: a burst of changes costs one save, flush saves at once,
// and a failed save (a full disk) does not stop later ones from trying.
import { describe, expect, it } from 'vitest';
import { DelayedSave } from '../../../client/storage/delayed-save';

function counter(failFirst = 0) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    write: () => {
      calls++;
      return calls <= failFirst ? Promise.reject(new Error('disk full')) : Promise.resolve();
    },
  };
}

describe('DelayedSave', () => {
  it('saves once for a burst of changes, after the delay', async () => {
    const c = counter();
    const saver = new DelayedSave(c.write, 10);
    for (let i = 0; i < 100; i++) saver.schedule();
    expect(c.calls).toBe(0);
    await expect.poll(() => c.calls).toBe(1);
    await saver.idle();
    expect(c.calls).toBe(1);
  });

  it('saves at once on now(), dropping the scheduled save', async () => {
    const c = counter();
    const saver = new DelayedSave(c.write, 60_000);
    saver.schedule();
    await saver.now();
    expect(c.calls).toBe(1);
  });

  it('tries again after a failed save', async () => {
    const c = counter(1);
    const saver = new DelayedSave(c.write, 60_000);
    await expect(saver.now()).rejects.toThrow('disk full');
    await expect(saver.now()).resolves.toBeUndefined();
    expect(c.calls).toBe(2);
  });
});
