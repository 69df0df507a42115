// What an incoming message should trigger, decided from plain facts (unit-tested in Node):
// a system notification only when the page is hidden, notifications are on and the
// permission was granted; a sound only when sound is on. alerts.ts carries it out.
import type { Settings } from '../app/app-types';

export interface IncomingMessageAlert {
  roomId: string;
  roomName: string;
  /** The sender's display name or username. */
  from: string;
  text: string;
}

export type AlertSettings = Pick<Settings, 'notifications' | 'sound'>;

export type PermissionState = NotificationPermission | 'unsupported';

export interface NotificationPlan {
  title: string;
  body: string;
  /** One notification per room: a newer message replaces the older one. */
  tag: string;
  /** Where a click leads (sw/sw.ts opens only /r/ROOM paths). */
  url: string;
}

export interface AlertPlan {
  notification: NotificationPlan | null;
  sound: boolean;
}

/** Long messages are cut: a notification is a hint to open the app, not a reader. */
export const BODY_MAX_CHARS = 120;

/** Cuts by code points (never in the middle of an emoji) and marks the cut. */
export function shorten(text: string, max: number): string {
  const characters = Array.from(text.replace(/\s+/g, ' ').trim());
  return characters.length <= max
    ? characters.join('')
    : `${characters.slice(0, max - 1).join('')}…`;
}

export function planAlert(
  alert: IncomingMessageAlert,
  settings: AlertSettings,
  page: { hidden: boolean; permission: PermissionState },
): AlertPlan {
  const notify = settings.notifications && page.hidden && page.permission === 'granted';
  return {
    notification: notify
      ? {
          title: alert.roomName,
          body: shorten(`${alert.from}: ${alert.text}`, BODY_MAX_CHARS),
          tag: `room:${alert.roomId}`,
          url: `/r/${encodeURIComponent(alert.roomId)}`,
        }
      : null,
    sound: settings.sound,
  };
}

/** At most one sound in this window: a burst of synced messages is one beep, not twenty. */
export const SOUND_GAP_MS = 1500;

export function soundAllowed(lastSoundAt: number | null, now: number): boolean {
  return lastSoundAt === null || now - lastSoundAt >= SOUND_GAP_MS;
}
