// What the app keeps, sealed, in the device vault's settings: the person's preferences
// and the last signed-in account (so the app opens offline).
import { z } from 'zod';
import type { Account, Settings } from './app-types';

export const SETTINGS_KEY = 'settings';
export const ACCOUNT_KEY = 'account';

export const SettingsSchema = z.object({
  displayName: z.string().max(64),
  autoLockMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  notifications: z.boolean(),
  sound: z.boolean(),
}) satisfies z.ZodType<Settings>;

export const AccountSchema = z.object({
  username: z.string().min(1).max(64),
  isAdmin: z.boolean(),
}) satisfies z.ZodType<Account>;

export const DEFAULT_SETTINGS: Settings = {
  displayName: '',
  autoLockMinutes: 0,
  notifications: false,
  sound: false,
};

/** Checks a patch from the UI before it is stored (AppError 'invalid' is the caller's). */
export const SettingsPatchSchema = SettingsSchema.partial().strict();
