// The shell's addresses and list times: which screen a path opens, and which form a time
// takes next to a room or a search hit.
import { describe, expect, test } from 'vitest';
import { formatWhen } from '../../../client/ui/format-when';
import { routeOf } from '../../../client/ui/routes';

describe('routeOf', () => {
  test('home, settings and a room by id', () => {
    expect(routeOf('/')).toEqual({ name: 'home' });
    expect(routeOf('/settings')).toEqual({ name: 'settings' });
    expect(routeOf('/r/AbC_-9')).toEqual({ name: 'room', roomId: 'AbC_-9' });
    expect(routeOf('/r/AbC/')).toEqual({ name: 'room', roomId: 'AbC' });
  });

  test('a room id is decoded once; a malformed or missing one opens home', () => {
    expect(routeOf('/r/a%20b')).toEqual({ name: 'room', roomId: 'a b' });
    expect(routeOf('/r/%E0%A4%A')).toEqual({ name: 'home' });
    expect(routeOf('/r/')).toEqual({ name: 'home' });
    expect(routeOf('/r/a/b')).toEqual({ name: 'home' });
  });

  test('unknown paths open home', () => {
    expect(routeOf('/settings/extra')).toEqual({ name: 'home' });
    expect(routeOf('/nowhere')).toEqual({ name: 'home' });
  });
});

describe('formatWhen', () => {
  const now = new Date(2026, 10, 22, 15, 30).getTime();
  const time = (ms: number) =>
    new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

  test('today: the time of day', () => {
    const earlier = new Date(2026, 10, 22, 9, 5).getTime();
    expect(formatWhen(earlier, now)).toBe(time(earlier));
  });

  test('this week: the weekday; older: day and month', () => {
    const twoDaysAgo = new Date(2026, 10, 20, 12, 0).getTime();
    expect(formatWhen(twoDaysAgo, now)).toBe(
      new Date(twoDaysAgo).toLocaleDateString(undefined, { weekday: 'short' }),
    );
    const lastMonth = new Date(2026, 9, 3, 12, 0).getTime();
    expect(formatWhen(lastMonth, now)).toBe(
      new Date(lastMonth).toLocaleDateString(undefined, { day: 'numeric', month: 'short' }),
    );
  });

  test('no time at all stays empty', () => {
    expect(formatWhen(0, now)).toBe('');
  });
});
