// Offers the person declined in one room, kept sealed in the vault's settings, so a reload
// or a restart does not ask again about a file they already said no to. Accepting later
// takes it off the list.
import { z } from 'zod';
import type { StorableValue } from '../core/history-store';
import { FILE_ID_PATTERN } from '../storage/chunk-store';

/** The newest this many are kept per room (a busy room's old offers have long expired). */
const MAX_REMEMBERED = 500;

const Remembered = z.array(z.string().regex(FILE_ID_PATTERN)).max(MAX_REMEMBERED);

export interface SettingStore {
  readSetting<T>(name: string, schema: z.ZodType<T>): Promise<T | undefined>;
  writeSetting(name: string, value: StorableValue): Promise<void>;
}

const settingName = (roomId: string) => `declined-files:${roomId}`;

/** The conversation was deleted: its answers go with it. */
export function forgetDeclinedFiles(settings: SettingStore, roomId: string): Promise<void> {
  return settings.writeSetting(settingName(roomId), []);
}

export class DeclinedFiles {
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly settings: SettingStore,
    private readonly name: string,
    private readonly ids: Set<string>,
  ) {}

  /** A list that cannot be read (damaged, or from another version) starts empty. */
  static async load(settings: SettingStore, roomId: string): Promise<DeclinedFiles> {
    const name = settingName(roomId);
    const stored = await settings.readSetting(name, Remembered).catch(() => undefined);
    return new DeclinedFiles(settings, name, new Set(stored ?? []));
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Resolves once the list is saved (or could not be: see save()). */
  add(id: string): Promise<void> {
    if (!FILE_ID_PATTERN.test(id) || this.ids.has(id)) return this.saving;
    this.ids.add(id);
    for (const oldest of this.ids) {
      if (this.ids.size <= MAX_REMEMBERED) break;
      this.ids.delete(oldest);
    }
    return this.save();
  }

  delete(id: string): Promise<void> {
    return this.ids.delete(id) ? this.save() : this.saving;
  }

  /**
   * Saves run one after another, each writing the latest list. A save that fails (a full
   * disk) only means the question comes back after a restart.
   */
  private save(): Promise<void> {
    this.saving = this.saving
      .then(() => this.settings.writeSetting(this.name, [...this.ids]))
      .catch(() => undefined);
    return this.saving;
  }
}
