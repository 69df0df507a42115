// The app's own small records (schema v2): per-room drafts and named settings, each
// sealed with the device data key like every other row. Reads check the shape with the
// caller's zod schema, since another version of the app may have written it.
import { z } from 'zod';
import type { StorableValue } from '../core/history-store';
import type { ChatDatabase } from './db';
import { guardQuota } from './quota';
import { checkInput } from './records';
import type { RecordSealer } from './record-sealer';

/** Long enough for any message the composer accepts, short enough to refuse junk. */
export const MAX_DRAFT_LENGTH = 100_000;
const Draft = z.object({ text: z.string().max(MAX_DRAFT_LENGTH) });
const SettingName = z.string().min(1).max(64);

export class IdbAppRecords {
  constructor(
    private readonly db: ChatDatabase,
    private readonly sealer: RecordSealer,
  ) {}

  async loadDraft(roomId: string): Promise<string> {
    const row = await this.db.get('drafts', roomId);
    if (!row) return '';
    const draft = await this.sealer.open(
      { store: 'drafts', id: roomId },
      row.sealed,
      Draft,
      'draft',
    );
    return draft.text;
  }

  /** '' deletes the draft: an empty composer leaves nothing behind. */
  async saveDraft(roomId: string, text: string): Promise<void> {
    const checked = checkInput(Draft, { text }, 'draft');
    if (checked.text === '') {
      await this.db.delete('drafts', roomId);
      return;
    }
    const sealed = await this.sealer.seal({ store: 'drafts', id: roomId }, checked);
    await guardQuota(() => this.db.put('drafts', { roomId, sealed }));
  }

  async readSetting<T>(name: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const id = SettingName.parse(name);
    const row = await this.db.get('settings', id);
    if (!row) return undefined;
    // The record holds { value } so a setting may itself be null or a plain string.
    const Wrapper = z.object({ value: schema });
    const opened = await this.sealer.open(
      { store: 'settings', id },
      row.sealed,
      Wrapper,
      'setting',
    );
    return opened.value;
  }

  async writeSetting(name: string, value: StorableValue): Promise<void> {
    const id = SettingName.parse(name);
    const sealed = await this.sealer.seal({ store: 'settings', id }, { value });
    await guardQuota(() => this.db.put('settings', { name: id, sealed }));
  }
}
