// Declined offers are remembered per room across restarts (issue 6: the receiver can
// decline), bounded, and accepting later takes one off the list.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  DeclinedFiles,
  forgetDeclinedFiles,
  type SettingStore,
} from '../../../client/app/declined-files';

/** Settings as the vault keeps them (sealed there; plain here), checked on read. */
function memorySettings(): SettingStore & { raw: Map<string, unknown> } {
  const raw = new Map<string, unknown>();
  return {
    raw,
    async readSetting<T>(name: string, schema: z.ZodType<T>) {
      return raw.has(name) ? schema.parse(raw.get(name)) : undefined;
    },
    writeSetting(name, value) {
      raw.set(name, structuredClone(value));
      return Promise.resolve();
    },
  };
}

const id = (n: number) => `file${String(n).padStart(18, '0')}`;

describe('DeclinedFiles', () => {
  it('remembers a decline across a restart, per room, until the file is accepted', async () => {
    const settings = memorySettings();
    const first = await DeclinedFiles.load(settings, 'room-a');
    await first.add(id(1));
    await first.add(id(2));
    const again = await DeclinedFiles.load(settings, 'room-a');
    expect([again.has(id(1)), again.has(id(2)), again.has(id(3))]).toEqual([true, true, false]);
    expect((await DeclinedFiles.load(settings, 'room-b')).has(id(1))).toBe(false);
    await again.delete(id(1));
    expect((await DeclinedFiles.load(settings, 'room-a')).has(id(1))).toBe(false);
    // Deleting the conversation forgets its answers.
    await forgetDeclinedFiles(settings, 'room-a');
    expect((await DeclinedFiles.load(settings, 'room-a')).has(id(2))).toBe(false);
  });

  it('keeps the newest 500 and ignores what is not a file id', async () => {
    const settings = memorySettings();
    const declined = await DeclinedFiles.load(settings, 'room');
    for (let n = 0; n < 510; n++) void declined.add(id(n));
    await declined.add('../../etc/passwd');
    const stored = settings.raw.get('declined-files:room') as string[];
    expect(stored).toHaveLength(500);
    expect(stored[0]).toBe(id(10));
    expect(stored).not.toContain('../../etc/passwd');
  });

  it('starts empty when the stored list is damaged', async () => {
    const settings = memorySettings();
    settings.raw.set('declined-files:room', ['not an id']);
    expect((await DeclinedFiles.load(settings, 'room')).has('not an id')).toBe(false);
  });
});
