// Alerts for new messages from others (H1's app calls alertIncoming): a system notification
// while the page is hidden and a short beep, each switchable in Settings. The browser asks
// for notification permission only from requestNotificationPermission(), which Settings
// calls when the person turns notifications on (never on its own at start).
import {
  planAlert,
  soundAllowed,
  type AlertSettings,
  type IncomingMessageAlert,
  type NotificationPlan,
  type PermissionState,
} from './alert-plan';

export type { AlertSettings, IncomingMessageAlert, PermissionState };

let audio: AudioContext | null = null;
let lastSoundAt: number | null = null;

export function notificationPermission(): PermissionState {
  return 'Notification' in window ? Notification.permission : 'unsupported';
}

/** Asks the browser (shows its prompt once); call it from the toggle's click handler. */
export async function requestNotificationPermission(): Promise<PermissionState> {
  if (!('Notification' in window)) return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

export async function alertIncoming(
  alert: IncomingMessageAlert,
  settings: AlertSettings,
): Promise<void> {
  const plan = planAlert(alert, settings, {
    hidden: document.hidden,
    permission: notificationPermission(),
  });
  if (plan.sound && soundAllowed(lastSoundAt, performance.now())) {
    lastSoundAt = performance.now();
    await beep().catch(() => undefined); // no audio device: stay silent
  }
  if (plan.notification) await showNotification(plan.notification);
}

async function showNotification(plan: NotificationPlan): Promise<void> {
  const options: NotificationOptions & { renotify?: boolean } = {
    body: plan.body,
    tag: plan.tag,
    renotify: true,
    icon: '/icons/icon-192.png',
    data: { url: plan.url },
  };
  // NOTE: Android Chrome refuses `new Notification()` in pages; through the service worker
  // it works everywhere, and a click there opens the room (sw/sw.ts notificationclick).
  const registration =
    'serviceWorker' in navigator ? await navigator.serviceWorker.getRegistration() : undefined;
  if (registration?.active) {
    await registration.showNotification(plan.title, options);
    return;
  }
  const notification = new Notification(plan.title, options);
  notification.onclick = () => {
    window.focus();
    notification.close();
  };
}

/** A soft two-tone chime made with WebAudio (no sound file to download or precache). */
async function beep(): Promise<void> {
  audio ??= new AudioContext();
  if (audio.state === 'suspended') await audio.resume();
  const start = audio.currentTime;
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.type = 'sine';
  oscillator.frequency.setValueAtTime(880, start);
  oscillator.frequency.setValueAtTime(660, start + 0.09);
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.12, start + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start(start);
  oscillator.stop(start + 0.22);
}
