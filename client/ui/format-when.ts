// Short, local times for lists: what chat apps show next to a conversation or a hit.

/** "14:05" today, "Mon" this week, "3 Nov" otherwise. */
export function formatWhen(ms: number, now = Date.now()): string {
  if (!ms) return '';
  const date = new Date(ms);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) {
    return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  }
  if (now - ms < 6 * 24 * 3600 * 1000 && ms < now) {
    return date.toLocaleDateString(undefined, { weekday: 'short' });
  }
  return date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}
